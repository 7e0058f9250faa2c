import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudTrailService } from '../../src/core/cloudtrail/cloudtrail-service.js';
import type { ApiCallEvent } from '../../src/core/cloudtrail/recorder.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import { MemoryCloudTrailStore } from '../../src/storage/memory/memory-cloudtrail-store.js';

const ctx = { accountId: '000000000000', region: 'us-east-1', requestId: 'r' };
const DAY = 86_400_000;

test('the event history keeps 90 days: older records are neither looked up nor kept', async () => {
  const clock = new ManualClock();
  const store = new MemoryCloudTrailStore();
  const emitted: [ApiCallEvent, boolean][] = [];
  const errors: unknown[] = [];
  const ct = await CloudTrailService.open({
    store,
    clock,
    random: seededRandom(3),
    sink: { emit: async (e, ro) => void emitted.push([e, ro]) },
    onError: (e) => errors.push(e),
  });
  await ct.trails.createTrail(ctx, { Name: 'history', S3BucketName: 'audit-logs' });
  assert.equal(ct.recorder.watching(ctx), false);
  await ct.trails.startLogging(ctx, { Name: 'history' });
  assert.equal(ct.recorder.watching(ctx), true);
  assert.equal(ct.recorder.watching({ ...ctx, region: 'eu-west-1' }), false, 'a single-region trail covers its region only');
  const call = {
    service: 'ec2',
    operation: 'DeregisterImage',
    input: { ImageId: 'ami-1' },
    accessKeyId: 'AKID',
    userAgent: 'ua',
    sourceIp: '127.0.0.1',
  };
  await ct.recorder.record(ctx, call);
  clock.advance(89 * DAY);
  await ct.recorder.record(ctx, { ...call, operation: 'DescribeImages', input: {} });
  assert.deepEqual(
    emitted.map(([e, ro]) => [e.source, e.detail.eventName, ro]),
    [
      ['aws.ec2', 'DeregisterImage', false],
      ['aws.ec2', 'DescribeImages', true],
    ],
  );
  assert.equal((await ct.history.lookupEvents(ctx, {})).Events?.length, 2);
  clock.advance(2 * DAY);
  assert.deepEqual(
    (await ct.history.lookupEvents(ctx, {})).Events?.map((e) => e.EventName),
    ['DescribeImages'],
    'past 90 days: not looked up',
  );
  assert.deepEqual(
    (await ct.history.lookupEvents(ctx, { StartTime: new Date(0) })).Events?.map((e) => e.EventName),
    ['DescribeImages'],
    'not even when asked',
  );
  assert.equal(await ct.prune(), 1, 'and pruned');
  assert.equal(await ct.prune(), 0);
  assert.deepEqual(errors, []);
});

test('a failing sink does not fail the call: the error is reported', async () => {
  const errors: unknown[] = [];
  const ct = await CloudTrailService.open({
    store: new MemoryCloudTrailStore(),
    clock: new ManualClock(),
    random: seededRandom(1),
    sink: {
      emit: async () => {
        throw new Error('bus down');
      },
    },
    onError: (e) => errors.push(e),
  });
  await ct.trails.createTrail(ctx, { Name: 'everywhere', S3BucketName: 'audit-logs', IsMultiRegionTrail: true });
  await ct.trails.startLogging(ctx, { Name: 'everywhere' });
  assert.equal(ct.recorder.watching({ ...ctx, region: 'ap-south-1' }), true, 'a multi-region trail covers every region');
  await ct.recorder.record(ctx, {
    service: 'sns',
    operation: 'CreateTopic',
    input: { Name: 't' },
    accessKeyId: 'A',
    userAgent: 'u',
    sourceIp: '::1',
  });
  assert.equal(errors.length, 1);
});
