import { DescribeImagesCommand, type Image } from '@aws-sdk/client-ec2';
import { ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { CliContext } from './context.js';
import { print } from './context.js';
import { control, type Endpoint } from './endpoint.js';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListSubscriptionsCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { ec2, eventBridge, fromSdkError, lambda, sns, sqs } from './aws-clients.js';
import { CliError, exitCodes } from './exit-codes.js';
import { sleep } from './progress.js';
import type { ClusterHealth } from '../storage/store.js';

interface ServerStatus {
  readonly status: string;
  readonly version: string;
  readonly services: readonly string[];
  readonly deliveries: { readonly pending: number; readonly delivered: number; readonly failed: number };
  readonly cluster?: ClusterReport;
}

/** What a node on a JetStream cluster (--nats-url) says of it. */
type ClusterReport = ClusterHealth;

export interface StatusReport {
  readonly url: string;
  readonly status: string;
  readonly version: string;
  readonly services: readonly string[];
  readonly region: string;
  readonly buses: number;
  readonly rules: number;
  readonly targets: number;
  readonly images: Readonly<Record<string, number>>;
  readonly faultRules: number;
  /** Per service the server serves: topics, subscriptions, queues, functions (first 1,000 of each). */
  readonly resources: Readonly<Record<string, number>>;
  readonly deliveries: ServerStatus['deliveries'];
  /** Dead-letter queues named by targets, with their depth when amiwatch serves SQS. */
  readonly deadLetterQueues: readonly { readonly arn: string; readonly depth: number | null }[];
  /** Present when the server runs on a JetStream cluster. */
  readonly cluster?: ClusterReport;
}

export interface StatusFlags {
  readonly json?: boolean;
  /** Wait for the server to answer healthy first (CI: after starting it in the background). */
  readonly wait?: boolean;
  /** With --wait: give up after this many seconds (exit 5). */
  readonly timeout?: number;
}

/** `amiwatch status`: is it up, what is in it, and is anything stuck or dead-lettered. */
export async function runStatus(ctx: CliContext, endpoint: Endpoint, flags: StatusFlags): Promise<number> {
  if (flags.wait) await waitForHealth(ctx, endpoint, flags.timeout ?? 60);
  const report = await collectStatus(endpoint);
  if (flags.json) print(ctx, JSON.stringify(report, null, 2));
  else printReport(ctx, report);
  return report.status === 'ok' && report.cluster?.jetstream !== 'unavailable' ? exitCodes.ok : exitCodes.no;
}

/**
 * Polls /_amiwatch/health (every 100 ms) until it answers 200: "nothing listens yet" and "not
 * ready yet" are both reasons to wait, so a script can start amiwatch in the background and
 * run this next. Timing out is exit 5, with what it last saw.
 */
export async function waitForHealth(ctx: CliContext, endpoint: Endpoint, timeoutSeconds: number): Promise<void> {
  const started = performance.now();
  let stop = false;
  void ctx.interrupted.then(() => (stop = true));
  for (;;) {
    let last: string;
    try {
      const { status } = await control<unknown>(endpoint, '/_amiwatch/health');
      if (status === 200) return;
      last = `it answers HTTP ${status}`;
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== exitCodes.unreachable) throw err;
      last = err.message;
    }
    if (stop) throw new CliError(`stopped waiting: ${last}`, exitCodes.timeout);
    if (performance.now() - started >= timeoutSeconds * 1000) {
      throw new CliError(
        `amiwatch at ${endpoint.url} was not healthy within ${timeoutSeconds}s: ${last}`,
        exitCodes.timeout,
        'is it starting? Check its log; wait longer with --timeout SECONDS',
      );
    }
    await sleep(100);
  }
}

export async function collectStatus(endpoint: Endpoint): Promise<StatusReport> {
  const server = await control<ServerStatus>(endpoint, '/_amiwatch/status');
  const faults = await control<{ rules: unknown[] }>(endpoint, '/_amiwatch/ec2/faults');
  const events = eventBridge(endpoint);
  const images = ec2(endpoint);
  try {
    const rules = await countRules(events);
    const all: Image[] = [];
    let token: string | undefined;
    do {
      const page = await images.send(
        new DescribeImagesCommand({ Owners: ['self'], IncludeDisabled: true, MaxResults: 1000, ...(token && { NextToken: token }) }),
      );
      all.push(...(page.Images ?? []));
      token = page.NextToken;
    } while (token);
    const byState: Record<string, number> = {};
    for (const i of all) byState[i.State ?? 'unknown'] = (byState[i.State ?? 'unknown'] ?? 0) + 1;
    return {
      url: endpoint.url,
      status: server.status === 200 ? server.body.status : `HTTP ${server.status}`,
      version: server.body.version,
      services: server.body.services,
      region: endpoint.region,
      buses: rules.buses,
      rules: rules.rules,
      targets: rules.targets,
      images: byState,
      faultRules: faults.body.rules.length,
      resources: await countResources(endpoint, server.body.services),
      deliveries: server.body.deliveries,
      deadLetterQueues: await dlqDepths(endpoint, [...rules.dlqs], server.body.services.includes('sqs')),
      ...(server.body.cluster && { cluster: server.body.cluster }),
    };
  } catch (err) {
    throw fromSdkError(endpoint, err);
  } finally {
    events.destroy();
    images.destroy();
  }
}

async function countResources(endpoint: Endpoint, services: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (services.includes('sns')) {
    const client = sns(endpoint);
    try {
      counts.topics = (await client.send(new ListTopicsCommand({}))).Topics?.length ?? 0;
      counts.subscriptions = (await client.send(new ListSubscriptionsCommand({}))).Subscriptions?.length ?? 0;
    } finally {
      client.destroy();
    }
  }
  if (services.includes('sqs')) {
    const client = sqs(endpoint);
    try {
      counts.queues = (await client.send(new ListQueuesCommand({ MaxResults: 1000 }))).QueueUrls?.length ?? 0;
    } finally {
      client.destroy();
    }
  }
  if (services.includes('lambda')) {
    const client = lambda(endpoint);
    try {
      counts.functions = (await client.send(new ListFunctionsCommand({ MaxItems: 1000 }))).Functions?.length ?? 0;
    } finally {
      client.destroy();
    }
  }
  return counts;
}

/** Messages waiting in each dead-letter queue (null: not a queue this server has). */
async function dlqDepths(endpoint: Endpoint, arns: readonly string[], served: boolean): Promise<StatusReport['deadLetterQueues']> {
  if (!served || arns.length === 0) return arns.map((arn) => ({ arn, depth: null }));
  const client = sqs(endpoint);
  try {
    return await Promise.all(
      arns.map(async (arn) => {
        const [, , , , account, name] = arn.split(':');
        try {
          const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
          const { Attributes } = await client.send(
            new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
          );
          return { arn, depth: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
        } catch {
          return { arn, depth: null };
        }
      }),
    );
  } finally {
    client.destroy();
  }
}

async function countRules(client: EventBridgeClient): Promise<{ buses: number; rules: number; targets: number; dlqs: Set<string> }> {
  const result = { buses: 0, rules: 0, targets: 0, dlqs: new Set<string>() };
  let busToken: string | undefined;
  do {
    const buses = await client.send(new ListEventBusesCommand({ ...(busToken && { NextToken: busToken }) }));
    busToken = buses.NextToken;
    for (const bus of buses.EventBuses ?? []) {
      result.buses++;
      let ruleToken: string | undefined;
      do {
        const rules = await client.send(new ListRulesCommand({ EventBusName: bus.Name, ...(ruleToken && { NextToken: ruleToken }) }));
        ruleToken = rules.NextToken;
        for (const rule of rules.Rules ?? []) {
          result.rules++;
          const targets = await client.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus.Name }));
          for (const t of targets.Targets ?? []) {
            result.targets++;
            if (t.DeadLetterConfig?.Arn) result.dlqs.add(t.DeadLetterConfig.Arn);
          }
        }
      } while (ruleToken);
    }
  } while (busToken);
  return result;
}

function printReport(ctx: CliContext, r: StatusReport): void {
  const s = ctx.style;
  const images =
    Object.entries(r.images)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ') || 'none';
  const d = r.deliveries;
  print(ctx, `${r.status === 'ok' ? s.green('●') : s.red('●')} amiwatch ${r.version} at ${r.url}: ${r.status} (${r.services.join(', ')})`);
  print(ctx, `  region      ${r.region}`);
  print(ctx, `  event buses ${r.buses}, rules ${r.rules}, targets ${r.targets}`);
  print(ctx, `  images      ${images}`);
  const resources = Object.entries(r.resources)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  if (resources) print(ctx, `  resources   ${resources}`);
  print(ctx, `  fault rules ${r.faultRules}`);
  print(
    ctx,
    `  deliveries  ${d.pending > 0 ? s.yellow(`${d.pending} pending`) : '0 pending'}, ${d.delivered} delivered, ${d.failed > 0 ? s.red(`${d.failed} failed`) : '0 failed'}`,
  );
  const dlq =
    r.deadLetterQueues.length === 0
      ? 'none configured'
      : r.deadLetterQueues
          .map(
            (q) =>
              `${q.arn.slice(q.arn.lastIndexOf(':') + 1)} ${q.depth === null ? '(no such queue)' : q.depth > 0 ? s.red(String(q.depth)) : '0'}`,
          )
          .join(', ');
  print(ctx, `  DLQ depth   ${dlq}`);
  if (r.cluster) printCluster(ctx, r.cluster);
}

function printCluster(ctx: CliContext, c: ClusterReport): void {
  const s = ctx.style;
  const js = c.jetstream === 'ok' ? s.green('ok') : s.red(`unavailable: ${c.error ?? ''}`);
  print(
    ctx,
    `  cluster     JetStream ${js}, connected to ${c.connectedTo}${c.servers.length > 0 ? ` (servers ${c.servers.join(', ')})` : ''}`,
  );
  print(ctx, `  nodes       ${c.nodes.length}: ${c.nodes.join(', ') || 'none'}`);
  if (c.lag) print(ctx, `  lag         ${c.lag.waiting} waiting, ${c.lag.inFlight} in flight`);
}
