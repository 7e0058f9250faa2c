import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** node:crypto as the hash constructor @smithy/signature-v4 takes. */
export class Sha256 {
  private readonly h;
  constructor(secret?: unknown) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as Uint8Array);
  }
  update(d: unknown) {
    this.h.update(d as Uint8Array);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {}
}

export interface Key {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A SigV4-signed request to amiwatch's control API (service name `amiwatch`), as the console sends them. */
export async function signedFetch(
  url: string,
  key: Key,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const signer = new SignatureV4({ service: 'amiwatch', region: 'us-east-1', credentials: key, sha256: Sha256 });
  const signed = await signer.sign({
    method: init.method ?? 'GET',
    protocol: 'http:',
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    query: Object.fromEntries(u.searchParams),
    headers: { host: u.host, ...init.headers },
    ...(init.body !== undefined && { body: init.body }),
  });
  const res = await fetch(u, {
    method: init.method ?? 'GET',
    headers: signed.headers as Record<string, string>,
    ...(init.body !== undefined && { body: init.body }),
  });
  return { status: res.status, body: await res.text() };
}
