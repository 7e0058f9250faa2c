import type { VNode } from 'preact';
import { BusPage } from './bus-page.js';
import { FunctionPage } from './function-page.js';
import { ImagePage } from './image-page.js';
import { InstancePage } from './instance-page.js';
import { LogGroupPage } from '../lazy-pages.js';
import { LogStreamPage } from '../lazy-pages.js';
import { ApplicationPage } from '../lazy-pages.js';
import { QueuePage } from './queue-page.js';
import { RulePage } from './rule-page.js';
import { SnapshotPage } from './snapshot-page.js';
import { TopicPage } from './topic-page.js';

/**
 * The pages of single resources, each reached by the links on every list (see
 * components/resource-link.tsx for the routes an id or ARN leads to): `#/rule/BUS/NAME`,
 * `#/ami/ID`, `#/instance/ID`, `#/snapshot/ID`, `#/topic/ARN`, `#/queue/NAME`, `#/function/NAME`, `#/bus/NAME`,
 * `#/log-group/NAME`, `#/log-stream/GROUP/STREAM` (names encoded: a group's has slashes).
 */
export function detailPage(route: string[]): VNode | null {
  const [kind, a, b] = route;
  if (!a) return null;
  switch (kind) {
    case 'rule':
      return b ? <RulePage bus={a} name={b} /> : null;
    case 'ami':
      return <ImagePage id={a} />;
    case 'instance':
      return <InstancePage id={a} />;
    case 'snapshot':
      return <SnapshotPage id={a} />;
    case 'topic':
      return <TopicPage arn={a} />;
    case 'queue':
      return <QueuePage name={a} />;
    case 'function':
      return <FunctionPage name={a} />;
    case 'bus':
      return <BusPage name={a} />;
    case 'log-group':
      return <LogGroupPage name={a} />;
    case 'log-stream':
      return b ? <LogStreamPage group={a} stream={b} /> : null;
    case 'push-app':
      return <ApplicationPage arn={a} />;
    default:
      return null;
  }
}

/** The tab's title of a detail page (null: not one). */
export function detailTitle(route: string[]): string | null {
  const [kind, a, b] = route;
  const nouns: Record<string, string> = {
    rule: 'Rule',
    ami: 'AMI',
    instance: 'Instance',
    snapshot: 'Snapshot',
    topic: 'Topic',
    queue: 'Queue',
    function: 'Function',
    bus: 'Event bus',
    'log-group': 'Log group',
    'log-stream': 'Log stream',
    'push-app': 'Platform application',
  };
  if (!kind || !a || !nouns[kind]) return null;
  const name =
    kind === 'rule' || kind === 'log-stream'
      ? b
      : kind === 'topic'
        ? a.slice(a.lastIndexOf(':') + 1)
        : kind === 'push-app'
          ? a.slice(a.lastIndexOf('/') + 1)
          : a;
  return `${nouns[kind]} ${name ?? ''}`;
}
