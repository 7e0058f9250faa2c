import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import parsePrometheus from 'parse-prometheus-text-format';
import { delivered } from '../../src/delivery/transport.js';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from '../e2e/helpers.js';
import { ROLE, zipOf } from '../lambda/helpers.js';

/** The metrics endpoints over HTTP: values move with traffic; bad queries get a clear 400. */
let app: App;
let eb: EventBridgeClient;
const get = async (path: string) => {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

before(async () => {
  app = await startTestServer({}, { transports: { sqs: { deliver: async () => delivered } } });
  eb = sdkClient(app);
});
after(async () => {
  eb.destroy();
  await app.close();
});

describe('metrics API', () => {
  it('counts matched events per rule as PutEvents drives traffic, in Prometheus text and in series', async () => {
    await eb.send(new PutRuleCommand({ Name: 'orders', EventPattern: '{"source":["shop"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'orders', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] }));
    const put = (n: number) =>
      eb.send(new PutEventsCommand({ Entries: Array.from({ length: n }, () => ({ Source: 'shop', DetailType: 'o', Detail: '{}' })) }));
    await put(3);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'elsewhere', DetailType: 'o', Detail: '{}' }] }));
    const sum = async (name: string) =>
      ((await get(`/_amiwatch/metrics/series?name=${name}&bus=default&rule=orders`)).body.points as { value: number }[]).reduce(
        (s, p) => s + p.value,
        0,
      );
    assert.equal(await sum('MatchedEvents'), 3);
    await put(2);
    assert.equal(await sum('MatchedEvents'), 5);
    // Delivery metrics follow as the worker delivers.
    for (let i = 0; i < 100 && (await sum('Invocations')) < 5; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await sum('Invocations'), 5);
    assert.equal(await sum('FailedInvocations'), 0);

    const families = parsePrometheus(await (await fetch(`${app.url}/_amiwatch/metrics`)).text());
    const matched = families.find((f) => f.name === 'amiwatch_events_matched_events_total');
    assert.equal(matched?.type, 'COUNTER');
    assert.deepEqual(matched?.metrics, [{ labels: { EventBusName: 'default', RuleName: 'orders' }, value: '5' }]);
    assert.ok(
      families.some((f) => f.name === 'amiwatch_sns_number_of_messages_published_total'),
      'SNS metrics are declared before SNS records any',
    );
  });

  it('answers bad series queries with 400 and a message', async () => {
    assert.match(String((await get('/_amiwatch/metrics/series')).body.error), /name is required/);
    assert.equal((await get('/_amiwatch/metrics/series?name=Nope')).status, 400);
    assert.match(
      String((await get('/_amiwatch/metrics/series?name=MatchedEvents&from=yesterday')).body.error),
      /from: expected epoch milliseconds/,
    );
    assert.equal((await get('/_amiwatch/metrics/series?name=MatchedEvents&step=0')).status, 400);
    assert.equal((await get('/_amiwatch/metrics/series?name=MatchedEvents&stat=p99')).status, 400);
    assert.equal((await get('/_amiwatch/metrics/series?name=MatchedEvents&from=0&to=99999999999&step=1')).status, 400, 'too many points');
    const catalog = await get('/_amiwatch/metrics/catalog');
    assert.ok((catalog.body.metrics as unknown[]).length >= 17);
    assert.equal((await get('/_amiwatch/functions/none/logs')).status, 404);
  });
  it('series of one account and region: the same bus and rule names in two regions stay apart', async () => {
    const eu = sdkClient(app, undefined, 'eu-west-1');
    try {
      await eu.send(new PutRuleCommand({ Name: 'regional', EventPattern: '{"source":["regional"]}' }));
      await eb.send(new PutRuleCommand({ Name: 'regional', EventPattern: '{"source":["regional"]}' }));
      await eu.send(
        new PutEventsCommand({ Entries: Array.from({ length: 4 }, () => ({ Source: 'regional', DetailType: 'r', Detail: '{}' })) }),
      );
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'regional', DetailType: 'r', Detail: '{}' }] }));
      const sum = async (scope: string) =>
        (
          (await get(`/_amiwatch/metrics/series?name=MatchedEvents&bus=default&rule=regional${scope}`)).body.points as { value: number }[]
        ).reduce((s, p) => s + p.value, 0);
      assert.equal(await sum('&account=000000000000&region=eu-west-1'), 4);
      assert.equal(await sum('&account=000000000000&region=us-east-1'), 1);
      assert.equal(await sum('&account=111122223333&region=us-east-1'), 0);
      assert.equal(await sum(''), 5, 'without a scope: every region');
    } finally {
      eu.destroy();
    }
  });
  it('AWS/Lambda series of one account and region: a function name in two regions is two functions', async () => {
    const code = zipOf({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("no"); };' });
    const clients = ['us-east-1', 'eu-west-1'].map(
      (region) =>
        new LambdaClient({ endpoint: app.url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }),
    );
    try {
      for (const [i, c] of clients.entries()) {
        await c.send(
          new CreateFunctionCommand({
            FunctionName: 'twin',
            Runtime: 'nodejs20.x',
            Role: ROLE,
            Handler: 'index.handler',
            Code: { ZipFile: code },
          }),
        );
        for (let n = 0; n <= i * 2; n++)
          await c.send(new InvokeCommand({ FunctionName: 'twin', Payload: Buffer.from(`{"fail":${n === 0}}`) }));
      }
      const sum = async (name: string, scope: string) =>
        ((await get(`/_amiwatch/metrics/series?name=${name}&function=twin${scope}`)).body.points as { value: number }[]).reduce(
          (s, p) => s + p.value,
          0,
        );
      assert.equal(await sum('Invocations', '&account=000000000000&region=us-east-1'), 1);
      assert.equal(await sum('Invocations', '&account=000000000000&region=eu-west-1'), 3);
      assert.equal(await sum('Errors', '&account=000000000000&region=eu-west-1'), 1);
      assert.equal(await sum('Invocations', '&account=111122223333&region=eu-west-1'), 0);
      assert.equal(await sum('Invocations', ''), 4, 'without a scope: every region');
    } finally {
      for (const c of clients) c.destroy();
    }
  });
});
