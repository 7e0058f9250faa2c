/**
 * Request authentication from the browser. Without a credentials file the server accepts any
 * well-formed SigV4 header and takes the account from a 12-digit access key and the region from
 * the credential scope, so the console sends a structurally valid header with a zero signature.
 * With a credentials file it verifies signatures: the console then signs for real (WebCrypto
 * HMAC-SHA256) with the key the user logged in with, which stays in this tab's sessionStorage.
 */
export interface SigningKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ToSign {
  readonly method: string;
  /** Path and query, e.g. `/` or `/_amiwatch/events?limit=50`. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const encoder = new TextEncoder();
const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (text: string): Promise<string> => hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));

async function hmac(key: ArrayBuffer | Uint8Array, text: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, encoder.encode(text));
}

/** RFC 3986 encoding, as SigV4 wants for query keys and values. */
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: string): string {
  if (!query) return '';
  return [...new URLSearchParams(query)]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const amzDate = (now: Date): string => now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Adds `x-amz-date` and `authorization` to `req.headers`: a real SigV4 signature when `key` is
 * given, else the structural placeholder the server accepts when it verifies nothing.
 */
export async function authorize(req: ToSign, scope: { account: string; region: string; service: string }, key: SigningKey | null, now = new Date()): Promise<void> {
  const date = amzDate(now);
  req.headers['x-amz-date'] = date;
  const day = date.slice(0, 8);
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  if (!key) {
    req.headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope.account}/${credentialScope}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    return;
  }
  const headers: Record<string, string> = { host: location.host };
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v.trim();
  const names = Object.keys(headers).sort();
  const [path, query = ''] = req.url.split('?') as [string, string?];
  const canonical = [
    req.method,
    // SigV4 outside S3 encodes the path as sent once more: `arn%3Aaws` is signed as `arn%253Aaws`.
    path.split('/').map(rfc3986).join('/'),
    canonicalQuery(query),
    names.map((n) => `${n}:${headers[n]}\n`).join(''),
    names.join(';'),
    await sha256(req.body),
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, await sha256(canonical)].join('\n');
  let k = await hmac(encoder.encode(`AWS4${key.secretAccessKey}`), day);
  for (const part of [scope.region, scope.service, 'aws4_request']) k = await hmac(k, part);
  const signature = hex(await hmac(k, stringToSign));
  req.headers.authorization = `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}
