import { CreateImageCommand, DescribeImagesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { startApp, type App } from '../server/app.js';
import { defaults } from '../server/config.js';
import type { CliContext } from './context.js';
import { print } from './context.js';
import { control, type Endpoint } from './endpoint.js';
import { ec2, eventBridge, fromSdkError, sns, sqs } from './aws-clients.js';
import { grantTargetDelivery } from './init-target-policy.js';
import { CliError, exitCodes } from './exit-codes.js';
import { waitForImage } from './images-wait.js';
import { ensureInstance } from './quickstart-instance.js';
import { ensureConfirmedEmail, ensureTopic, showNotification } from './quickstart-sns.js';

/** The guide's rule, verbatim. */
export const guidePattern = { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { State: ['available'] } };
export const quickstartNames = {
  rule: 'ami-available',
  image: 'amiwatch-quickstart',
  target: 'quickstart-topic',
  email: 'you@example.com',
} as const;

export interface QuickstartFlags {
  readonly email?: string;
  /** Seconds to wait for the image and for the notification. */
  readonly timeout: number;
}

interface HistoryEvent {
  readonly id: string;
  readonly rules: readonly string[];
  readonly event: { readonly detail?: { readonly ImageId?: string; readonly State?: string } };
  readonly deliveries: readonly { readonly targetId: string; readonly status: string; readonly attempts: number }[];
}

/**
 * `amiwatch quickstart`: the guide's example in one go, against the server at the endpoint (or
 * one started here, in memory, when none answers): an SNS topic with a confirmed email
 * subscription, the guide's rule on the default bus with the topic as its target, an instance
 * launched from the public Amazon Linux image, an image of it created and watched until `available`, the AMI event the rule matched, then the notification
 * as it was delivered. Idempotent: a second run finds everything and creates nothing again.
 */
export async function runQuickstart(ctx: CliContext, endpoint: Endpoint, flags: QuickstartFlags): Promise<number> {
  const s = ctx.style;
  const started = await ensureServer(ctx, endpoint);
  const target = started ? { ...endpoint, url: started.url } : endpoint;
  const events = eventBridge(target);
  const images = ec2(target);
  const topics = sns(target);
  const email = flags.email ?? quickstartNames.email;
  try {
    const services = (await control<{ services: string[] }>(target, '/_amiwatch/health')).body.services;
    if (!services.includes('sns'))
      throw new CliError(
        `the server at ${target.url} does not serve SNS (it serves ${services.join(', ')})`,
        exitCodes.refused,
        'upgrade the server, or use the amiwatch it ships with',
      );
    const topicArn = await ensureTopic(ctx, topics);
    await ensureConfirmedEmail(ctx, topics, target, topicArn, email, flags.timeout);
    const { RuleArn } = await events.send(
      new PutRuleCommand({
        Name: quickstartNames.rule,
        EventPattern: JSON.stringify(guidePattern),
        Description: 'The guide: notify when an AMI becomes available',
      }),
    );
    // The topic policy statement AWS's console adds for a rule's topic target (EventBridge may publish).
    const queues = sqs(target);
    await grantTargetDelivery(topics, queues, topicArn, RuleArn!, quickstartNames.target).finally(() => queues.destroy());
    const put = await events.send(
      new PutTargetsCommand({ Rule: quickstartNames.rule, Targets: [{ Id: quickstartNames.target, Arn: topicArn }] }),
    );
    if (put.FailedEntryCount) throw new CliError(`PutTargets: ${put.FailedEntries?.[0]?.ErrorMessage}`, exitCodes.refused);
    print(ctx, `${s.green('✔')} rule ${s.bold(quickstartNames.rule)} on bus default → the topic: ${JSON.stringify(guidePattern)}`);
    const imageId = await ensureImage(ctx, images, flags.timeout);
    const image = await waitForImage(ctx, images, target, imageId, { timeout: flags.timeout, interval: 250 });
    if (image.State !== 'available')
      throw new CliError(
        `the image ended ${image.State}, so the guide's rule (State = available) does not fire`,
        exitCodes.no,
        'remove fault rules with `amiwatch faults remove --all` and run the quickstart again',
      );
    const event = await findEvent(target, defaultBusOf(topicArn), imageId, flags.timeout);
    print(ctx, `${s.green('✔')} EventBridge matched the AMI event to ${event.rules.map((r) => s.bold(r)).join(', ')}:`);
    print(ctx, JSON.stringify(event.event, null, 2));
    await showNotification(ctx, target, email, imageId, flags.timeout);
    print(ctx);
    print(ctx, `Next: ${s.cyan('amiwatch tail')} shows events live; docs/getting-started.md goes on from here.`);
    return exitCodes.ok;
  } catch (err) {
    throw err instanceof CliError ? err : fromSdkError(target, err);
  } finally {
    events.destroy();
    images.destroy();
    topics.destroy();
    if (started) {
      await started.close();
      print(ctx, s.dim(`(the in-memory server this quickstart started has stopped; run \`amiwatch start\` to keep one)`));
    }
  }
}

/** The server at the endpoint, or — when nothing answers there — one started in this process. */
async function ensureServer(ctx: CliContext, endpoint: Endpoint): Promise<App | null> {
  try {
    await fetch(`${endpoint.url}/_amiwatch/health`).then((r) => r.arrayBuffer());
    print(ctx, `${ctx.style.green('✔')} amiwatch at ${endpoint.url}`);
    return null;
  } catch {
    const url = new URL(endpoint.url);
    const app = await startApp({
      config: {
        ...defaults,
        host: url.hostname,
        port: Number(url.port || 80),
        inMemory: true,
        defaultRegion: endpoint.region,
        amiDurations: { CreateImage: 2000, CopyImage: 2000, RegisterImage: 2000, CreateRestoreImageTask: 2000 },
        instanceDurations: { pending: 1000, stopping: 1000, 'shutting-down': 1000 },
      },
      log: () => {},
    }).catch((err: unknown) => {
      throw new CliError(
        `no server answers at ${endpoint.url}, and starting one there failed: ${(err as Error).message}`,
        exitCodes.unreachable,
        'start one yourself with `amiwatch start`',
      );
    });
    print(ctx, `${ctx.style.green('✔')} started amiwatch in memory at ${app.url}`);
    return app;
  }
}

async function ensureImage(ctx: CliContext, client: EC2Client, timeoutSeconds: number): Promise<string> {
  const s = ctx.style;
  const existing = await client.send(
    new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: [quickstartNames.image] }] }),
  );
  const found = existing.Images?.find((i) => i.State !== 'deregistered');
  if (found?.ImageId) {
    print(ctx, `${s.green('✔')} image ${s.bold(found.ImageId)} (${quickstartNames.image}) exists already: not creating another`);
    return found.ImageId;
  }
  const instanceId = await ensureInstance(ctx, client, timeoutSeconds);
  const created = await client.send(
    new CreateImageCommand({ InstanceId: instanceId, Name: quickstartNames.image, Description: 'Created by amiwatch quickstart' }),
  );
  print(ctx, `${s.green('✔')} CreateImage from ${instanceId}: ${s.bold(created.ImageId!)} is pending`);
  return created.ImageId!;
}

/**
 * The default bus of the account and Region the quickstart works in, read off the topic's ARN:
 * the history's `bus=default` alone means the server's default Region and account, which need
 * not be the client's (AWS_REGION=eu-west-1, or keys of another account).
 */
export function defaultBusOf(topicArn: string): string {
  const [, partition, , region, account] = topicArn.split(':');
  return `arn:${partition}:events:${region}:${account}:event-bus/default`;
}

async function findEvent(endpoint: Endpoint, busArn: string, imageId: string, timeoutSeconds: number): Promise<HistoryEvent> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const r = await control<{ events: HistoryEvent[] }>(endpoint, `/_amiwatch/events?bus=${encodeURIComponent(busArn)}&limit=1000`);
    const event = r.body.events.find(
      (e) => e.event.detail?.ImageId === imageId && e.event.detail.State === 'available' && e.rules.includes(quickstartNames.rule),
    );
    if (event) return event;
    if (Date.now() > deadline)
      throw new CliError(
        `no available event for ${imageId} matched ${quickstartNames.rule} within ${timeoutSeconds}s`,
        exitCodes.timeout,
        'look at the history: amiwatch tail, or GET /_amiwatch/events',
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
