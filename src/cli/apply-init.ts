import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { readFile } from 'node:fs/promises';
import { CreateFunctionCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import type { Endpoint } from './endpoint.js';
import { eventBridge, fromSdkError, lambda, sns, sqs } from './aws-clients.js';
import { resolve as resolvePath } from 'node:path';
import { CliError, exitCodes } from './exit-codes.js';
import type { InitSpec, InitTarget } from './init-file.js';
import { grantInvoke, isFunctionArn } from './init-permission.js';
import { grantTargetDelivery } from './init-target-policy.js';

export interface InitWorld {
  readonly endpoint: Endpoint;
  readonly account: string;
  /** Services the server serves (from /_amiwatch/health): a section needing a missing one is refused. */
  readonly services: readonly string[];
  /** Directory of the init file: function zips are relative to it. */
  readonly baseDir: string;
}

/** Which service each section of an init file needs. */
const needs: Record<string, string> = { topics: 'sns', subscriptions: 'sns', queues: 'sqs', functions: 'lambda' };

/**
 * Creates what the file describes, in dependency order (buses, topics, queues, subscriptions,
 * functions, then rules with their targets),
 * through the public APIs. Every step is idempotent. Returns one line per thing made.
 * A Lambda function target is given the permission to be invoked by the rule before PutTargets,
 * as the console does (see init-permission.ts).
 */
export async function applyInit(spec: InitSpec, world: InitWorld): Promise<string[]> {
  for (const [section, service] of Object.entries(needs)) {
    if ((spec[section as keyof InitSpec] as readonly unknown[]).length > 0 && !world.services.includes(service)) {
      throw new CliError(
        `--init: section ${section} needs the ${service} service, which this amiwatch does not serve (it serves ${world.services.join(', ')})`,
        exitCodes.usage,
      );
    }
  }
  const done: string[] = [];
  const events = eventBridge(world.endpoint);
  const topics = sns(world.endpoint);
  const queues = sqs(world.endpoint);
  const functions = lambda(world.endpoint);
  const { region } = world.endpoint;
  try {
    for (const bus of spec.buses) {
      try {
        await events.send(new CreateEventBusCommand({ Name: bus.name }));
      } catch (err) {
        if ((err as { name?: string }).name !== 'ResourceAlreadyExistsException') throw err;
      }
      done.push(`bus ${bus.name}`);
    }
    for (const topic of spec.topics) {
      // CreateTopic is idempotent for the same name and attributes, as on AWS.
      await topics.send(
        new CreateTopicCommand({
          Name: topic.name,
          ...(topic.displayName !== undefined && { Attributes: { DisplayName: topic.displayName } }),
        }),
      );
      done.push(`topic ${topic.name}`);
    }
    for (const queue of spec.queues) {
      await queues.send(new CreateQueueCommand({ QueueName: queue.name, ...(queue.attributes && { Attributes: queue.attributes }) }));
      done.push(`queue ${queue.name}`);
    }
    for (const sub of spec.subscriptions) {
      const topicArn = sub.topic.startsWith('arn:') ? sub.topic : `arn:aws:sns:${region}:${world.account}:${sub.topic}`;
      const endpoint =
        sub.protocol === 'sqs' && !sub.endpoint.startsWith('arn:')
          ? `arn:aws:sqs:${region}:${world.account}:${sub.endpoint}`
          : sub.endpoint;
      // Subscribe returns the existing subscription for the same topic, protocol and endpoint.
      const r = await topics.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: sub.protocol, Endpoint: endpoint, ReturnSubscriptionArn: true }),
      );
      done.push(
        `subscription ${sub.protocol}:${sub.endpoint} to ${sub.topic}${r.SubscriptionArn === 'pending confirmation' ? ' (pending confirmation)' : ''}`,
      );
    }
    for (const fn of spec.functions) {
      const exists = await functions.send(new GetFunctionCommand({ FunctionName: fn.name })).then(
        () => true,
        (err: { name?: string }) => {
          if (err.name === 'ResourceNotFoundException') return false;
          throw err;
        },
      );
      if (!exists) {
        const path = resolvePath(world.baseDir, fn.zip);
        const zip = await readFile(path).catch((err: NodeJS.ErrnoException) => {
          throw new CliError(`--init: function ${fn.name}: cannot read ${path} (${err.code ?? err.message})`, exitCodes.usage);
        });
        await functions.send(
          new CreateFunctionCommand({
            FunctionName: fn.name,
            Runtime: (fn.runtime ?? 'nodejs20.x') as 'nodejs20.x',
            Handler: fn.handler ?? 'index.handler',
            Role: `arn:aws:iam::${world.account}:role/amiwatch-init`,
            Code: { ZipFile: zip },
            ...(fn.timeout !== undefined && { Timeout: fn.timeout }),
          }),
        );
      }
      done.push(`function ${fn.name}${exists ? ' (exists)' : ''}`);
    }
    for (const rule of spec.rules) {
      const bus = rule.bus ?? 'default';
      const { RuleArn } = await events.send(
        new PutRuleCommand({
          Name: rule.name,
          EventBusName: bus,
          ...(rule.description !== undefined && { Description: rule.description }),
          ...(rule.pattern !== undefined && {
            EventPattern: typeof rule.pattern === 'string' ? rule.pattern : JSON.stringify(rule.pattern),
          }),
          ...(rule.schedule !== undefined && { ScheduleExpression: rule.schedule }),
          State: rule.state ?? 'ENABLED',
        }),
      );
      const targets = (rule.targets ?? []).map((t) => toTarget(t, world));
      for (const t of targets) {
        if (!isFunctionArn(t.Arn!) || !world.services.includes('lambda')) continue;
        const fn = t.Arn!.slice(t.Arn!.lastIndexOf(':function:') + 10);
        const outcome = await grantInvoke(functions, t.Arn!, RuleArn!, t.Id!).catch((err: unknown) => {
          // A function made later (by the user's own deploy step) is a target PutTargets takes, as
          // on AWS; it is said, and its permission is then the user's to add.
          if ((err as { name?: string }).name === 'ResourceNotFoundException') return 'missing' as const;
          const e = fromSdkError(world.endpoint, err);
          throw new CliError(
            `--init: rule ${rule.name}, target ${t.Id}: EventBridge could not be given permission to invoke ${t.Arn}: ${e.message}`,
            e.exitCode,
            e.hint,
          );
        });
        done.push(
          outcome === 'missing'
            ? `no permission for rule ${rule.name} to invoke ${fn}: no such function yet (its deliveries fail until it exists and allows the rule)`
            : `permission for rule ${rule.name} to invoke ${fn}${outcome === 'present' ? ' (exists)' : ''}`,
        );
      }
      for (const t of targets) {
        // A topic or queue target: its policy gets the statement AWS's console adds (NO_PERMISSIONS otherwise).
        const grant = await grantTargetDelivery(topics, queues, t.Arn!, RuleArn!, t.Id!);
        if (grant === 'added') done.push(`policy of ${t.Arn} lets rule ${rule.name} deliver`);
        if (grant === 'missing')
          done.push(
            `no policy for rule ${rule.name} on ${t.Arn}: no such topic or queue yet (its deliveries fail until it exists and allows the rule)`,
          );
      }
      if (targets.length > 0) {
        const result = await events.send(new PutTargetsCommand({ Rule: rule.name, EventBusName: bus, Targets: targets }));
        const failed = result.FailedEntries?.[0];
        if (failed)
          throw new CliError(
            `--init: rule ${rule.name}, target ${failed.TargetId}: ${failed.ErrorCode} ${failed.ErrorMessage}`,
            exitCodes.refused,
          );
      }
      done.push(`rule ${rule.name} on bus ${bus}${targets.length ? ` → ${targets.map((t) => t.Id).join(', ')}` : ''}`);
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = fromSdkError(world.endpoint, err);
    throw new CliError(`--init: ${e.message}`, e.exitCode, e.hint);
  } finally {
    events.destroy();
    topics.destroy();
    queues.destroy();
    functions.destroy();
  }
  return done;
}

function toTarget(t: InitTarget, world: InitWorld): Target {
  const { region } = world.endpoint;
  const arn =
    t.arn ??
    (t.bus !== undefined
      ? `arn:aws:events:${region}:${world.account}:event-bus/${t.bus}`
      : t.topic !== undefined
        ? `arn:aws:sns:${region}:${world.account}:${t.topic}`
        : t.queue !== undefined
          ? `arn:aws:sqs:${region}:${world.account}:${t.queue}`
          : `arn:aws:lambda:${region}:${world.account}:function:${t.function}`);
  return {
    Id: t.id,
    Arn: arn,
    ...(t.input !== undefined && { Input: t.input }),
    ...(t.inputPath !== undefined && { InputPath: t.inputPath }),
    ...(t.deadLetterQueue !== undefined && {
      DeadLetterConfig: {
        Arn: t.deadLetterQueue.startsWith('arn:') ? t.deadLetterQueue : `arn:aws:sqs:${region}:${world.account}:${t.deadLetterQueue}`,
      },
    }),
    ...(t.retryPolicy !== undefined && {
      RetryPolicy: {
        ...(t.retryPolicy.maximumRetryAttempts !== undefined && { MaximumRetryAttempts: t.retryPolicy.maximumRetryAttempts }),
        ...(t.retryPolicy.maximumEventAgeInSeconds !== undefined && { MaximumEventAgeInSeconds: t.retryPolicy.maximumEventAgeInSeconds }),
      },
    }),
  };
}
