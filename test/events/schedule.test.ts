import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventsService } from '../../src/core/events/events-service.js';
import { parseSchedule } from '../../src/core/events/schedule-expression.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

test('rate(): singular for 1, plural otherwise; fires every period', () => {
  for (const bad of [
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(0 minutes)',
    'rate(-1 minutes)',
    'rate(1 second)',
    'rate(1.5 hours)',
    'rate(5  minutes)',
    'every 5 minutes',
  ]) {
    assert.throws(() => parseSchedule(bad), /Parameter ScheduleExpression is not valid\./, bad);
  }
  const s = parseSchedule('rate(5 minutes)');
  assert.equal(iso(s.next(at('2026-01-01T00:01:00Z'))), '2026-01-01T00:05:00.000Z');
  assert.equal(iso(s.next(at('2026-01-01T00:05:00Z'))), '2026-01-01T00:10:00.000Z');
  assert.equal(iso(parseSchedule('rate(1 day)').next(at('2026-01-01T10:00:00Z'))), '2026-01-02T00:00:00.000Z');
});

test('cron(): six fields, one of the day fields "?", AWS day-of-week numbering, years', () => {
  for (const bad of [
    'cron(0 12 * * ? )',
    'cron(0 12 * * * *)',
    'cron(0 12 ? * ? *)',
    'cron(61 12 * * ? *)',
    'cron(0 12 ? * 8 *)',
    'cron(0 12 * * ? 1960)',
    'cron(a b c d e f)',
  ]) {
    assert.throws(() => parseSchedule(bad), /Parameter ScheduleExpression is not valid\./, bad);
  }
  // 2026-01-01 is a Thursday. AWS: 1 = SUN ... 6 = FRI.
  assert.equal(iso(parseSchedule('cron(0 12 ? * 6 *)').next(at('2026-01-01T00:00:00Z'))), '2026-01-02T12:00:00.000Z');
  assert.equal(iso(parseSchedule('cron(0 12 ? * MON-FRI *)').next(at('2026-01-02T13:00:00Z'))), '2026-01-05T12:00:00.000Z');
  assert.equal(iso(parseSchedule('cron(0/15 * * * ? *)').next(at('2026-01-01T00:16:00Z'))), '2026-01-01T00:30:00.000Z');
  assert.equal(iso(parseSchedule('cron(0 8 1 * ? 2027)').next(at('2026-06-01T00:00:00Z'))), '2027-01-01T08:00:00.000Z');
  assert.equal(parseSchedule('cron(0 8 1 * ? 2025)').next(at('2026-06-01T00:00:00Z')), null);
  assert.equal(iso(parseSchedule('cron(0 10 L * ? *)').next(at('2026-02-01T00:00:00Z'))), '2026-02-28T10:00:00.000Z');
});

test('a scheduled rule fires AWS\'s "Scheduled Event" to its own targets only', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const clock = new ManualClock(at('2026-01-01T00:00:30Z'));
  const events = await EventsService.open({ store, clock, random: seededRandom(7) });
  const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };
  const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
  await events.rules.putRule(ctx, { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
  await events.targets.putTargets(ctx, { Rule: 'tick', Targets: [{ Id: 'a', Arn: bus }] });
  await events.rules.putRule(ctx, { Name: 'catch-all', EventPattern: '{"source":["aws.events"]}' });
  await events.targets.putTargets(ctx, { Rule: 'catch-all', Targets: [{ Id: 'b', Arn: bus }] });
  assert.equal(await events.scheduler.fireDue(), 0, 'the first call only learns the schedule');
  assert.equal(iso(events.scheduler.nextTick()), '2026-01-01T00:01:00.000Z');
  clock.set(at('2026-01-01T00:00:59Z'));
  assert.equal(await events.scheduler.fireDue(), 0);
  clock.set(at('2026-01-01T00:01:00.200Z'));
  assert.equal(await events.scheduler.fireDue(), 1);
  const [e] = await store.readEvents({ limit: 1 });
  const body = JSON.parse(e!.body);
  assert.deepEqual(
    { ...body, id: 'x' },
    {
      version: '0',
      id: 'x',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2026-01-01T00:01:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/tick'],
      detail: {},
    },
  );
  assert.deepEqual(e!.rules, ['tick']);
  assert.deepEqual(
    e!.deliveries.map((d) => JSON.parse(d.target).target.Id),
    ['a'],
  );
  await events.rules.disableRule(ctx, { Name: 'tick' });
  clock.set(at('2026-01-01T00:05:00Z'));
  assert.equal(await events.scheduler.fireDue(), 0, 'a disabled schedule does not fire');
  await store.close();
});
