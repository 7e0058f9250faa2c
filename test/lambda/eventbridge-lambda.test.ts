import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateImageCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient, type Target } from '@aws-sdk/client-eventbridge';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  PutFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import parsePrometheus from 'parse-prometheus-text-format';
import { ManualClock } from '../../src/core/shared/clock.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { lambdaClient, ROLE, TUTORIAL_FUNCTION, until, zipOf } from './helpers.js';
import { runningInstance } from '../support/ec2-instance.js';

const GUIDE_PATTERN = '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type Delivery = { status: string; attempts: number; lastError?: string };
async function deliveriesOf(app: App, source: string): Promise<Delivery[]> {
  const body = (await (await fetch(`${app.url}/_amiwatch/events?bus=default`)).json()) as {
    events: { event: { source: string }; deliveries: Delivery[] }[];
  };
  return body.events.filter((e) => e.event.source === source).flatMap((e) => e.deliveries);
}

async function series(app: App, query: string): Promise<number> {
  const body = (await (await fetch(`${app.url}/_amiwatch/metrics/series?${query}`)).json()) as { points: { value: number | null }[] };
  return body.points.reduce((sum, p) => sum + (p.value ?? 0), 0);
}

async function prometheus(app: App): Promise<Map<string, number>> {
  const res = await fetch(`${app.url}/_amiwatch/metrics`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const values = new Map<string, number>();
  for (const family of parsePrometheus(await res.text())) {
    if (family.type === 'HISTOGRAM') {
      // parse-prometheus-text-format 1.1.1 drops the labels (and _count) of labelled histograms:
      // a histogram is read as its total observation count, from the +Inf buckets.
      values.set(
        family.name,
        family.metrics.reduce((n, m) => n + Number(m.buckets?.['+Inf'] ?? 0), 0),
      );
      continue;
    }
    for (const m of family.metrics) {
      const labels = Object.entries(m.labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      values.set(`${family.name}{${labels}}`, Number(m.value));
    }
  }
  return values;
}

describe('the tutorial: an AMI state change reaches a Lambda function (real clock)', () => {
  let app: App;
  let eb: EventBridgeClient;
  let lambda: LambdaClient;
  let ec2: EC2Client;
  before(async () => {
    app = await startTestServer();
    eb = sdkClient(app);
    lambda = lambdaClient(app);
    ec2 = new EC2Client({ endpoint: app.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    eb.destroy();
    lambda.destroy();
    ec2.destroy();
    await app.close();
  });

  it("CreateImage → the guide's rule → the tutorial's function logs the `available` event; metrics move", { timeout: 30_000 }, async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'LogEC2InstanceStateChange',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.js': TUTORIAL_FUNCTION }) },
      }),
    );
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'ami-available', EventPattern: GUIDE_PATTERN }));
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'LogEC2InstanceStateChange',
        StatementId: 'ami-available-event',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: RuleArn,
      }),
    );
    await eb.send(new PutTargetsCommand({ Rule: 'ami-available', Targets: [{ Id: '1', Arn: fn.FunctionArn }] }));
    const { ImageId } = await ec2.send(new CreateImageCommand({ InstanceId: await runningInstance(ec2), Name: 'web-server-v1' }));

    const log = await until(async () => {
      const body = (await (await fetch(`${app.url}/_amiwatch/functions/LogEC2InstanceStateChange/logs`)).json()) as {
        events: { message: string }[];
      };
      return body.events[0]?.message;
    }, 20_000);
    assert.match(log, /INFO\tLogEC2InstanceStateChange\n/);
    const event = JSON.parse(log.slice(log.indexOf('Received event: ') + 'Received event: '.length, log.indexOf('\nEND RequestId')));
    assert.equal(event['detail-type'], 'EC2 AMI State Change');
    assert.equal(event.detail.State, 'available');
    assert.equal(event.detail.ImageId, ImageId);

    await until(async () => ((await deliveriesOf(app, 'aws.ec2'))[0]?.status === 'delivered' ? true : undefined));
    const prom = await prometheus(app);
    const rule = '{EventBusName=default,RuleName=ami-available}';
    assert.equal(prom.get(`amiwatch_events_matched_events_total${rule}`), 1);
    assert.equal(prom.get(`amiwatch_events_triggered_rules_total${rule}`), 1);
    assert.equal(prom.get(`amiwatch_events_invocations_total${rule}`), 1);
    assert.equal(prom.get(`amiwatch_events_invocation_attempts_total${rule}`), 1);
    assert.equal(prom.get('amiwatch_events_ingestion_to_invocation_success_latency_milliseconds'), 1, 'one latency observation');
    assert.equal(prom.get('amiwatch_lambda_invocations_total{FunctionName=LogEC2InstanceStateChange}'), 1);
    assert.equal(await series(app, 'name=MatchedEvents&bus=default&rule=ami-available'), 1);
    assert.equal(await series(app, 'name=Invocations&function=LogEC2InstanceStateChange'), 1);
  });
});

describe('failing Lambda targets: retries, timeouts, permissions (manual clock for the retry schedule)', () => {
  const clock = new ManualClock(Date.now());
  let app: App;
  let eb: EventBridgeClient;
  let lambda: LambdaClient;
  before(async () => {
    app = await startTestServer({}, { clock });
    eb = sdkClient(app);
    lambda = lambdaClient(app);
  });
  after(async () => {
    eb.destroy();
    lambda.destroy();
    await app.close();
  });

  /** A function, a rule for `source` targeting it (allowed unless `allow` is false), one event. */
  async function wire(
    name: string,
    code: string,
    source: string,
    target: Partial<Target>,
    opts: { timeout?: number; allow?: boolean; asyncRetries?: number } = {},
  ) {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Timeout: opts.timeout ?? 3,
        Code: { ZipFile: zipOf({ 'index.js': code }) },
      }),
    );
    if (opts.asyncRetries !== undefined)
      await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: opts.asyncRetries }));
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }));
    if (opts.allow !== false) {
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: name,
          StatementId: 'eb',
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          SourceArn: RuleArn,
        }),
      );
    }
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: '1', Arn: fn.FunctionArn, ...target }] }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
  }

  /**
   * Drives the worker through the retry schedule: waits (real time) for each attempt to be
   * written, then moves the clock past the backoff. Never moves it while an attempt runs, which
   * would expire the attempt's lease.
   */
  async function settle(source: string): Promise<Delivery> {
    let seen = 0;
    for (;;) {
      const d = await until(async () => {
        const [d] = await deliveriesOf(app, source);
        return d && (d.status !== 'pending' || d.attempts > seen) ? d : undefined;
      });
      if (d.status !== 'pending') return d;
      seen = d.attempts;
      clock.advance(60_000);
      app.worker.wake();
    }
  }

  /** The asynchronous invocation job of `fn` (Lambda's own queue), driven like `settle`: each retry's wait is checked exactly. */
  async function settleAsync(fn: string, waits: number[]): Promise<Delivery & { dueAt: number }> {
    const busArn = `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
    const job = async () => (await app.store.readEvents({ busArn, limit: 1 }))[0]?.deliveries[0];
    for (let i = 0; ; i++) {
      await app.worker.jobsIdle();
      const d = await until(async () => {
        const d = await job();
        return d && (d.status !== 'pending' || d.attempts > i) ? d : undefined;
      });
      if (d.status !== 'pending') return { ...d, lastError: d.lastError ?? undefined };
      assert.equal(d.dueAt - clock.now(), waits[i], `retry ${i + 1} waits ${waits[i]} ms`);
      clock.advance(waits[i]! - 1);
      assert.equal(await app.worker.runOnce(), 0, 'not due a millisecond early');
      clock.advance(1);
      await app.worker.runOnce();
    }
  }

  it('a throwing function: EventBridge hands the event to Lambda (delivered at once); Lambda runs it 3 times, 1 then 2 minutes apart; metrics count every run', {
    timeout: 30_000,
  }, async () => {
    await wire('thrower', 'exports.handler = async () => { throw new Error("cannot tag image"); };', 'test.throw', {
      RetryPolicy: { MaximumRetryAttempts: 2 },
    });
    const d = await settle('test.throw');
    assert.equal(d.status, 'delivered', 'on AWS the rule target succeeds once Lambda has queued the event');
    assert.equal(d.attempts, 1);
    const job = await settleAsync('thrower', [60_000, 120_000]);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 3);
    assert.match(job.lastError!, /^RetriesExhausted after FUNCTION_ERROR: Error: cannot tag image/);
    const dims = 'bus=default&rule=thrower';
    const from = `&from=${clock.now() - 3_600_000}&to=${clock.now()}`;
    assert.equal(await series(app, `name=Invocations&${dims}${from}`), 1);
    assert.equal(await series(app, `name=FailedInvocations&${dims}${from}`), 0);
    assert.equal(await series(app, `name=Errors&function=thrower${from}`), 3);
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/thrower/logs`)).json()) as { events: { requestId: string }[] };
    assert.equal(logs.events.length, 3);
    assert.equal(new Set(logs.events.map((e) => e.requestId)).size, 1, 'every retry keeps the request id, as on Lambda');
  });

  it('a function sleeping past its timeout is killed; with MaximumRetryAttempts 0 it is not retried', { timeout: 30_000 }, async () => {
    await wire(
      'sleeper',
      'exports.handler = async () => { await new Promise((r) => setTimeout(r, 10000)); };',
      'test.sleep',
      {},
      { timeout: 1, asyncRetries: 0 },
    );
    assert.equal((await settle('test.sleep')).status, 'delivered');
    const job = await settleAsync('sleeper', []);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1);
    assert.match(job.lastError!, /^RetriesExhausted after TIMEOUT: Sandbox\.Timedout: .*Task timed out after 1\.00 seconds/);
    const prom = await prometheus(app);
    assert.equal(prom.get('amiwatch_lambda_errors_total{FunctionName=sleeper}'), 1);
  });

  it('a function whose policy does not let EventBridge in fails at once with NO_PERMISSIONS, unretried', { timeout: 30_000 }, async () => {
    await wire('private', 'exports.handler = async () => "never";', 'test.private', {}, { allow: false });
    const d = await settle('test.private');
    assert.equal(d.status, 'failed');
    assert.equal(d.attempts, 1);
    assert.match(d.lastError!, /^NO_PERMISSIONS: .*events\.amazonaws\.com/);
    const logs = (await (await fetch(`${app.url}/_amiwatch/functions/private/logs`)).json()) as { events: unknown[] };
    assert.equal(logs.events.length, 0, 'the function never ran');
  });
});
