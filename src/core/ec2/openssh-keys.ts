import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * OpenSSH public keys (`ssh-rsa AAAA…`, `ssh-ed25519 AAAA…`) to and from node:crypto keys, and
 * the fingerprints EC2 shows: MD5 of the DER public key for an imported RSA key, SHA-1 of the
 * DER PKCS#8 private key for one EC2 created, base64 SHA-256 for ED25519 keys (EC2 User Guide,
 * "Verify the fingerprint of your key pair").
 */
const str = (b: Buffer): Buffer => Buffer.concat([u32(b.length), b]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** An SSH mpint: big-endian, with a 0 byte first when the high bit is set. */
const mpint = (b: Buffer): Buffer => str(b[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), b]) : b);

export function toOpenSsh(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') {
    const body = Buffer.concat([
      str(Buffer.from('ssh-rsa')),
      mpint(Buffer.from(jwk.e!, 'base64url')),
      mpint(Buffer.from(jwk.n!, 'base64url')),
    ]);
    return `ssh-rsa ${body.toString('base64')}`;
  }
  const body = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(Buffer.from(jwk.x!, 'base64url'))]);
  return `ssh-ed25519 ${body.toString('base64')}`;
}

/** Reads `ssh-rsa|ssh-ed25519 BASE64 [comment]`; undefined when it is not such a key. */
export function fromOpenSsh(text: string): { key: KeyObject; type: 'rsa' | 'ed25519' } | undefined {
  const [kind, data] = text.trim().split(/\s+/);
  if ((kind !== 'ssh-rsa' && kind !== 'ssh-ed25519') || !data || !/^[A-Za-z0-9+/]+=*$/.test(data)) return undefined;
  const fields: Buffer[] = [];
  const bytes = Buffer.from(data, 'base64');
  for (let at = 0; at < bytes.length; ) {
    if (at + 4 > bytes.length) return undefined;
    const n = bytes.readUInt32BE(at);
    if (at + 4 + n > bytes.length) return undefined;
    fields.push(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  if (fields[0]?.toString() !== kind) return undefined;
  const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
  try {
    if (kind === 'ssh-rsa' && fields.length === 3) {
      const key = createPublicKey({
        key: { kty: 'RSA', e: strip(fields[1]!).toString('base64url'), n: strip(fields[2]!).toString('base64url') },
        format: 'jwk',
      });
      return { key, type: 'rsa' };
    }
    if (kind === 'ssh-ed25519' && fields.length === 2 && fields[1]!.length === 32) {
      return {
        key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: fields[1]!.toString('base64url') }, format: 'jwk' }),
        type: 'ed25519',
      };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const colons = (hex: string): string => hex.match(/../g)!.join(':');

export function importedFingerprint(key: KeyObject, type: 'rsa' | 'ed25519'): string {
  if (type === 'ed25519') return ed25519Fingerprint(key);
  return colons(
    createHash('md5')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  );
}

export function createdRsaFingerprint(privateKey: KeyObject): string {
  return colons(
    createHash('sha1')
      .update(privateKey.export({ type: 'pkcs8', format: 'der' }))
      .digest('hex'),
  );
}

export function ed25519Fingerprint(publicKey: KeyObject): string {
  const wire = Buffer.from(toOpenSsh(publicKey).split(' ')[1]!, 'base64');
  return createHash('sha256').update(wire).digest('base64');
}
