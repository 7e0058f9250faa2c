import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AmiEventSink, AmiStateChangeEvent, Ec2Event } from '../../src/core/ec2/ami-event.js';
import type { InstanceStateChangeEvent } from '../../src/core/ec2/instance-event.js';
import type { SnapshotNotificationEvent } from '../../src/core/ec2/snapshot-event.js';
import { Ec2Service } from '../../src/core/ec2/ec2-service.js';
import { ec2Options, type Ec2Options } from '../../src/core/ec2/options.js';
import { ManualClock } from '../../src/core/shared/clock.js';
import { seededRandom } from '../../src/core/shared/random.js';
import type { RequestContext } from '../../src/core/shared/request-context.js';
import { isServiceError } from '../../src/core/shared/service-error.js';
import type { Ec2Store } from '../../src/storage/ports/ec2-store.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';

export const ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '111111111111';

/**
 * Records every event handed over, duplicates included, so tests can prove "exactly once": AMI
 * events in `events`, instance state changes in `instanceEvents`, EBS snapshot notifications in `snapshotEvents`.
 */
export class RecordingSink implements AmiEventSink {
  readonly events: AmiStateChangeEvent[] = [];
  readonly instanceEvents: InstanceStateChangeEvent[] = [];
  readonly snapshotEvents: SnapshotNotificationEvent[] = [];
  failNext = 0;
  async emit(event: Ec2Event): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('sink unavailable');
    }
    if (event['detail-type'] === 'EC2 AMI State Change') this.events.push(structuredClone(event));
    else if (event['detail-type'] === 'EBS Snapshot Notification') this.snapshotEvents.push(structuredClone(event));
    else this.instanceEvents.push(structuredClone(event));
  }
  states(): string[] {
    return this.events.map((e) => `${e.detail.ImageId}:${e.detail.State}`);
  }
}

let requestCounter = 0;
export function ctx(overrides: Partial<RequestContext> = {}): RequestContext {
  requestCounter++;
  return { accountId: ACCOUNT, region: 'us-east-1', requestId: `req-${requestCounter}`, ...overrides };
}

export interface Harness {
  service: Ec2Service;
  store: Ec2Store;
  clock: ManualClock;
  sink: RecordingSink;
  options: Ec2Options;
}

/** Image durations of the AMI tests; an instance is `running` at once (its launch is not their subject). */
export const testOptions = ec2Options({
  durations: { CreateImage: 3000, CopyImage: 4000, RegisterImage: 2000, CreateRestoreImageTask: 5000 },
  storeTaskDurationMs: 2000,
  deregisteredVisibleMs: 10_000,
  instanceDurations: { pending: 0, stopping: 1000, 'shutting-down': 1000 },
});

/** The instance tests' options: every passing state takes time. */
export const instanceTestOptions = ec2Options({
  ...testOptions,
  instanceDurations: { pending: 3000, stopping: 3000, 'shutting-down': 2000 },
});

export function harness(store: Ec2Store = new MemoryEc2Store(), clock = new ManualClock(), seed = 7, options = testOptions): Harness {
  const sink = new RecordingSink();
  const service = new Ec2Service({ store, sink, clock, random: seededRandom(seed), options });
  return { service, store, clock, sink, options };
}

/** The image id of the region's public Amazon Linux 2023 x86_64 image. */
export async function amazonLinux(h: Harness, over: Partial<RequestContext> = {}): Promise<string> {
  const { Images } = await h.service.describeImages(ctx(over), {
    Owners: ['amazon'],
    Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }],
  });
  return Images![0]!.ImageId!;
}

const instances = new WeakMap<Harness, Map<string, string>>();

/**
 * A running instance of the caller's account and region to image (one per harness, account and
 * region): launched from the public Amazon Linux image; with the test options it runs at once.
 */
export async function instanceOf(h: Harness, over: Partial<RequestContext> = {}): Promise<string> {
  const c = ctx(over);
  const key = `${c.accountId}/${c.region}`;
  const known = instances.get(h) ?? new Map<string, string>();
  instances.set(h, known);
  const cached = known.get(key);
  if (cached) return cached;
  const { Instances } = await h.service.runInstances(c, {
    ImageId: await amazonLinux(h, over),
    MinCount: 1,
    MaxCount: 1,
    InstanceType: 't3.micro',
  });
  const id = Instances![0]!.InstanceId!;
  await h.service.lifecycle.settle();
  known.set(key, id);
  return id;
}

/**
 * A completed snapshot of the caller's, written straight into the store (for tests whose subject
 * is RegisterImage, not how the snapshot was made; ec2-snapshots.test.ts makes them through the API).
 */
export async function seedSnapshot(
  store: Ec2Store,
  snapshotId = 'snap-0123456789abcdef0',
  over: { accountId?: string; region?: string; volumeSize?: number } = {},
): Promise<string> {
  const region = over.region ?? 'us-east-1';
  await store.putSnapshotsWithEvents(
    [
      {
        snapshotId,
        accountId: over.accountId ?? ACCOUNT,
        region,
        volumeId: 'vol-ffffffff',
        volumeSize: over.volumeSize ?? 8,
        state: 'completed',
        description: 'seeded',
        encrypted: false,
        startTime: '2026-01-01T00:00:00.000Z',
        completionTime: '2026-01-01T00:00:01.000Z',
        requestId: 'seed',
        sourceArn: `arn:aws:ec2::${region}:volume/vol-ffffffff`,
        tags: [],
      },
    ],
    [],
  );
  return snapshotId;
}

/** The harness, with the snapshot RegisterImage tests name (`snap-0123456789abcdef0`) seeded. */
export async function withSnapshot(h: Harness): Promise<Harness> {
  await seedSnapshot(h.store);
  return h;
}

/** Asserts the promise rejects with this EC2 error code (and message, when given). */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isServiceError(error), `expected a ServiceError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

export const guideEvents = JSON.parse(
  readFileSync(new URL('./fixtures/guide-events.json', import.meta.url), 'utf8'),
) as AmiStateChangeEvent[];

/**
 * Checks an event field by field against the guide's example for its state: the same keys in the
 * same order at both levels, the constant fields equal, the variable ones well-formed and right.
 */
export function assertGuideShape(
  event: AmiStateChangeEvent,
  expected: { account: string; region: string; imageId: string; requestId: string; state: string; errorMessage?: string; time?: string },
): void {
  const example = guideEvents.find((e) => e.detail.State === expected.state) ?? guideEvents[0]!;
  assert.deepEqual(Object.keys(event), Object.keys(example));
  assert.deepEqual(Object.keys(event.detail), Object.keys(example.detail));
  assert.equal(event.version, example.version);
  assert.equal(event['detail-type'], example['detail-type']);
  assert.equal(event.source, example.source);
  assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(event.account, expected.account);
  assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  if (expected.time) assert.equal(event.time, expected.time);
  assert.equal(event.region, expected.region);
  assert.deepEqual(event.resources, [`arn:aws:ec2:${expected.region}::image/${expected.imageId}`]);
  assert.equal(event.detail.RequestId, expected.requestId);
  assert.equal(event.detail.ImageId, expected.imageId);
  assert.equal(event.detail.State, expected.state);
  assert.equal(event.detail.ErrorMessage, expected.errorMessage ?? '');
  if (expected.state !== 'failed') assert.equal(event.detail.ErrorMessage, example.detail.ErrorMessage);
}
