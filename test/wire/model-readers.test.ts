import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../src/core/shared/service-error.js';
import { formTree } from '../../src/wire/model/form-tree.js';
import { readJsonInput } from '../../src/wire/model/json-input.js';
import { readQueryInput, type QueryDecoding } from '../../src/wire/model/query-input.js';
import type { ServiceModel, ShapeModel } from '../../src/wire/model/service-model.js';
import { eventsModel } from '../../src/wire/generated/events.js';

/** The model-driven readers on their own: what the protocols build on. */
const shapes: Record<string, ShapeModel> = {
  Input: {
    t: 'structure',
    members: { Ids: { shape: 'Ids', name: 'Id' }, Tags: { shape: 'Tags' }, Count: { shape: 'Count' }, On: { shape: 'Flag' } },
    required: ['Ids'],
  },
  Ids: { t: 'list', member: 'Id', max: 2 },
  Id: { t: 'string', min: 2, pattern: '[a-z]+' },
  Tags: { t: 'map', key: 'Id', value: 'Id', entry: 'entry', keyName: 'key', valueName: 'value' },
  Count: { t: 'integer', min: 1, max: 10 },
  Flag: { t: 'boolean' },
};
const decoding: QueryDecoding = {
  shapes,
  invalidValue: (raw, key, type) => new ServiceError('InvalidParameterValue', `${key}=${raw} is not ${type}`),
  tooMany: (key, count, max) => new ServiceError('TooMany', `${key}: ${count} > ${max}`),
};
const query = (text: string) => readQueryInput(decoding, 'Input', formTree(text).root);

test('query: lists by index in numeric order (gaps allowed), maps by entry, scalars typed', () => {
  assert.deepEqual(query('Id.10=j&Id.2=b&Tags.entry.1.key=k&Tags.entry.1.value=v&Count=3&On=TRUE'), {
    Ids: ['b', 'j'],
    Tags: { k: 'v' },
    Count: 3,
    On: true,
  });
  // An index present without its value is an empty element, for the service to refuse in its words.
  assert.deepEqual(query('Id.1.x=y'), { Ids: [''] });
  assert.deepEqual(query('Other=1'), {});
  // A map key is data: `__proto__` is an own member, not the result's prototype.
  const tags = query('Id.1=ab&Tags.entry.1.key=__proto__&Tags.entry.1.value=x').Tags as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  assert.deepEqual(Object.keys(tags), ['__proto__']);
  const json = readJsonInput(
    { shapes } as unknown as ServiceModel,
    'Input',
    JSON.parse('{"Ids":["ab"],"Tags":{"__proto__":"x"}}'),
    'types',
  );
  assert.deepEqual(Object.keys(json.Tags as object), ['__proto__']);
});

test("query: a value of the wrong type and a list over the model's maximum are refused with the protocol's errors", () => {
  assert.throws(() => query('Count=3x'), { code: 'InvalidParameterValue', message: 'Count=3x is not integer' });
  assert.throws(() => query('On=yes'), { code: 'InvalidParameterValue', message: 'On=yes is not boolean' });
  assert.throws(() => query('Id.1=a&Id.2=b&Id.3=c'), { code: 'TooMany', message: 'Id: 3 > 2' });
});

test("json: every violation is listed in AWS's ValidationException text; a wrong JSON type is a SerializationException", () => {
  const model = { shapes } as unknown as ServiceModel;
  assert.throws(() => readJsonInput(model, 'Input', { Count: 11 }, 'full'), {
    code: 'ValidationException',
    message:
      "2 validation errors detected: Value null at 'ids' failed to satisfy constraint: Member must not be null; Value '11' at 'count' failed to satisfy constraint: Member must have value less than or equal to 10",
  });
  assert.throws(() => readJsonInput(model, 'Input', { Ids: ['a', 'B1', 'cc'] }, 'full'), {
    message:
      "3 validation errors detected: Value '[a, B1, cc]' at 'ids' failed to satisfy constraint: Member must have length less than or equal to 2; " +
      "Value 'a' at 'ids.1.member' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
      "Value 'B1' at 'ids.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+",
  });
  assert.throws(() => readJsonInput(model, 'Input', { Ids: 'ab' }, 'types'), { code: 'SerializationException' });
  // `types` leaves values to the service; unknown members and nulls are dropped.
  assert.deepEqual(readJsonInput(model, 'Input', { Ids: ['B'], Count: 99, Extra: 1, On: null }, 'types'), { Ids: ['B'], Count: 99 });
});

test("the generated EventBridge model carries AWS's constraints (RuleName: 1-64 of [\\.\\-_A-Za-z0-9]+)", () => {
  assert.deepEqual(eventsModel.shapes.RuleName, { t: 'string', min: 1, max: 64, pattern: '[\\.\\-_A-Za-z0-9]+', flags: 'u' });
  assert.deepEqual(eventsModel.operations.PutRule?.errors.includes('InvalidEventPatternException'), true);
});
