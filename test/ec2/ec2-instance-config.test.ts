import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, parseConfig } from '../../src/server/config.js';

/** --instance-duration / AMIWATCH_INSTANCE_DURATION: one time for all, or per state. */
it('--instance-duration takes one time or STATE=TIME pairs, and says what is wrong', () => {
  assert.deepEqual(parseConfig(['--instance-duration', '2s'], {}).instanceDurations, {
    pending: 2000,
    stopping: 2000,
    'shutting-down': 2000,
  });
  assert.deepEqual(parseConfig([], { AMIWATCH_INSTANCE_DURATION: 'stopping=1m' }).instanceDurations, {
    pending: 3000,
    stopping: 60_000,
    'shutting-down': 2000,
  });
  assert.throws(
    () => parseConfig(['--instance-duration', 'running=1s'], {}),
    (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(
        e.message,
        '--instance-duration: expected a time or STATE=TIME pairs with STATE one of pending, stopping, shutting-down, got running=1s',
      );
      return true;
    },
  );
});
