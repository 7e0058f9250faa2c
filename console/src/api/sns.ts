import { ApiError, send } from './http.js';

/**
 * SNS over its query protocol (awsQuery: a form post with `Action` and `Version=2010-03-31`,
 * answered with XML), the requests the AWS CLI sends.
 */
export async function sns(action: string, params: Record<string, string> = {}): Promise<Element> {
  const form = new URLSearchParams({ Action: action, Version: '2010-03-31', ...params });
  const res = await send('POST', '/', 'sns', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, form.toString());
  const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
  const first = (name: string) => doc.getElementsByTagNameNS('*', name)[0]?.textContent ?? undefined;
  if (!res.ok) throw new ApiError(first('Code') ?? 'Error', first('Message') ?? res.statusText, res.status);
  return doc.documentElement;
}

/** The `<member>` elements under the first element named `list`, each as a field → text map. */
export function members(root: Element, list: string): Record<string, string>[] {
  const container = root.getElementsByTagNameNS('*', list)[0];
  return [...(container?.children ?? [])]
    .filter((m) => m.localName === 'member')
    .map((m) => Object.fromEntries([...m.children].map((c) => [c.localName, c.textContent ?? ''])));
}

export const nextToken = (root: Element): string | undefined => root.getElementsByTagNameNS('*', 'NextToken')[0]?.textContent || undefined;

export interface Subscription {
  SubscriptionArn: string;
  Protocol: string;
  Endpoint: string;
  TopicArn: string;
}

export async function listTopics(token?: string): Promise<{ items: string[]; next?: string }> {
  const root = await sns('ListTopics', token ? { NextToken: token } : {});
  const next = nextToken(root);
  return { items: members(root, 'Topics').map((m) => m.TopicArn ?? ''), ...(next && { next }) };
}

export async function listSubscriptions(topicArn: string): Promise<Subscription[]> {
  const out: Subscription[] = [];
  let token: string | undefined;
  do {
    const root = await sns('ListSubscriptionsByTopic', { TopicArn: topicArn, ...(token && { NextToken: token }) });
    out.push(...(members(root, 'Subscriptions') as unknown as Subscription[]));
    token = nextToken(root);
  } while (token);
  return out;
}

/** GetTopicAttributes: the topic's attributes (Policy, DisplayName, SubscriptionsConfirmed, …). */
export async function topicAttributes(TopicArn: string): Promise<Record<string, string>> {
  const root = await sns('GetTopicAttributes', { TopicArn });
  return Object.fromEntries(
    [...root.getElementsByTagNameNS('*', 'entry')].map((e) => [
      e.getElementsByTagNameNS('*', 'key')[0]?.textContent ?? '',
      e.getElementsByTagNameNS('*', 'value')[0]?.textContent ?? '',
    ]),
  );
}
