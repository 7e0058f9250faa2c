import type { ComponentChildren } from 'preact';
import { applicationOfEndpoint } from '../api/sns-push.js';
import { logsHrefOf } from '../pages/logs/log-routes.js';
import { applicationHref } from '../pages/push/push-routes.js';

/**
 * Where an id or ARN is shown in the console: its page. ARNs of other accounts or regions still
 * link (the page says what it can read); what the console has no page for stays text.
 */
export function hrefOf(value: string): string | null {
  const enc = encodeURIComponent;
  if (/^ami-[0-9a-f]+$/.test(value)) return `#/ami/${value}`;
  if (/^i-[0-9a-f]{8,17}$/.test(value)) return `#/instance/${value}`;
  if (/^snap-[0-9a-f]{8,17}$/.test(value)) return `#/snapshot/${value}`;
  if (!value.startsWith('arn:')) return null;
  const [, , service, , , ...rest] = value.split(':');
  const resource = rest.join(':');
  switch (service) {
    case 'sns':
      if (resource.startsWith('app/')) return applicationHref(value);
      if (resource.startsWith('endpoint/')) return applicationHref(applicationOfEndpoint(value));
      return `#/topic/${enc(value)}`;
    case 'sqs':
      return `#/queue/${enc(resource)}`;
    case 'lambda':
      return resource.startsWith('function:') ? `#/function/${enc(resource.split(':')[1] ?? '')}` : null;
    case 'ec2':
      if (resource.startsWith('image/')) return `#/ami/${resource.slice('image/'.length)}`;
      if (resource.startsWith('instance/')) return `#/instance/${resource.slice('instance/'.length)}`;
      return resource.startsWith('snapshot/') ? `#/snapshot/${resource.slice('snapshot/'.length)}` : null;
    case 'events': {
      if (resource.startsWith('event-bus/')) return `#/bus/${enc(resource.slice('event-bus/'.length))}`;
      if (!resource.startsWith('rule/')) return null;
      const parts = resource.slice('rule/'.length).split('/');
      return parts.length === 2 ? `#/rule/${enc(parts[0]!)}/${enc(parts[1]!)}` : `#/rule/default/${enc(parts[0]!)}`;
    }
    case 'logs':
      return logsHrefOf(resource);
    default:
      return null;
  }
}

/** An id or ARN as a link to its page (monospace), or as text when it has none. */
export function ResourceLink({ value, children, mono = true }: { value: string; children?: ComponentChildren; mono?: boolean }) {
  const href = hrefOf(value);
  const shown = children ?? value;
  if (!href) return <span class={mono ? 'mono' : undefined}>{shown}</span>;
  return (
    <a href={href} class={mono ? 'mono' : undefined}>
      {shown}
    </a>
  );
}
