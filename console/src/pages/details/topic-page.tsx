import { TopicDetail } from '../sns-page.js';
import { DetailHeader } from './detail-header.js';

/** One SNS topic: its subscriptions (subscribe, unsubscribe) and publish. */
export function TopicPage({ arn }: { arn: string }) {
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  return (
    <div>
      <DetailHeader list="SNS topics" listHref="#/sns" name={name} />
      <p class="mono hint">{arn}</p>
      <TopicDetail arn={arn} />
    </div>
  );
}
