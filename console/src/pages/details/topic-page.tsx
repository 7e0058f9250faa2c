import { TopicDetail } from '../sns-page.js';

/** One SNS topic: its subscriptions (subscribe, unsubscribe) and publish. */
export function TopicPage({ arn }: { arn: string }) {
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  return (
    <div>
      <p class="crumbs">
        <a href="#/sns">SNS topics</a> › {name}
      </p>
      <h1>{name}</h1>
      <p class="mono hint">{arn}</p>
      <TopicDetail arn={arn} />
    </div>
  );
}
