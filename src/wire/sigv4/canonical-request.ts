import { createHash, createHmac } from 'node:crypto';
import { SignatureV4Base } from '@smithy/signature-v4';

/**
 * The SDK's own SigV4 canonicalization (@smithy/signature-v4, pinned) over exactly what the client
 * signed: the headers it listed, the path as sent, the query (X-Amz-Signature left out), the
 * payload hash. Reusing the SDK's code keeps path escaping and query ordering identical to what
 * the clients signed; the HMAC chain (SigV4) and the ECDSA check (SigV4a) are node:crypto's.
 */

/** node:crypto behind the hash interface the SDK's signer expects. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {}
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export interface CanonicalInput {
  readonly method: string;
  /**
   * The path exactly as received (still %-encoded). Outside S3 the canonical URI encodes it once
   * more, so what clients sign for `/functions/arn%3Aaws%3A…` is `/functions/arn%253Aaws%253A…`
   * (SigV4's double encoding): decoding it first would break every signed path with an escape.
   */
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** Exactly the signed headers, lowercase names, raw values. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface StringToSignParts {
  readonly algorithm: string;
  readonly amzDate: string;
  /** `yyyymmdd/service/aws4_request` (SigV4a) or `yyyymmdd/region/service/aws4_request`. */
  readonly scope: string;
  readonly service: string;
  readonly payloadHash: string;
}

class Canonicalizer extends SignatureV4Base {
  constructor(service: string) {
    // Credentials and region are unused: only the canonicalization methods are called.
    super({
      service,
      region: '',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: NodeSha256,
      uriEscapePath: service !== 's3',
      applyChecksum: false,
    });
  }

  stringToSign(input: CanonicalInput, parts: StringToSignParts): Promise<string> {
    const canonicalHeaders: Record<string, string> = {};
    // Header values trimmed with inner runs of whitespace collapsed (SigV4's canonical form).
    for (const [name, value] of Object.entries(input.headers)) canonicalHeaders[name] = value.trim().replace(/\s+/g, ' ');
    const request = {
      method: input.method,
      protocol: 'http:',
      hostname: input.headers.host ?? '',
      path: input.path,
      query: input.query,
      headers: input.headers,
      body: input.body,
    };
    return this.createStringToSign(
      parts.amzDate,
      parts.scope,
      this.createCanonicalRequest(request, canonicalHeaders, parts.payloadHash),
      parts.algorithm,
    );
  }
}

const canonicalizers = new Map<string, Canonicalizer>();

/** HMAC-SHA256 signature of a string to sign: the key derived along the scope (SigV4's chain). */
export function hmacSignature(secretAccessKey: string, date: string, region: string, service: string, stringToSign: string): string {
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/**
 * A raw query string as the canonicalizer takes it: names → values, repeated names as arrays.
 * Prototype-free, so `__proto__=` or `constructor=` are just names.
 */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The string to sign of a request, from exactly the headers the client listed as signed. */
export function canonicalStringToSign(input: CanonicalInput, parts: StringToSignParts): Promise<string> {
  let c = canonicalizers.get(parts.service);
  if (!c) canonicalizers.set(parts.service, (c = new Canonicalizer(parts.service)));
  return c.stringToSign(input, parts);
}
