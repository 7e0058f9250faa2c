import { createECDH, createHmac, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * SigV4a's key: an ECDSA P-256 key pair derived from the access key id and the secret, so that
 * a signer needs no region-specific key (AWS's SigV4a specification; the SDKs' CRT and JS signers
 * implement the same). The private scalar comes from a NIST SP 800-108 KDF in counter mode with
 * HMAC-SHA256:
 *   key   = "AWS4A" ‖ secret
 *   input = 00000001 ‖ "AWS4-ECDSA-P256-SHA256" ‖ 00 ‖ accessKeyId ‖ counter (1 byte) ‖ 00000100
 *   c     = HMAC-SHA256(key, input), retried with the next counter while c > n − 2
 *   d     = c + 1   (so 1 ≤ d ≤ n − 1, a valid private key)
 * The verifier needs only the public point d·G, computed once per key and kept.
 */
const LABEL = 'AWS4-ECDSA-P256-SHA256';
/** The order n of P-256, minus 2. */
const N_MINUS_2 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n - 2n;
const MAX_COUNTER = 254;

export function sigV4aPrivateScalar(accessKeyId: string, secretAccessKey: string): Buffer {
  const key = Buffer.from(`AWS4A${secretAccessKey}`, 'utf8');
  for (let counter = 1; counter <= MAX_COUNTER; counter++) {
    const input = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from(LABEL, 'latin1'),
      Buffer.from([0]),
      Buffer.from(accessKeyId, 'utf8'),
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]),
    ]);
    const c = BigInt(`0x${createHmac('sha256', key).update(input).digest('hex')}`);
    if (c > N_MINUS_2) continue;
    return Buffer.from((c + 1n).toString(16).padStart(64, '0'), 'hex');
  }
  // Unreachable in practice (each trial fails with probability ~2^-32), as in AWS's signers.
  throw new Error('Cannot derive a SigV4a key: maximum trials exceeded.');
}

/** The verifying (public) key of an access key id and secret. */
export function sigV4aPublicKey(accessKeyId: string, secretAccessKey: string): KeyObject {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(sigV4aPrivateScalar(accessKeyId, secretAccessKey));
  const point = ecdh.getPublicKey(); // 04 ‖ x ‖ y
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
}

/** Public keys of the configured credentials, derived on first use (an EC multiplication each). */
export class SigV4aKeys {
  private readonly keys = new Map<string, KeyObject>();

  get(accessKeyId: string, secretAccessKey: string): KeyObject {
    const id = `${accessKeyId}\0${secretAccessKey}`;
    let key = this.keys.get(id);
    if (!key) {
      this.keys.set(id, (key = sigV4aPublicKey(accessKeyId, secretAccessKey)));
    }
    return key;
  }
}
