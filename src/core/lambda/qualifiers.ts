import type { FunctionRecord, LambdaStore } from '../../storage/ports/lambda-store.js';
import type { Random } from '../shared/random.js';
import { notFound } from './errors.js';

/** A version number as Lambda writes them: 1, 2, … */
export const VERSION = /^[1-9][0-9]*$/;

/** What a qualified name resolves to: the configuration (and code) that runs, and its version. */
export interface Resolved {
  /** The function's `$LATEST` record (policies, aliases, event invoke configurations live here). */
  readonly latest: FunctionRecord;
  /** The qualifier asked for (`$LATEST`, a version, an alias). */
  readonly qualifier: string;
  /** The record that runs: `$LATEST` or a published version's snapshot. */
  readonly run: FunctionRecord;
  readonly executedVersion: string;
}

/**
 * Resolves a qualifier as Lambda does: none or `$LATEST` is the function itself; a number a
 * published version; a name an alias, which runs its FunctionVersion — or, with a RoutingConfig,
 * one of its AdditionalVersionWeights' versions with that probability (`random` picks; without
 * it the primary version). A qualifier that names nothing is ResourceNotFoundException for the
 * qualified ARN.
 */
export async function resolveQualified(
  store: LambdaStore,
  latest: FunctionRecord,
  qualifier: string | undefined,
  random?: Random,
): Promise<Resolved> {
  const q = qualifier ?? '$LATEST';
  let version = q;
  if (!VERSION.test(q) && q !== '$LATEST') {
    const alias = latest.aliases?.[q];
    if (!alias) throw notFound(`${latest.arn}:${q}`);
    version = random ? pickVersion(alias.functionVersion, alias.additionalVersionWeights, random.float()) : alias.functionVersion;
  }
  if (version === '$LATEST') return { latest, qualifier: q, run: latest, executedVersion: '$LATEST' };
  const run = await store.getVersion(latest.accountId, latest.region, latest.name, version);
  if (!run) throw notFound(`${latest.arn}:${q}`);
  return { latest, qualifier: q, run, executedVersion: version };
}

/** Weighted alias routing: each additional version gets its weight of the traffic, the primary the rest. */
export function pickVersion(primary: string, weights: Readonly<Record<string, number>> | undefined, draw: number): string {
  let edge = 0;
  for (const [version, weight] of Object.entries(weights ?? {})) {
    edge += weight;
    if (draw < edge) return version;
  }
  return primary;
}

/** The ARN a qualifier is addressed by: the function's, with `:QUALIFIER` unless `$LATEST` was implied. */
export const qualifiedArn = (r: FunctionRecord, qualifier: string) => `${r.arn}:${qualifier}`;
