import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../src/server/config.js';

/** --nats-url and its companions: what they accept, what they refuse, in AWS-free words. */
test('without --nats-url nothing changes: SQLite, no replicas asked', () => {
  const c = parseConfig([], {});
  assert.equal(c.natsUrl, null);
  assert.equal(c.natsReplicas, 1);
});

test('one URL means one copy; three URLs mean three; the variable works like the flag', () => {
  assert.equal(parseConfig(['--nats-url', 'nats://127.0.0.1:4222'], {}).natsReplicas, 1);
  const three = parseConfig([], { AMIWATCH_NATS_URL: 'nats://a:4222, nats://b:4222,nats://c:4222' });
  assert.equal(three.natsUrl, 'nats://a:4222,nats://b:4222,nats://c:4222');
  assert.equal(three.natsReplicas, 3);
  assert.equal(parseConfig(['--nats-url', 'nats://a:4222,nats://b:4222,nats://c:4222', '--nats-replicas', '1'], {}).natsReplicas, 1);
  assert.equal(parseConfig(['--nats-url', 'nats://a:4222', '--nats-ack-wait', '5s'], {}).natsAckWaitMs, 5000);
});

test('bad values are refused with the flag named', () => {
  assert.throws(
    () => parseConfig(['--nats-url', 'http://a:4222'], {}),
    (e: unknown) => e instanceof ConfigError && /--nats-url: expected nats:\/\/host:port/.test(e.message),
  );
  assert.throws(() => parseConfig(['--nats-url', 'nats://a:4222', '--nats-replicas', '7'], {}), /--nats-replicas must be 1..5, got 7/);
  assert.throws(() => parseConfig(['--nats-replicas', '3'], {}), /--nats-replicas needs --nats-url/);
  assert.throws(() => parseConfig(['--nats-url', 'nats://a:4222', '--in-memory'], {}), /exclude each other/);
  assert.throws(() => parseConfig(['--nats-url', 'nats://a:4222', '--nats-ack-wait', '500ms'], {}), /at least 2s/);
});
