import type { RequestContext } from '../core/shared/request-context.js';

/**
 * Who may use which control endpoint (`/_amiwatch/…`), decided in one place for all of them.
 *  - Without a credentials file (loopback development) the caller is the machine's user: every
 *    endpoint, any `account=`/`region=`.
 *  - With one, the caller is the signing key's account, and
 *      · `open` endpoints (health, SNS's public links whose token is the credential) need nothing;
 *      · `account` endpoints (event history and stream, function logs and code, status) answer for
 *        the caller's own account only: an `account=` naming another is refused (403);
 *      · `operator` endpoints act on the whole server (EC2 fault rules, metrics, SNS delivery log,
 *        mailbox, outbox): only the operator accounts may use them — the server's own account
 *        (--default-account), and the file's one account when it names only one (a single-tenant
 *        server has no one to isolate from).
 */
export type ControlClass = 'open' | 'account' | 'operator';

const OPERATOR_PREFIXES = [
  '/_amiwatch/ec2/faults',
  '/_amiwatch/metrics',
  '/_amiwatch/sns/deliveries',
  '/_amiwatch/mailbox',
  '/_amiwatch/outbox',
];

export function controlClass(path: string): ControlClass {
  if (path === '/_amiwatch/health' || path.startsWith('/_amiwatch/sns/public/')) return 'open';
  if (OPERATOR_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return 'operator';
  return 'account';
}

/** The scope a control request acts in; `restricted` when it must stay within `accountId`. */
export interface ControlScope extends RequestContext {
  readonly restricted: boolean;
}

export type ControlDecision = { ok: true; scope: ControlScope } | { ok: false; status: number; error: string };

/**
 * `caller`: the verified signer in credentials mode, null without credentials. `fallback`: the
 * server's default account and region (what an unsigned local caller acts as).
 */
export function decideControl(
  path: string,
  query: URLSearchParams,
  caller: RequestContext | null,
  fallback: RequestContext,
  operators: readonly string[],
): ControlDecision {
  if (caller === null) return { ok: true, scope: { ...fallback, restricted: false } };
  const kind = controlClass(path);
  const scope: ControlScope = { ...caller, region: query.get('region') ?? caller.region, restricted: true };
  if (kind === 'open') return { ok: true, scope };
  if (kind === 'operator' && !operators.includes(caller.accountId)) {
    return {
      ok: false,
      status: 403,
      error: `AccessDenied: ${path} acts on the whole server; only the operator account (${operators.join(', ')}) may use it.`,
    };
  }
  const asked = query.get('account');
  if (asked !== null && asked !== caller.accountId) {
    return { ok: false, status: 403, error: `AccessDenied: account ${caller.accountId} may not read account ${asked}.` };
  }
  return { ok: true, scope };
}
