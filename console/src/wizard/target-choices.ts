import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../api/changes.js';
import { listApiDestinations } from '../api/api-destinations.js';
import { allBusNames } from '../api/eventbridge.js';
import { listFunctions } from '../api/lambda.js';
import { listTopics } from '../api/sns.js';
import { allQueueUrls } from '../api/sqs.js';
import { kinds, targetArn, type TargetDraft, type TargetKind } from './draft.js';

/**
 * The account's and region's existing targets, by kind, as names (what the picker offers) —
 * kept current through the change stream, so a topic created in another tab, by the CLI, or
 * with "Create topic" below is there at once. A kind whose service does not answer is absent:
 * its field stays free text and is not checked.
 */
export type Choices = Partial<Record<TargetKind, string[]>>;

async function allPages<T>(page: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    out.push(...p.items);
    token = p.next;
  } while (token && out.length < 10_000);
  return out;
}

const lastPart = (s: string): string => s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')) + 1);

export function useTargetChoices(): { choices: Choices; reload: () => void } {
  const [choices, setChoices] = useState<Choices>({});
  const reload = useCallback(() => {
    const put = (kind: TargetKind) => (names: string[]) => setChoices((c) => ({ ...c, [kind]: names.sort() }));
    allPages(listTopics).then(
      (arns) => put('sns')(arns.map(lastPart)),
      () => undefined,
    );
    allQueueUrls().then(
      (urls) => put('sqs')(urls.map(lastPart)),
      () => undefined,
    );
    allPages(listFunctions).then(
      (fns) => put('lambda')(fns.map((f) => f.FunctionName)),
      () => undefined,
    );
    allBusNames().then(put('events'), () => undefined);
    // API destinations are chosen by ARN (their name alone does not make one).
    listApiDestinations().then(
      (d) => put('api-destination')(d.map((x) => x.ApiDestinationArn ?? '')),
      () => undefined,
    );
  }, []);
  useEffect(reload, [reload]);
  useChanges(['sns', 'sqs', 'lambda', 'events'], ['topic', 'queue', 'function', 'bus', 'api-destination'], reload);
  return { choices, reload };
}

/**
 * Why a target cannot be saved as it is: it names a resource of this account and region that
 * does not exist (PutTargets would accept it; every delivery would then fail). A target in
 * another account or region cannot be looked up here and is taken as written.
 */
export function missingTarget(t: TargetDraft, choices: Choices, region: string, account: string): string | null {
  const known = choices[t.kind];
  if (!known || !t.resource.trim()) return null;
  if (t.kind === 'api-destination')
    return known.includes(t.resource.trim())
      ? null
      : `${kinds[t.kind].noun} "${t.resource.trim()}" does not exist. Choose an existing one, or create it.`;
  const arn = targetArn(t, region, account).split(':');
  if (arn[3] !== region || arn[4] !== account) return null;
  // A function ARN may carry a version or alias after its name (…:function:NAME:ALIAS).
  const name = t.kind === 'lambda' ? (arn[6] ?? '') : t.kind === 'events' ? lastPart(arn.slice(5).join(':')) : (arn[5] ?? '');
  if (known.includes(name)) return null;
  return `${kinds[t.kind].noun} "${name}" does not exist in ${region}. Choose an existing one, or create it.`;
}
