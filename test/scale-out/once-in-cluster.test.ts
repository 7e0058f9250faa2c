import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventsService } from '../../src/core/events/events-service.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamStore } from '../../src/storage/jetstream/jetstream-store.js';
import { natsForTests } from '../support/nats-server.js';

/** What must happen once in the cluster although every node runs the same timers. */
const nats = natsForTests({ before, after });
const at = (iso: string) => Date.parse(iso);

async function node(prefix: string, clock: ManualClock, seed: number) {
  const store = await JetStreamStore.open(nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix })), {
    ownsConnection: false,
  });
  return { store, events: await EventsService.open({ store, clock, random: seededRandom(seed) }) };
}

test('a scheduled rule fires once per tick across two nodes', async () => {
  const prefix = nats.prefix('s');
  const clock = new ManualClock(at('2026-01-01T00:00:30Z'));
  const a = await node(prefix, clock, 1);
  const b = await node(prefix, clock, 2);
  try {
    const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };
    await a.events.rules.putRule(ctx, { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    await a.events.targets.putTargets(ctx, {
      Rule: 'tick',
      Targets: [{ Id: 't', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' }],
    });
    for (let i = 0; i < 100 && !b.events.state.bus('000000000000', 'us-east-1', 'default')?.rules.get('tick')?.targetJson.length; i++)
      await new Promise((r) => setTimeout(r, 20));
    // Both learn the schedule, then both reach two ticks.
    await Promise.all([a.events.scheduler.fireDue(), b.events.scheduler.fireDue()]);
    for (const t of ['2026-01-01T00:01:00.100Z', '2026-01-01T00:02:00.300Z']) {
      clock.set(at(t));
      const fired = await Promise.all([a.events.scheduler.fireDue(), b.events.scheduler.fireDue()]);
      assert.deepEqual(fired, [1, 1], 'each node puts its event…');
    }
    const log = await a.store.readEvents({ limit: 10 });
    assert.deepEqual(
      log.map((e) => (JSON.parse(e.body) as { time: string }).time),
      ['2026-01-01T00:02:00Z', '2026-01-01T00:01:00Z'],
      '…the store keeps one per tick',
    );
    assert.deepEqual(await a.store.countDeliveries(), { pending: 2, delivered: 0, failed: 0 });
  } finally {
    await a.store.close();
    await b.store.close();
  }
});
