import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError, exitCodes } from './exit-codes.js';

/**
 * `amiwatch start --init FILE`: the world a test suite wants to find when the server is up.
 * JSON or YAML (by extension; .json is JSON, anything else YAML, which also reads JSON):
 *
 *   buses:  [ orders, { name: audit } ]
 *   rules:
 *     - name: ami-available            # bus: default unless given
 *       pattern: { source: [aws.ec2], detail-type: [EC2 AMI State Change], detail: { State: [available] } }
 *       targets:
 *         - { id: audit, bus: audit }  # or arn: <any target ARN>
 *
 * Every entry is applied through the public AWS APIs, idempotently: starting again with the
 * same file changes nothing.
 */
export interface InitBus {
  readonly name: string;
}

export interface InitTarget {
  readonly id: string;
  /** A target ARN, or one of the named shorthands resolved in the server's account and region. */
  readonly arn?: string;
  readonly bus?: string;
  readonly topic?: string;
  readonly queue?: string;
  readonly function?: string;
  readonly input?: string;
  readonly inputPath?: string;
  readonly deadLetterQueue?: string;
  readonly retryPolicy?: { readonly maximumRetryAttempts?: number; readonly maximumEventAgeInSeconds?: number };
}

export interface InitRule {
  readonly name: string;
  readonly bus?: string;
  readonly description?: string;
  readonly pattern?: unknown;
  readonly schedule?: string;
  readonly state?: 'ENABLED' | 'DISABLED';
  readonly targets?: readonly InitTarget[];
}

export interface InitTopic {
  readonly name: string;
  readonly displayName?: string;
}

export interface InitSubscription {
  readonly topic: string;
  readonly protocol: string;
  readonly endpoint: string;
}

export interface InitQueue {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface InitFunction {
  readonly name: string;
  /** Path of a .zip, relative to the init file. */
  readonly zip: string;
  readonly handler?: string;
  readonly runtime?: string;
  readonly timeout?: number;
}

export interface InitSpec {
  readonly buses: readonly InitBus[];
  readonly topics: readonly InitTopic[];
  readonly subscriptions: readonly InitSubscription[];
  readonly queues: readonly InitQueue[];
  readonly functions: readonly InitFunction[];
  readonly rules: readonly InitRule[];
}

export const initKinds = ['buses', 'topics', 'subscriptions', 'queues', 'functions', 'rules'] as const;

export async function readInitFile(path: string): Promise<InitSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`--init: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, exitCodes.usage);
  }
  let doc: unknown;
  try {
    doc = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new CliError(
      `--init: ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      exitCodes.usage,
    );
  }
  return parseInitSpec(doc ?? {}, path);
}

export function parseInitSpec(doc: unknown, source: string): InitSpec {
  const fail = (where: string, what: string) =>
    new CliError(`--init ${source}: ${where}: ${what}`, exitCodes.usage, 'see docs/cli.md#start---init for the file format');
  if (!isObject(doc)) throw fail('top level', 'expected a mapping with buses, topics, subscriptions, queues, functions or rules');
  for (const key of Object.keys(doc)) {
    if (!(initKinds as readonly string[]).includes(key)) throw fail(key, `unknown section; known: ${initKinds.join(', ')}`);
  }
  const list = (key: string): unknown[] => {
    const v = doc[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw fail(key, 'expected a list');
    return v;
  };
  const named = (key: string, i: number, v: unknown): Record<string, unknown> => {
    const entry = typeof v === 'string' ? { name: v } : v;
    if (!isObject(entry)) throw fail(`${key}[${i}]`, 'expected a name or a mapping');
    return entry;
  };
  const str = (where: string, entry: Record<string, unknown>, field: string, required: boolean): string | undefined => {
    const v = entry[field];
    if (v === undefined) {
      if (required) throw fail(where, `${field} is required`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '') throw fail(where, `${field} must be a non-empty string`);
    return v;
  };
  const buses = list('buses').map((v, i) => ({ name: str(`buses[${i}]`, named('buses', i, v), 'name', true)! }));
  const topics = list('topics').map((v, i) => {
    const e = named('topics', i, v);
    return { name: str(`topics[${i}]`, e, 'name', true)!, ...opt('displayName', str(`topics[${i}]`, e, 'displayName', false)) };
  });
  const subscriptions = list('subscriptions').map((v, i) => {
    const where = `subscriptions[${i}]`;
    if (!isObject(v)) throw fail(where, 'expected a mapping with topic, protocol, endpoint');
    return { topic: str(where, v, 'topic', true)!, protocol: str(where, v, 'protocol', true)!, endpoint: str(where, v, 'endpoint', true)! };
  });
  const queues = list('queues').map((v, i) => {
    const e = named('queues', i, v);
    const attributes = e.attributes;
    if (
      attributes !== undefined &&
      (!isObject(attributes) || Object.values(attributes).some((a) => typeof a !== 'string' && typeof a !== 'number'))
    ) {
      throw fail(`queues[${i}]`, 'attributes must map names to strings');
    }
    return {
      name: str(`queues[${i}]`, e, 'name', true)!,
      ...(attributes !== undefined && { attributes: Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, String(a)])) }),
    };
  });
  const functions = list('functions').map((v, i) => {
    const where = `functions[${i}]`;
    if (!isObject(v)) throw fail(where, 'expected a mapping with name and zip');
    const timeout = v.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1))
      throw fail(where, 'timeout must be a whole number of seconds');
    return {
      name: str(where, v, 'name', true)!,
      zip: str(where, v, 'zip', true)!,
      ...opt('handler', str(where, v, 'handler', false)),
      ...opt('runtime', str(where, v, 'runtime', false)),
      ...opt('timeout', timeout as number | undefined),
    };
  });
  const rules = list('rules').map((v, i) => parseRule(v, `rules[${i}]`, fail, str));
  return { buses, topics, subscriptions, queues, functions, rules };
}

type Fail = (where: string, what: string) => CliError;
type Str = (where: string, entry: Record<string, unknown>, field: string, required: boolean) => string | undefined;

function parseRule(v: unknown, where: string, fail: Fail, str: Str): InitRule {
  if (!isObject(v)) throw fail(where, 'expected a mapping with name and pattern or schedule');
  const pattern = v.pattern;
  const schedule = str(where, v, 'schedule', false);
  if (pattern === undefined && schedule === undefined) throw fail(where, 'needs pattern or schedule');
  if (pattern !== undefined && typeof pattern !== 'string' && !isObject(pattern))
    throw fail(where, 'pattern must be a mapping or JSON text');
  const state = str(where, v, 'state', false);
  if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED') throw fail(where, 'state must be ENABLED or DISABLED');
  const targetsRaw = v.targets ?? [];
  if (!Array.isArray(targetsRaw)) throw fail(where, 'targets must be a list');
  const targets = targetsRaw.map((t, j) => parseTarget(t, `${where}.targets[${j}]`, fail, str));
  return {
    name: str(where, v, 'name', true)!,
    ...opt('bus', str(where, v, 'bus', false)),
    ...opt('description', str(where, v, 'description', false)),
    ...(pattern !== undefined && { pattern }),
    ...opt('schedule', schedule),
    ...(state !== undefined && { state }),
    targets,
  };
}

const targetKinds = ['arn', 'bus', 'topic', 'queue', 'function'] as const;

function parseTarget(t: unknown, where: string, fail: Fail, str: Str): InitTarget {
  if (!isObject(t)) throw fail(where, 'expected a mapping with id and one of arn, bus, topic, queue, function');
  const given = targetKinds.filter((k) => t[k] !== undefined);
  if (given.length !== 1) throw fail(where, `give exactly one of ${targetKinds.join(', ')}`);
  const retry = t.retryPolicy;
  if (retry !== undefined && !isObject(retry)) throw fail(where, 'retryPolicy must be a mapping');
  const result: Record<string, unknown> = { id: str(where, t, 'id', true) };
  for (const k of [...targetKinds, 'inputPath', 'deadLetterQueue']) {
    const s = str(where, t, k, false);
    if (s !== undefined) result[k] = s;
  }
  if (t.input !== undefined) result.input = typeof t.input === 'string' ? t.input : JSON.stringify(t.input);
  if (retry !== undefined) result.retryPolicy = retry;
  return result as unknown as InitTarget;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));
