import { generateKeyPairSync } from 'node:crypto';
import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { KeyPairRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { newId } from './ids.js';
import { createdRsaFingerprint, ed25519Fingerprint, fromOpenSsh, importedFingerprint, toOpenSsh } from './openssh-keys.js';
import { compileFilters } from './simple-filters.js';
import { required, tagsFor } from './validation.js';

/**
 * Key pairs: CreateKeyPair makes a real key with node:crypto and returns its private key once
 * (RSA 2048 as PKCS#1 PEM — `-----BEGIN RSA PRIVATE KEY-----`, as EC2 returns it; ED25519 as
 * PKCS#8 PEM); only the public half is kept. ImportKeyPair takes an OpenSSH public key.
 */
function checkName(name: string | undefined): string {
  const value = required(name, 'KeyName');
  if (value.length === 0 || value.length > 255)
    throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter KeyName is invalid. Length exceeds maximum of 255 characters.`);
  return value;
}

async function checkFree(deps: Ec2Deps, ctx: RequestContext, name: string): Promise<void> {
  if ((await deps.store.listKeyPairs(ctx.accountId, ctx.region)).some((k) => k.keyName === name)) throw ec2Errors.keyPairDuplicate(name);
}

function record(
  deps: Ec2Deps,
  ctx: RequestContext,
  keyName: string,
  keyType: 'rsa' | 'ed25519',
  keyFingerprint: string,
  publicKey: string,
  specs: EC2.TagSpecification[] | undefined,
): KeyPairRecord {
  return {
    accountId: ctx.accountId,
    region: ctx.region,
    keyName,
    keyPairId: newId('key', deps.random),
    keyType,
    keyFingerprint,
    publicKey,
    createTime: new Date(deps.clock.now()).toISOString(),
    tags: tagsFor(specs, 'key-pair'),
  };
}

const tagsOut = (k: KeyPairRecord) => k.tags.map((t) => ({ Key: t.key, Value: t.value }));

export async function createKeyPair(deps: Ec2Deps, ctx: RequestContext, input: EC2.CreateKeyPairRequest): Promise<EC2.KeyPair> {
  const keyName = checkName(input.KeyName);
  const keyType = input.KeyType ?? 'rsa';
  if (keyType !== 'rsa' && keyType !== 'ed25519')
    throw ec2Errors.invalidParameterValue(`Value (${keyType}) for parameter keyType is invalid.`);
  if (input.KeyFormat !== undefined && input.KeyFormat !== 'pem')
    throw ec2Errors.invalidParameterValue(`Value (${input.KeyFormat}) for parameter keyFormat is invalid. amiwatch writes pem keys only.`);
  await checkFree(deps, ctx, keyName);
  if (input.DryRun) throw ec2Errors.dryRun();
  const pair = keyType === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const material = pair.privateKey
    .export({ type: keyType === 'rsa' ? 'pkcs1' : 'pkcs8', format: 'pem' })
    .toString()
    .trimEnd();
  const fingerprint = keyType === 'rsa' ? createdRsaFingerprint(pair.privateKey) : ed25519Fingerprint(pair.publicKey);
  const key = record(deps, ctx, keyName, keyType, fingerprint, toOpenSsh(pair.publicKey), input.TagSpecifications);
  await deps.store.putKeyPair(key);
  return { KeyName: keyName, KeyPairId: key.keyPairId, KeyFingerprint: fingerprint, KeyMaterial: material, Tags: tagsOut(key) };
}

export async function importKeyPair(deps: Ec2Deps, ctx: RequestContext, input: EC2.ImportKeyPairRequest): Promise<EC2.ImportKeyPairResult> {
  const keyName = checkName(input.KeyName);
  const raw = required(input.PublicKeyMaterial, 'PublicKeyMaterial');
  const parsed = fromOpenSsh(keyText(raw));
  if (!parsed) throw ec2Errors.keyFormat();
  await checkFree(deps, ctx, keyName);
  if (input.DryRun) throw ec2Errors.dryRun();
  const key = record(
    deps,
    ctx,
    keyName,
    parsed.type,
    importedFingerprint(parsed.key, parsed.type),
    toOpenSsh(parsed.key),
    input.TagSpecifications,
  );
  await deps.store.putKeyPair(key);
  return { KeyName: keyName, KeyPairId: key.keyPairId, KeyFingerprint: key.keyFingerprint, Tags: tagsOut(key) };
}

/**
 * The key as text. The query protocol carries the blob base64-encoded and the wire layer hands it
 * over as that text; a caller in-process may pass bytes or the OpenSSH text itself.
 */
function keyText(raw: Uint8Array | string): string {
  if (typeof raw !== 'string') return Buffer.from(raw).toString('utf8');
  if (raw.startsWith('ssh-')) return raw;
  return Buffer.from(raw, 'base64').toString('utf8');
}

export async function describeKeyPairs(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeKeyPairsRequest,
): Promise<EC2.DescribeKeyPairsResult> {
  const matches = compileFilters(
    input.Filters,
    {
      'key-name': (k: KeyPairRecord) => [k.keyName],
      'key-pair-id': (k) => [k.keyPairId],
      fingerprint: (k) => [k.keyFingerprint],
      'key-type': (k) => [k.keyType],
      'tag-key': (k) => k.tags.map((t) => t.key),
    },
    (name) =>
      name.startsWith('tag:') ? (k: KeyPairRecord) => k.tags.filter((t) => t.key === name.slice(4)).map((t) => t.value) : undefined,
  );
  if (input.DryRun) throw ec2Errors.dryRun();
  let keys = await deps.store.listKeyPairs(ctx.accountId, ctx.region);
  for (const name of input.KeyNames ?? []) if (!keys.some((k) => k.keyName === name)) throw ec2Errors.keyPairNotFound(name);
  for (const id of input.KeyPairIds ?? []) if (!keys.some((k) => k.keyPairId === id)) throw ec2Errors.keyPairIdNotFound(id);
  if (input.KeyNames?.length) keys = keys.filter((k) => input.KeyNames!.includes(k.keyName));
  if (input.KeyPairIds?.length) keys = keys.filter((k) => input.KeyPairIds!.includes(k.keyPairId));
  return {
    KeyPairs: keys.filter(matches).map((k) => ({
      KeyPairId: k.keyPairId,
      KeyName: k.keyName,
      KeyType: k.keyType,
      KeyFingerprint: k.keyFingerprint,
      CreateTime: new Date(k.createTime),
      Tags: tagsOut(k),
      ...(input.IncludePublicKey && { PublicKey: `${k.publicKey} ${k.keyName}` }),
    })),
  };
}

/** DeleteKeyPair succeeds for a name that does not exist, as EC2 does (the call is idempotent). */
export async function deleteKeyPair(deps: Ec2Deps, ctx: RequestContext, input: EC2.DeleteKeyPairRequest): Promise<EC2.DeleteKeyPairResult> {
  if (input.KeyName === undefined && input.KeyPairId === undefined) throw ec2Errors.missingParameter('KeyName');
  const keys = await deps.store.listKeyPairs(ctx.accountId, ctx.region);
  const key = keys.find((k) => (input.KeyName !== undefined ? k.keyName === input.KeyName : k.keyPairId === input.KeyPairId));
  if (input.DryRun) throw ec2Errors.dryRun();
  if (key) await deps.store.deleteKeyPair(ctx.accountId, ctx.region, key.keyName);
  return { Return: true, ...(key && { KeyPairId: key.keyPairId }) };
}

/** RunInstances' KeyName must name one of the caller's key pairs. */
export async function checkKeyName(deps: Pick<Ec2Deps, 'store'>, ctx: RequestContext, name: string | undefined): Promise<void> {
  if (name === undefined) return;
  if (!(await deps.store.listKeyPairs(ctx.accountId, ctx.region)).some((k) => k.keyName === name)) throw ec2Errors.keyPairNotFound(name);
}
