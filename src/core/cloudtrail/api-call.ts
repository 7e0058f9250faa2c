import type { RequestContext } from '../shared/request-context.js';
import type { ShapeGuide } from './request-parameters.js';

/** One call amiwatch served, as the wire's dispatch hands it over to be recorded. */
export interface ApiCall {
  /** The service's signing name: `ec2`, `events`, `sns`, `sqs`, `lambda`, `cloudtrail`. */
  readonly service: string;
  readonly operation: string;
  /** The input as the protocol read it (the SDK's Request shape). */
  readonly input: object;
  readonly output?: unknown;
  /** What the model says of the input and output (maps vs structures), when the wire knows. */
  readonly inputShape?: ShapeGuide;
  readonly outputShape?: ShapeGuide;
  readonly error?: { readonly code: string; readonly message: string };
  readonly accessKeyId: string;
  readonly userAgent: string;
  readonly sourceIp: string;
}

/**
 * What the dispatch calls (src/wire/dispatch.ts). `watching` is asked first, for every call: it is
 * a lookup in memory, so a server without a logging trail builds nothing and stores nothing.
 * `record` never throws: a call's answer does not depend on its record.
 */
export interface ApiCallRecorder {
  watching(ctx: RequestContext): boolean;
  record(ctx: RequestContext, call: ApiCall): Promise<void>;
}
