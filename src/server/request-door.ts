import type { IncomingHttpHeaders } from 'node:http';

/**
 * The door every request of the control API and the console passes (and, without credentials,
 * every AWS API request too): it stops two browser attacks on a server that trusts loopback.
 *  - DNS rebinding: a page of evil.example whose name is re-pointed to 127.0.0.1 talks to us as
 *    "same origin" — but its requests carry `Host: evil.example`, so only the names the server
 *    serves are accepted (loopback names, --host, --allowed-hosts; `*` turns the check off).
 *  - Cross-site requests: a page may POST a "simple" request (text/plain, a form) to any origin
 *    without a preflight. State changes therefore need a JSON body (which a simple request cannot
 *    declare) and, when the browser says where the request comes from (`Origin`,
 *    `Sec-Fetch-Site`), it must be this server itself.
 */
export interface DoorOptions {
  /** Extra host names (--allowed-hosts); `*` = any, `*.example.com` = its subdomains. */
  readonly allowedHosts: readonly string[];
  /** The address the server listens on (--host); a wildcard address adds nothing. */
  readonly listenHost: string;
}

export type DoorVerdict = { ok: true } | { ok: false; status: number; reason: string };

const LOOPBACK_NAMES = ['localhost', '*.localhost', '127.0.0.1', '::1'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The host name of a Host (or Origin authority) value: lower case, port and IPv6 brackets removed. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  const colon = a.lastIndexOf(':');
  return colon > 0 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

function nameAllowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === '*' || p === name || (p.startsWith('*.') && name.endsWith(p.slice(1))));
}

export function createDoor(o: DoorOptions): {
  hostAllowed(host: string | undefined): boolean;
  check(method: string, headers: IncomingHttpHeaders, mutationNeedsJson: boolean): DoorVerdict;
} {
  const wildcardListen = o.listenHost === '0.0.0.0' || o.listenHost === '::' || o.listenHost === '';
  const patterns = [
    ...LOOPBACK_NAMES,
    ...(wildcardListen ? [] : [hostName(o.listenHost)]),
    ...o.allowedHosts.map((h) => (h === '*' || h.startsWith('*.') ? h.toLowerCase() : hostName(h))),
  ];
  const hostAllowed = (host: string | undefined) => host !== undefined && nameAllowed(hostName(host), patterns);
  return {
    hostAllowed,
    check(method, headers, mutationNeedsJson) {
      if (!hostAllowed(headers.host))
        return {
          ok: false,
          status: 421,
          reason: `Host ${headers.host ?? '(none)'} is not a name this server answers to (see --allowed-hosts).`,
        };
      if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
      const site = headers['sec-fetch-site'];
      if (site !== undefined && site !== 'same-origin' && site !== 'none')
        return { ok: false, status: 403, reason: `cross-site ${method} refused (Sec-Fetch-Site: ${site}).` };
      const origin = headers.origin;
      if (origin !== undefined && origin !== 'null') {
        let authority = '';
        try {
          authority = new URL(origin).host;
        } catch {
          // An Origin that is not a URL is no origin of ours.
        }
        if (authority.toLowerCase() !== (headers.host ?? '').toLowerCase())
          return { ok: false, status: 403, reason: `cross-origin ${method} from ${origin} refused.` };
      } else if (origin === 'null') return { ok: false, status: 403, reason: `${method} from an opaque origin refused.` };
      // DELETE cannot be sent cross-origin without a preflight; POST/PUT/PATCH with a "simple"
      // type (text/plain, form) can, so those must say JSON.
      const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (mutationNeedsJson && BODY_METHODS.has(method.toUpperCase()) && type !== 'application/json')
        return { ok: false, status: 415, reason: `${method} needs Content-Type: application/json, got ${type || '(none)'}.` };
      return { ok: true };
    },
  };
}
