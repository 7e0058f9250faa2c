import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Target } from '@aws-sdk/client-eventbridge';
import { transformInput, validateTargetInput } from '../../src/core/events/input-transform.js';
import { parseJsonPath, evaluate } from '../../src/core/events/json-path.js';

const event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 AMI State Change',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1::image/ami-1'],
  detail: { ImageId: 'ami-1', State: 'available', Size: 8, Tags: { a: 'b' } },
};
const text = JSON.stringify(event);
const ctx = { ruleName: 'r', ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ingestionTime: '2026-01-01T00:00:01.234Z' };
const t = (extra: Partial<Target>): Target => ({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:123456789012:q', ...extra });
const run = (extra: Partial<Target>) => transformInput(t(extra), text, event, ctx);

test('no transformation: the event itself; Input: verbatim; InputPath: the JSON at the path', () => {
  assert.equal(run({}), text);
  assert.equal(run({ Input: '{"fixed": true}' }), '{"fixed": true}');
  assert.equal(run({ InputPath: '$.detail' }), JSON.stringify(event.detail));
  assert.equal(run({ InputPath: '$.detail.State' }), '"available"');
  assert.equal(run({ InputPath: '$.resources[0]' }), '"arn:aws:ec2:us-east-1::image/ami-1"');
});

test("string template (AWS's example): raw values, nothing quoted or escaped", () => {
  const out = run({
    InputTransformer: { InputPathsMap: { image: '$.detail.ImageId', state: '$.detail.State' }, InputTemplate: '"<image> is <state>"' },
  });
  assert.equal(out, '"ami-1 is available"');
  const plain = run({ InputTransformer: { InputPathsMap: { image: '$.detail.ImageId' }, InputTemplate: 'Image <image> is ready' } });
  assert.equal(plain, 'Image ami-1 is ready');
});

test('JSON template: strings quoted outside quotes, raw inside; objects and numbers as JSON', () => {
  const out = run({
    InputTransformer: {
      InputPathsMap: { image: '$.detail.ImageId', size: '$.detail.Size', tags: '$.detail.Tags', state: '$.detail.State' },
      InputTemplate: '{"id": <image>, "size": <size>, "tags": <tags>, "msg": "<image> is \\"<state>\\""}',
    },
  });
  assert.deepEqual(JSON.parse(out), { id: 'ami-1', size: 8, tags: { a: 'b' }, msg: 'ami-1 is "available"' });
});

test('reserved variables: rule name and ARN, real ingestion time, the event with and without detail', () => {
  const out = run({
    InputTransformer: {
      InputTemplate:
        '{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "env": <aws.events.event>, "all": <aws.events.event.json>}',
    },
  });
  const parsed = JSON.parse(out);
  assert.equal(parsed.rule, 'r');
  assert.equal(parsed.arn, ctx.ruleArn);
  assert.equal(parsed.at, '2026-01-01T00:00:01.234Z');
  assert.equal(parsed.env.detail, undefined);
  assert.equal(parsed.env.id, event.id);
  assert.deepEqual(parsed.all, event);
});

test('a path that resolves to nothing: null in a JSON position, empty inside a string', () => {
  const out = run({ InputTransformer: { InputPathsMap: { x: '$.detail.missing' }, InputTemplate: '{"a": <x>, "b": "[<x>]"}' } });
  assert.deepEqual(JSON.parse(out), { a: null, b: '[]' });
});

test('write-time validation (PutTargets)', () => {
  assert.throws(
    () => validateTargetInput(t({ Input: '{}', InputPath: '$' })),
    /^ServiceError: Only one of Input, InputPath, or InputTransformer must be provided for target t\.$|Only one of/,
  );
  assert.throws(() => validateTargetInput(t({ Input: '{nope' })), /not valid JSON/);
  assert.throws(() => validateTargetInput(t({ InputPath: 'detail' })), /InputPath is not valid/);
  assert.throws(() => validateTargetInput(t({ InputTransformer: { InputPathsMap: { 'aws.x': '$.a' }, InputTemplate: 'x' } })), /reserved/);
  assert.throws(() => validateTargetInput(t({ InputTransformer: { InputTemplate: '<nope>' } })), /invalid placeholder nope/);
  validateTargetInput(t({ InputTransformer: { InputPathsMap: { a: '$.detail.*' }, InputTemplate: '<a> <aws.events.rule-name>' } }));
});

test('write-time validation: a placeholder may not be an object key of a JSON template (API_InputTransformer)', () => {
  const paths = { k: '$.detail.ImageId' };
  assert.throws(
    () => validateTargetInput(t({ InputTransformer: { InputPathsMap: paths, InputTemplate: '{"<k>": 1}' } })),
    /InputTemplate for target t uses placeholder <k> as an object key\./,
  );
  assert.throws(
    () => validateTargetInput(t({ InputTransformer: { InputPathsMap: paths, InputTemplate: '{"a": 1, "x<k>" : 2}' } })),
    /as an object key/,
  );
  assert.throws(
    () => validateTargetInput(t({ InputTransformer: { InputPathsMap: paths, InputTemplate: '{<k>: 1}' } })),
    /as an object key/,
  );
  // Values, in quotes or not, and a string template that merely looks like a key are fine.
  validateTargetInput(t({ InputTransformer: { InputPathsMap: paths, InputTemplate: '{"a": <k>, "b": "<k>: x", "c": ["<k>"]}' } }));
  validateTargetInput(t({ InputTransformer: { InputPathsMap: paths, InputTemplate: '"<k>": ready' } }));
});

test('write-time validation: <aws.events.event> and <aws.events.event.json> only as a JSON value (their contents are not escaped)', () => {
  for (const name of ['aws.events.event', 'aws.events.event.json']) {
    const message = new RegExp(`InputTemplate for target t uses <${name.replaceAll('.', '\\.')}> outside a JSON value\\.`);
    assert.throws(() => validateTargetInput(t({ InputTransformer: { InputTemplate: `"the event: <${name}>"` } })), message);
    assert.throws(() => validateTargetInput(t({ InputTransformer: { InputTemplate: `{"e": "<${name}>"}` } })), message);
    validateTargetInput(t({ InputTransformer: { InputTemplate: `{"e": <${name}>, "list": [<${name}>]}` } }));
  }
});

test('write-time validation: InputPathsMap paths use dot notation, not bracket notation (API_InputTransformer)', () => {
  assert.throws(
    () => validateTargetInput(t({ InputTransformer: { InputPathsMap: { s: "$['detail']['State']" }, InputTemplate: '<s>' } })),
    /InputPathsMap for target t contains an invalid JSON path: \$\['detail'\]\['State'\]\./,
  );
  validateTargetInput(
    t({
      InputTransformer: {
        InputPathsMap: { r: '$.resources[0]', any: '$.detail.*', dash: '$.detail-type' },
        InputTemplate: '<r> <any> <dash>',
      },
    }),
  );
});

test('JSON paths: dots, indices, wildcards, dashes', () => {
  assert.deepEqual(evaluate(parseJsonPath('$.detail-type')!, event), 'EC2 AMI State Change');
  assert.deepEqual(evaluate(parseJsonPath('$.detail.Tags.*')!, event), ['b']);
  assert.equal(evaluate(parseJsonPath('$.resources[3]')!, event), undefined);
  assert.equal(parseJsonPath('$..x'), null);
});
