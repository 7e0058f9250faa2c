import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entrySize } from '../../src/core/events/put-events.js';

/**
 * AWS's formula ("Calculating PutEvents event entry size", eb-putevent-size): 14 bytes if Time is
 * set, plus the UTF-8 bytes of Source, DetailType, Detail and each Resource; nothing else counts.
 */
test('entrySize: Time is 14 bytes; Source, DetailType, Detail and every Resource in UTF-8 bytes', () => {
  assert.equal(entrySize({ Source: 'ab', DetailType: 'c', Detail: '{}' }), 5);
  assert.equal(entrySize({ Source: 'ab', DetailType: 'c', Detail: '{}', Time: new Date() }), 19);
  assert.equal(entrySize({ Source: 'é', DetailType: '€', Detail: '{}', Resources: ['r1', 'ü'] }), 2 + 3 + 2 + 2 + 2);
  assert.equal(entrySize({ Source: 'a', DetailType: 'b', Detail: '{}', EventBusName: 'a-long-bus-name', TraceHeader: 'Root=1-x' }), 4);
});
