import { execFile } from 'node:child_process';
import { createPrivateKey, createSign, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Signer } from '../../core/sns/message-format.js';
import type { Store } from '../../storage/store.js';

const run = promisify(execFile);
const KIND = 'sns.signing';

export interface SigningKey {
  readonly keyPem: string;
  readonly certPem: string;
}

/**
 * The key pair amiwatch signs SNS messages with, and its self-signed certificate (served at
 * SigningCertURL). Made once with `openssl` (Node's crypto cannot issue certificates) and kept in
 * the store, so signatures stay verifiable with the same certificate across restarts.
 */
export async function loadOrCreateSigningKey(store: Store): Promise<SigningKey> {
  const [existing] = await store.loadResources(KIND);
  if (existing) return JSON.parse(existing.doc) as SigningKey;
  // One key per process at most: in-memory stores (tests) would otherwise pay openssl each start.
  generated ??= generate();
  const signing = await generated;
  await store.writeResources([{ kind: KIND, key: 'default', doc: JSON.stringify(signing) }]);
  return signing;
}

let generated: Promise<SigningKey> | undefined;

async function generate(): Promise<SigningKey> {
  const dir = await mkdtemp(join(tmpdir(), 'amiwatch-sns-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '3650',
      '-subj',
      '/CN=sns.amazonaws.com/O=amiwatch',
    ]);
    return { keyPem: await readFile(key, 'utf8'), certPem: await readFile(cert, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** SignatureVersion 1 = SHA1withRSA, 2 = SHA256withRSA (sns-verify-signature-of-message). */
export function rsaSigner(key: SigningKey, certUrl: string): Signer {
  // Parsed once: parsing the PEM per signature tripled its cost (1.4 ms vs 0.4 ms).
  const privateKey = createPrivateKey(key.keyPem);
  return {
    certUrl,
    sign(text, version) {
      return createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1')
        .update(text, 'utf8')
        .sign(privateKey, 'base64');
    },
    // crypto.sign with a callback runs in libuv's thread pool: deliveries sign on every core
    // (RSA-2048 is ~0.4 ms a signature, the largest cost of an HTTP notification).
    signAsync(text, version) {
      return new Promise((resolve, reject) =>
        sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(text, 'utf8'), privateKey, (err, sig) =>
          err ? reject(err) : resolve(sig.toString('base64')),
        ),
      );
    },
  };
}
