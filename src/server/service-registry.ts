import type { RequestContext } from '../core/shared/request-context.js';
import type { ServiceError } from '../core/shared/service-error.js';
import type { ServiceHandler, WireResponse } from '../wire/service-handler.js';
import type { AuthDialect } from '../wire/sigv4/auth-dialect.js';

type Headers = Readonly<Record<string, string | undefined>>;

/**
 * Every AWS service amiwatch serves registers here, and the server routes each request to one
 * of them — the way AWS clients address services on a shared endpoint:
 *  1. `X-Amz-Target: <prefix>.<Operation>` (JSON protocols: `AWSEvents`, …);
 *  2. the service in the SigV4 credential scope (`events`, `ec2`, `sns`, …);
 *  3. `Version=` of a form-encoded query body (`2016-11-15` EC2, `2010-03-31` SNS, …).
 * `renderError` writes errors found before the handler runs (authentication, body limit) in the
 * service's own protocol; `authDialect` says which protocol's SigV4 rules and error codes apply.
 */
export interface ServiceRoute {
  /** The SigV4 signing name, e.g. `events`, `ec2`, `sns`. */
  readonly signingName: string;
  readonly targetPrefixes?: readonly string[];
  readonly queryVersions?: readonly string[];
  readonly handler: ServiceHandler;
  /**
   * The largest request body this service takes when its own documented limits need more than
   * `--body-limit` (Lambda: a 50 MB zip, base64 in CreateFunction's JSON; 6 MB Invoke payloads).
   * The server takes the larger of the two; the service checks each operation's own limit.
   */
  readonly bodyLimit?: number;
  /** Errors found before the handler runs, in the protocol the request came in (SQS has two). */
  readonly renderError: (ctx: RequestContext, err: ServiceError, headers: Headers) => WireResponse;
  /** Whose SigV4 rules and authentication errors apply (auth-dialect.ts), by the request's protocol. */
  readonly authDialect: AuthDialect | ((headers: Headers) => AuthDialect);
}

/** The auth dialect of a request to `route`. */
export const authDialectOf = (route: ServiceRoute, headers: Headers): AuthDialect =>
  typeof route.authDialect === 'function' ? route.authDialect(headers) : route.authDialect;

export class ServiceRegistry {
  private readonly routes: ServiceRoute[] = [];

  register(route: ServiceRoute): void {
    if (this.routes.some((r) => r.signingName === route.signingName)) throw new Error(`service ${route.signingName} registered twice`);
    this.routes.push(route);
  }

  get names(): string[] {
    return this.routes.map((r) => r.signingName);
  }

  /**
   * The service the headers name (1 and 2 above), known before the body is read — so its own
   * body limit can apply while reading it.
   */
  byHeaders(target: string | undefined, scopeService: string | undefined): ServiceRoute | undefined {
    if (target) {
      const prefix = target.slice(0, target.lastIndexOf('.'));
      const byTarget = this.routes.find((r) => r.targetPrefixes?.includes(prefix));
      if (byTarget) return byTarget;
    }
    if (scopeService) return this.routes.find((r) => r.signingName === scopeService);
    return undefined;
  }

  /** The service of a form-encoded query body by its `Version=` (3 above). */
  byQueryVersion(body: Buffer, contentType: string | undefined): ServiceRoute | undefined {
    if (!contentType?.startsWith('application/x-www-form-urlencoded')) return undefined;
    const version = new URLSearchParams(body.toString('utf8')).get('Version');
    return version ? this.routes.find((r) => r.queryVersions?.includes(version)) : undefined;
  }
}
