import type { ApiCallRecorder } from '../core/cloudtrail/api-call.js';
import type { RequestContext } from '../core/shared/request-context.js';

/**
 * The seam between the HTTP server and each AWS protocol. The server reads the request, verifies
 * SigV4, derives the RequestContext (account from the access key, region from the credential
 * scope), picks the handler by service (`events`, `ec2`, `sns`, `sqs`, `lambda`) and sends back
 * what the handler returns. A handler knows its protocol (JSON 1.1, awsQuery, ec2 query,
 * REST-JSON) and nothing about sockets.
 */
export interface WireRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/` or `/2015-03-31/functions`. */
  readonly url: string;
  /** Header names lowercased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes (SigV4 hashes these). */
  readonly body: Buffer;
  readonly context: RequestContext;
  /** The caller's IP address (CloudTrail's sourceIPAddress), when the request came over a socket. */
  readonly sourceIp?: string;
  /** CloudTrail's recorder: every call the dispatch serves is offered to it (docs/cloudtrail.md). */
  readonly audit?: ApiCallRecorder;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type ServiceHandler = (request: WireRequest) => Promise<WireResponse>;
