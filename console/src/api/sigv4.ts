import { Sha256Js } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Request authentication from the browser. Without a credentials file the server accepts any
 * well-formed SigV4 header and takes the account from a 12-digit access key and the region from
 * the credential scope, so the console sends a structurally valid header with a zero signature.
 * With a credentials file it verifies signatures: the console then signs for real with the key
 * the user logged in with (it stays in this tab's sessionStorage), through the AWS SDK's own
 * signer (@smithy/signature-v4) rather than a copy of the algorithm; docs/decisions/0007 has the
 * bundle cost. SHA-256 in plain JavaScript: a console served over http from another host has no
 * WebCrypto (browsers keep crypto.subtle to secure contexts).
 */
export interface SigningKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ToSign {
  readonly method: string;
  /** Path and query as sent, e.g. `/` or `/_amiwatch/events?limit=50`. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Where the page was loaded from (`location`, or a `URL`): the host the browser sends. */
export interface Origin {
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
}

/** The request as the signer takes it (the SDK's HttpRequest). */
type SignableRequest = Parameters<SignatureV4['presign']>[0];

const amzDate = (now: Date): string =>
  now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The query string as the signer takes it: each key with its value, or its values in order. */
function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const seen = query[k];
    query[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return query;
}

/**
 * Adds `x-amz-date` and `authorization` to `req.headers`: a real SigV4 signature when `key` is
 * given, else the structural placeholder the server accepts when it verifies nothing.
 */
export async function authorize(
  req: ToSign,
  scope: { account: string; region: string; service: string },
  key: SigningKey | null,
  origin: Origin,
  now = new Date(),
): Promise<void> {
  if (!key) {
    const date = amzDate(now);
    req.headers['x-amz-date'] = date;
    req.headers.authorization = `AWS4-HMAC-SHA256 Credential=${scope.account}/${date.slice(0, 8)}/${scope.region}/${scope.service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    return;
  }
  const signer = new SignatureV4({ service: scope.service, region: scope.region, credentials: key, sha256: Sha256Js });
  const [path, search = ''] = req.url.split('?') as [string, string?];
  const request: SignableRequest = {
    method: req.method,
    protocol: origin.protocol,
    hostname: origin.hostname,
    ...(origin.port ? { port: Number(origin.port) } : {}),
    path,
    query: queryOf(search),
    // The browser sends Host itself; the signature must cover it all the same.
    headers: { ...req.headers, host: origin.host },
    body: req.body,
  };
  const signed = await signer.sign(request, { signingDate: now });
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() !== 'host') req.headers[name] = value;
  }
}
