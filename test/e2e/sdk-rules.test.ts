import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import type { App } from '../../src/server/app.js';
import { sdkClient, startTestServer } from './helpers.js';

const GUIDE_PATTERN = '{"source":["aws.ec2"],"detail-type":["EC2 AMI State Change"],"detail":{"State":["available"]}}';
let app: App;
let eb: EventBridgeClient;

before(async () => {
  app = await startTestServer();
  eb = sdkClient(app);
});
after(async () => {
  eb.destroy();
  await app.close();
});

const rejects = async (p: Promise<unknown>, name: string, message?: string | RegExp) => {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
};

test("the guide's rule: created, described, listed, disabled, enabled, deleted", async () => {
  const put = await eb.send(new PutRuleCommand({ Name: 'ami-available', EventPattern: GUIDE_PATTERN, Description: 'AMI is available' }));
  assert.equal(put.RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/ami-available');
  const d = await eb.send(new DescribeRuleCommand({ Name: 'ami-available' }));
  assert.equal(d.EventPattern, GUIDE_PATTERN);
  assert.equal(d.State, 'ENABLED');
  assert.equal(d.EventBusName, 'default');
  assert.equal(d.Description, 'AMI is available');
  assert.equal(d.CreatedBy, '000000000000');
  const list = await eb.send(new ListRulesCommand({}));
  assert.deepEqual(
    list.Rules?.map((r) => r.Name),
    ['ami-available'],
  );
  await eb.send(new DisableRuleCommand({ Name: 'ami-available' }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'ami-available' }))).State, 'DISABLED');
  await eb.send(new EnableRuleCommand({ Name: 'ami-available' }));
  assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'ami-available' }))).State, 'ENABLED');
  await eb.send(new DeleteRuleCommand({ Name: 'ami-available' }));
  await rejects(
    eb.send(new DescribeRuleCommand({ Name: 'ami-available' })),
    'ResourceNotFoundException',
    'Rule ami-available does not exist on EventBus default.',
  );
});

test('PutRule validates the pattern with the engine and AWS texts', async () => {
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '["not", "a", "dict", "but valid json"]' })),
    'InvalidEventPatternException',
    'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"["not", "a", "dict", "but valid json"]"; line: 1, column: 2]',
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":[]}' })),
    'InvalidEventPatternException',
    /Empty arrays are not allowed/,
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'bad' })),
    'ValidationException',
    'Parameter(s) EventPattern or ScheduleExpression must be specified.',
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })),
    'ValidationException',
    'Parameter ScheduleExpression is not valid.',
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 12 * * * *)' })),
    'ValidationException',
    'Parameter ScheduleExpression is not valid.',
  );
  await eb.send(new PutRuleCommand({ Name: 'every-5', ScheduleExpression: 'rate(5 minutes)' }));
  await eb.send(new PutRuleCommand({ Name: 'weekdays', ScheduleExpression: 'cron(0/15 8-17 ? * MON-FRI *)' }));
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'bad name!', EventPattern: GUIDE_PATTERN })),
    'ValidationException',
    "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
  );
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'x', EventPattern: GUIDE_PATTERN, EventBusName: 'nope' })),
    'ResourceNotFoundException',
    'Event bus nope does not exist.',
  );
  await eb.send(new DeleteRuleCommand({ Name: 'every-5' }));
  await eb.send(new DeleteRuleCommand({ Name: 'weekdays' }));
});

test('targets: put, list, refuse rule deletion while targeted, remove', async () => {
  await eb.send(new PutRuleCommand({ Name: 'with-targets', EventPattern: GUIDE_PATTERN }));
  const busArn = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
  const put = await eb.send(
    new PutTargetsCommand({
      Rule: 'with-targets',
      Targets: [
        { Id: 't1', Arn: busArn },
        { Id: 't2', Arn: 'arn:aws:sns:us-east-1:000000000000:ami-events' },
      ],
    }),
  );
  assert.equal(put.FailedEntryCount, 0);
  const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'with-targets' }));
  assert.deepEqual(
    listed.Targets?.map((t) => t.Id),
    ['t1', 't2'],
  );
  const byTarget = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: busArn }));
  assert.deepEqual(byTarget.RuleNames, ['with-targets']);
  await rejects(
    eb.send(new DeleteRuleCommand({ Name: 'with-targets' })),
    'ValidationException',
    "Rule can't be deleted since it has targets.",
  );
  await rejects(
    eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 't3', Arn: busArn, Input: '{}', InputPath: '$.detail' }] })),
    'ValidationException',
    'Only one of Input, InputPath, or InputTransformer must be provided for target t3.',
  );
  await rejects(
    eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: [{ Id: 't3', Arn: 'not-an-arn' }] })),
    'ValidationException',
    'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.',
  );
  const many = Array.from({ length: 4 }, (_, i) => ({ Id: `x${i}`, Arn: busArn }));
  await rejects(eb.send(new PutTargetsCommand({ Rule: 'with-targets', Targets: many })), 'LimitExceededException');
  await eb.send(new RemoveTargetsCommand({ Rule: 'with-targets', Ids: ['t1', 't2'] }));
  await eb.send(new DeleteRuleCommand({ Name: 'with-targets' }));
});

test('ListRules pages with NamePrefix, Limit and NextToken', async () => {
  for (let i = 0; i < 7; i++) await eb.send(new PutRuleCommand({ Name: `page-${i}`, EventPattern: '{"source":["x"]}' }));
  await eb.send(new PutRuleCommand({ Name: 'other', EventPattern: '{"source":["x"]}' }));
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await eb.send(new ListRulesCommand({ NamePrefix: 'page-', Limit: 3, NextToken: token }));
    names.push(...(page.Rules ?? []).map((r) => r.Name!));
    token = page.NextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual(
    names,
    Array.from({ length: 7 }, (_, i) => `page-${i}`),
  );
  await rejects(eb.send(new ListRulesCommand({ NextToken: 'garbage' })), 'ValidationException', 'The provided NextToken is not valid.');
  await rejects(eb.send(new ListRulesCommand({ Limit: 0 })), 'ValidationException', /Member must have value greater than or equal to 1/);
});

test('TestEventPattern', async () => {
  const event = JSON.stringify({
    id: '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'EC2 AMI State Change',
    source: 'aws.ec2',
    account: '000000000000',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { State: 'available' },
  });
  assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: GUIDE_PATTERN, Event: event }))).Result, true);
  assert.equal(
    (await eb.send(new TestEventPatternCommand({ EventPattern: GUIDE_PATTERN.replace('available', 'failed'), Event: event }))).Result,
    false,
  );
  await rejects(
    eb.send(new TestEventPatternCommand({ EventPattern: GUIDE_PATTERN, Event: '{"source":"x"}' })),
    'ValidationException',
    'Parameter Event is not valid.',
  );
  await rejects(
    eb.send(new TestEventPatternCommand({ EventPattern: '{"source":[{"numeric":">"}]}', Event: event })),
    'InvalidEventPatternException',
    /^Event pattern is not valid\. Reason: /,
  );
});

test('PutTargets refuses a FIFO queue as a DeadLetterConfig (EventBridge DLQs are standard queues)', async () => {
  await eb.send(new PutRuleCommand({ Name: 'fifo-dlq', EventPattern: GUIDE_PATTERN }));
  const target = { Id: 't', Arn: 'arn:aws:sns:us-east-1:000000000000:ami-events' };
  await rejects(
    eb.send(
      new PutTargetsCommand({
        Rule: 'fifo-dlq',
        Targets: [{ ...target, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq.fifo' } }],
      }),
    ),
    'ValidationException',
    'SQS FIFO is not supported by Dead Letter Queues.',
  );
  assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: 'fifo-dlq' }))).Targets, []);
  await eb.send(
    new PutTargetsCommand({
      Rule: 'fifo-dlq',
      Targets: [{ ...target, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } }],
    }),
  );
  await eb.send(new DeleteRuleCommand({ Name: 'fifo-dlq', Force: true }));
});

test('quotas (eb-quota): 300 rules per bus, 5 targets per rule, 10 targets per PutTargets call', async () => {
  await eb.send(new CreateEventBusCommand({ Name: 'quota' }));
  for (let i = 0; i < 300; i++) await eb.send(new PutRuleCommand({ Name: `q-${i}`, EventBusName: 'quota', EventPattern: GUIDE_PATTERN }));
  await rejects(
    eb.send(new PutRuleCommand({ Name: 'q-300', EventBusName: 'quota', EventPattern: GUIDE_PATTERN })),
    'LimitExceededException',
  );
  await eb.send(
    new PutRuleCommand({ Name: 'q-0', EventBusName: 'quota', EventPattern: GUIDE_PATTERN, Description: 'updating is not adding' }),
  );
  const target = (i: number) => ({ Id: `t${i}`, Arn: 'arn:aws:sns:us-east-1:000000000000:ami-events' });
  const targets = (n: number) => Array.from({ length: n }, (_, i) => target(i));
  await rejects(eb.send(new PutTargetsCommand({ Rule: 'q-0', EventBusName: 'quota', Targets: targets(11) })), 'LimitExceededException');
  await rejects(eb.send(new PutTargetsCommand({ Rule: 'q-0', EventBusName: 'quota', Targets: targets(6) })), 'LimitExceededException');
  await eb.send(new PutTargetsCommand({ Rule: 'q-0', EventBusName: 'quota', Targets: targets(5) }));
  assert.equal((await eb.send(new ListTargetsByRuleCommand({ Rule: 'q-0', EventBusName: 'quota' }))).Targets?.length, 5);
  await eb.send(new DeleteEventBusCommand({ Name: 'quota' }));
});
