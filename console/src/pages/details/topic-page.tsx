import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { topicAttributes } from '../../api/sns.js';
import { ErrorNotice } from '../../components/ui.js';
import { TopicDetail } from '../sns-page.js';
import { DetailHeader } from './detail-header.js';
import { PolicyView } from './policy-view.js';

/** One SNS topic: its subscriptions (subscribe, unsubscribe), publish, and its access policy. */
export function TopicPage({ arn }: { arn: string }) {
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  const [policy, setPolicy] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    () =>
      topicAttributes(arn).then(
        (a) => (setPolicy(a.Policy ?? null), setError(null)),
        (e: unknown) => setError(e),
      ),
    [arn],
  );
  useEffect(() => void load(), [load]);
  useChanges('sns', ['topic'], load, arn);
  return (
    <div>
      <DetailHeader list="SNS topics" listHref="#/sns" name={name} />
      <p class="mono hint">{arn}</p>
      <ErrorNotice error={error} />
      <TopicDetail arn={arn} />
      <section class="panel">
        <h2>Access policy</h2>
        <PolicyView policy={policy} none="No access policy: only the topic's owner can publish to it." />
      </section>
    </div>
  );
}
