import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Ec2Store, ImageRecord, InstanceRecord, SnapshotRecord } from '../../src/storage/ports/ec2-store.js';
import { MemoryEc2Store } from '../../src/storage/memory/memory-ec2-store.js';
import { SqliteEc2Store } from '../../src/storage/sqlite/sqlite-ec2-store.js';
import { JetStreamConnection } from '../../src/storage/jetstream/connection.js';
import { JetStreamEc2Store } from '../../src/storage/jetstream/jetstream-ec2-store.js';
import { natsForTests } from '../support/nats-server.js';

/** One contract, every adapter. */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-ec2-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const nats = natsForTests({ before, after });
/** A JetStream store under its own prefix; `peer` opens another node on the same data. */
async function jetstream(prefix = nats.prefix('e')): Promise<Ec2Store & { prefix: string }> {
  const c = nats.track(await JetStreamConnection.open({ url: nats.url(), replicas: 1, prefix }));
  return Object.assign(await JetStreamEc2Store.open(c), { prefix });
}

/**
 * `shared`: several nodes use the store at once, so a due transition or task is handed to one
 * caller (a claim), not to every caller that asks.
 */
const adapters: Array<[string, () => Promise<Ec2Store> | Ec2Store, { shared?: boolean }]> = [
  ['memory', () => new MemoryEc2Store(), {}],
  ['sqlite', () => SqliteEc2Store.open(join(dir, `contract-${++files}.db`)), {}],
  ['jetstream', () => jetstream(), { shared: true }],
];

const image = (imageId: string, over: Partial<ImageRecord> = {}): ImageRecord => ({
  imageId,
  accountId: '000000000000',
  region: 'us-east-1',
  name: imageId,
  state: 'available',
  origin: 'CreateImage',
  requestId: 'r',
  creationDate: '2026-01-01T00:00:00.000Z',
  imageLocation: `000000000000/${imageId}`,
  imageType: 'machine',
  architecture: 'x86_64',
  platformDetails: 'Linux/UNIX',
  usageOperation: 'RunInstances',
  rootDeviceType: 'ebs',
  blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { snapshotId: 'snap-0123456789abcdef0', volumeSize: 8 } }],
  virtualizationType: 'hvm',
  hypervisor: 'xen',
  launchPermissions: [],
  tags: [{ key: 'k', value: 'v' }],
  ...over,
});

const instance = (instanceId: string, over: Partial<InstanceRecord> = {}): InstanceRecord => ({
  instanceId,
  accountId: '000000000000',
  region: 'us-east-1',
  reservationId: 'r-0123456789abcdef0',
  requestId: 'r',
  imageId: 'ami-00000000000000001',
  instanceType: 't3.micro',
  amiLaunchIndex: 0,
  state: 'running',
  stateTransitionReason: '',
  launchTime: '2026-01-01T00:00:00.000Z',
  availabilityZone: 'us-east-1a',
  vpcId: 'vpc-0123456789abcdef0',
  subnetId: 'subnet-0123456789abcdef0',
  privateIpAddress: '172.31.0.5',
  securityGroupIds: ['sg-0123456789abcdef0'],
  architecture: 'x86_64',
  platformDetails: 'Linux/UNIX',
  rootDeviceName: '/dev/xvda',
  volumes: [
    {
      deviceName: '/dev/xvda',
      volumeId: 'vol-0123456789abcdef0',
      volumeSize: 8,
      volumeType: 'gp3',
      deleteOnTermination: true,
      encrypted: false,
      attachTime: '2026-01-01T00:00:00.000Z',
    },
  ],
  tags: [],
  disableApiTermination: false,
  disableApiStop: false,
  instanceInitiatedShutdownBehavior: 'stop',
  ebsOptimized: false,
  sourceDestCheck: true,
  rebootCount: 0,
  ...over,
});

const snapshot = (snapshotId: string, over: Partial<SnapshotRecord> = {}): SnapshotRecord => ({
  snapshotId,
  accountId: '000000000000',
  region: 'us-east-1',
  volumeId: 'vol-0123456789abcdef0',
  volumeSize: 8,
  state: 'completed',
  description: '',
  encrypted: false,
  startTime: '2026-01-01T00:00:00.000Z',
  requestId: 'r',
  sourceArn: 'arn:aws:ec2::us-east-1:volume/vol-0123456789abcdef0',
  tags: [{ key: 'Name', value: snapshotId }],
  ...over,
});

for (const [name, make, traits] of adapters) {
  describe(`Ec2Store contract: ${name}`, () => {
    it('stores, lists by region in id order, replaces and deletes images', async () => {
      const s = await make();
      await s.putImage(image('ami-00000000000000002'));
      await s.putImage(image('ami-00000000000000001'));
      await s.putImage(image('ami-00000000000000003', { region: 'eu-west-1' }));
      assert.deepEqual(
        (await s.listImages('us-east-1')).map((i) => i.imageId),
        ['ami-00000000000000001', 'ami-00000000000000002'],
      );
      assert.deepEqual(await s.getImage('us-east-1', 'ami-00000000000000001'), image('ami-00000000000000001'));
      assert.equal(await s.getImage('eu-west-1', 'ami-00000000000000001'), undefined);
      await s.putImage(image('ami-00000000000000001', { name: 'renamed' }));
      assert.equal((await s.getImage('us-east-1', 'ami-00000000000000001'))?.name, 'renamed');
      await s.deleteImage('us-east-1', 'ami-00000000000000001');
      assert.equal(await s.getImage('us-east-1', 'ami-00000000000000001'), undefined);
    });

    it('finds due transitions and deregistered images by time', async () => {
      const s = await make();
      await s.putImage(image('ami-0000000000000000a', { state: 'pending', transition: { dueAt: 200, outcome: 'available' } }));
      await s.putImage(
        image('ami-0000000000000000b', { state: 'pending', transition: { dueAt: 100, outcome: 'failed', reasonMessage: 'x' } }),
      );
      await s.putImage(image('ami-0000000000000000c', { state: 'deregistered', deregisteredAt: 50 }));
      assert.equal(await s.nextDueAt(), 100);
      assert.deepEqual(
        (await s.dueTransitions(150, 10)).map((i) => i.imageId),
        ['ami-0000000000000000b'],
      );
      if (traits.shared) {
        // b was handed out (claimed) above: only a is left, then nothing.
        assert.deepEqual(
          (await s.dueTransitions(300, 10)).map((i) => i.imageId),
          ['ami-0000000000000000a'],
        );
        assert.deepEqual((await s.dueTransitions(300, 1)).length, 0);
      } else {
        assert.deepEqual(
          (await s.dueTransitions(300, 10)).map((i) => i.imageId),
          ['ami-0000000000000000b', 'ami-0000000000000000a'],
        );
        assert.deepEqual((await s.dueTransitions(300, 1)).length, 1);
      }
      assert.deepEqual((await s.deregisteredBefore(49)).length, 0);
      assert.deepEqual(
        (await s.deregisteredBefore(50)).map((i) => i.imageId),
        ['ami-0000000000000000c'],
      );
    });

    it('writes an image and its event together; the outbox keeps order', async () => {
      const s = await make();
      await s.putImageWithEvent(image('ami-0000000000000000d'), { id: 'e1', json: '{"n":1}' });
      await s.putImageWithEvent(image('ami-0000000000000000d', { state: 'deregistered' }), { id: 'e2', json: '{"n":2}' });
      assert.equal((await s.getImage('us-east-1', 'ami-0000000000000000d'))?.state, 'deregistered');
      assert.deepEqual(
        (await s.outboxEvents(10)).map((e) => [e.id, e.json]),
        [
          ['e1', '{"n":1}'],
          ['e2', '{"n":2}'],
        ],
      );
      await s.deleteOutboxEvent('e1');
      assert.deepEqual(
        (await s.outboxEvents(10)).map((e) => e.id),
        ['e2'],
      );
    });

    it('keeps store tasks and fault rules', async () => {
      const s = await make();
      const task = {
        accountId: '000000000000',
        region: 'us-east-1',
        imageId: 'ami-0000000000000000e',
        bucket: 'b1',
        objectKey: 'ami-0000000000000000e.bin',
        state: 'InProgress' as const,
        startedAt: 0,
        dueAt: 10,
        s3ObjectTags: [],
        image: image('ami-0000000000000000e'),
      };
      await s.putStoreTask(task);
      assert.deepEqual(await s.getStoreTask('us-east-1', 'b1', 'ami-0000000000000000e.bin'), task);
      assert.equal((await s.dueStoreTasks(9)).length, 0);
      assert.equal((await s.dueStoreTasks(10)).length, 1);
      if (traits.shared) assert.equal((await s.dueStoreTasks(10)).length, 0, 'handed out once');
      assert.equal((await s.listStoreTasks('000000000000', 'us-east-1')).length, 1);
      assert.equal((await s.listStoreTasks('111111111111', 'us-east-1')).length, 0);
      await s.putFaultRule({ id: 'f2', operation: '*', errorMessage: 'b', createdAt: 2 });
      await s.putFaultRule({ id: 'f1', operation: 'CreateImage', errorMessage: 'a', createdAt: 1, delayMs: 5 });
      assert.deepEqual(
        (await s.listFaultRules()).map((r) => r.id),
        ['f1', 'f2'],
      );
      assert.equal(await s.deleteFaultRule('f1'), true);
      assert.equal(await s.deleteFaultRule('f1'), false);
    });

    it('stores instances with their events in one write; finds due transitions and long-terminated instances', async () => {
      const s = await make();
      await s.putInstancesWithEvents(
        [
          instance('i-00000000000000002', { state: 'pending', transition: { dueAt: 300, to: 'running' } }),
          instance('i-00000000000000001', {
            state: 'stopping',
            transition: { dueAt: 100, to: 'stopped', reasonCode: 'c', reasonMessage: 'm' },
          }),
        ],
        [
          { id: 'ev-1', json: '{"i":1}' },
          { id: 'ev-2', json: '{"i":2}' },
        ],
      );
      await s.putInstancesWithEvents([instance('i-00000000000000003', { region: 'eu-west-1' })], []);
      await s.putInstancesWithEvents([instance('i-00000000000000004', { state: 'terminated', terminatedAt: 50 })], []);
      assert.deepEqual(
        (await s.listInstances('us-east-1')).map((i) => i.instanceId),
        ['i-00000000000000001', 'i-00000000000000002', 'i-00000000000000004'],
      );
      assert.deepEqual(
        await s.getInstance('us-east-1', 'i-00000000000000001'),
        instance('i-00000000000000001', {
          state: 'stopping',
          transition: { dueAt: 100, to: 'stopped', reasonCode: 'c', reasonMessage: 'm' },
        }),
      );
      assert.equal(await s.getInstance('us-east-1', 'i-00000000000000003'), undefined);
      assert.deepEqual(
        (await s.outboxEvents(10)).map((e) => e.id),
        ['ev-1', 'ev-2'],
      );
      assert.equal(await s.nextDueAt(), 100);
      assert.deepEqual(
        (await s.dueInstanceTransitions(200, 10)).map((i) => i.instanceId),
        ['i-00000000000000001'],
      );
      if (traits.shared) {
        // Each due transition is handed out (claimed) once in the cluster: 1 went above, then 2, then nothing.
        assert.deepEqual(
          (await s.dueInstanceTransitions(400, 1)).map((i) => i.instanceId),
          ['i-00000000000000002'],
        );
        assert.deepEqual(
          (await s.dueInstanceTransitions(400, 10)).map((i) => i.instanceId),
          [],
        );
      } else {
        assert.deepEqual(
          (await s.dueInstanceTransitions(400, 1)).map((i) => i.instanceId),
          ['i-00000000000000001'],
        );
        assert.deepEqual(
          (await s.dueInstanceTransitions(400, 10)).map((i) => i.instanceId),
          ['i-00000000000000001', 'i-00000000000000002'],
        );
      }
      await s.putInstancesWithEvents([instance('i-00000000000000001', { state: 'stopped' })], [{ id: 'ev-3', json: '{}' }]);
      assert.deepEqual(
        (await s.dueInstanceTransitions(400, 10)).map((i) => i.instanceId),
        traits.shared ? [] : ['i-00000000000000002'],
      );
      assert.equal(await s.nextDueAt(), 300);
      assert.deepEqual(
        (await s.terminatedBefore(49)).map((i) => i.instanceId),
        [],
      );
      assert.deepEqual(
        (await s.terminatedBefore(50)).map((i) => i.instanceId),
        ['i-00000000000000004'],
      );
      await s.deleteInstance('us-east-1', 'i-00000000000000004');
      assert.equal(await s.getInstance('us-east-1', 'i-00000000000000004'), undefined);
    });

    it('a repeated outbox event id is kept once (the relay may re-offer after a crash)', async () => {
      const s = await make();
      await s.putInstancesWithEvents([instance('i-00000000000000005')], [{ id: 'same', json: '{"n":1}' }]);
      await s.putInstancesWithEvents([instance('i-00000000000000005')], [{ id: 'same', json: '{"n":1}' }]);
      assert.deepEqual(
        (await s.outboxEvents(10)).map((e) => e.id),
        ['same'],
      );
    });

    it('stores snapshots with their events in one write; hands out due ones; deletes', async () => {
      const s = await make();
      const pending = (id: string, dueAt: number) =>
        snapshot(id, { state: 'pending', transition: { dueAt, outcome: 'completed', event: 'createSnapshot' } });
      await s.putSnapshotsWithEvents(
        [pending('snap-00000000000000002', 300), pending('snap-00000000000000001', 100)],
        [{ id: 'sev-1', json: '{"s":1}' }],
      );
      await s.putSnapshotsWithEvents([snapshot('snap-00000000000000003', { region: 'eu-west-1' })], []);
      await s.putSnapshotsWithEvents([snapshot('snap-00000000000000004', { accountId: '111111111111' })], []);
      assert.deepEqual(
        (await s.listSnapshots('us-east-1')).map((x) => x.snapshotId),
        ['snap-00000000000000001', 'snap-00000000000000002', 'snap-00000000000000004'],
      );
      assert.deepEqual(await s.getSnapshot('us-east-1', 'snap-00000000000000001'), pending('snap-00000000000000001', 100));
      assert.equal(await s.getSnapshot('us-east-1', 'snap-00000000000000003'), undefined);
      assert.deepEqual(
        (await s.outboxEvents(10)).map((e) => e.id),
        ['sev-1'],
      );
      assert.equal(await s.nextDueAt(), 100);
      assert.deepEqual(
        (await s.dueSnapshotTransitions(200, 10)).map((x) => x.snapshotId),
        ['snap-00000000000000001'],
      );
      if (traits.shared) {
        // Each due transition is handed out (claimed) once in the cluster.
        assert.deepEqual(
          (await s.dueSnapshotTransitions(400, 10)).map((x) => x.snapshotId),
          ['snap-00000000000000002'],
        );
        assert.deepEqual(await s.dueSnapshotTransitions(400, 10), []);
      } else {
        assert.deepEqual(
          (await s.dueSnapshotTransitions(400, 1)).map((x) => x.snapshotId),
          ['snap-00000000000000001'],
        );
      }
      // Completed: no longer due, and its event queued once even when offered twice.
      const done = snapshot('snap-00000000000000001', { completionTime: '2026-01-01T00:00:01.000Z' });
      await s.putSnapshotsWithEvents([done], [{ id: 'sev-2', json: '{}' }]);
      await s.putSnapshotsWithEvents([done], [{ id: 'sev-2', json: '{}' }]);
      assert.deepEqual(
        (await s.outboxEvents(10)).map((e) => e.id),
        ['sev-1', 'sev-2'],
      );
      assert.deepEqual(
        (await s.dueSnapshotTransitions(400, 10)).map((x) => x.snapshotId),
        traits.shared ? [] : ['snap-00000000000000002'],
      );
      assert.equal(await s.nextDueAt(), 300);
      assert.equal(await s.deleteSnapshot('us-east-1', 'snap-00000000000000001'), true);
      assert.equal(await s.deleteSnapshot('us-east-1', 'snap-00000000000000001'), false);
      assert.equal(await s.getSnapshot('us-east-1', 'snap-00000000000000001'), undefined);
    });

    it('keeps key pairs per account and region, by name', async () => {
      const s = await make();
      const key = (keyName: string, accountId = '000000000000') => ({
        accountId,
        region: 'us-east-1',
        keyName,
        keyPairId: `key-${keyName}`,
        keyType: 'rsa' as const,
        keyFingerprint: 'aa:bb',
        publicKey: 'ssh-rsa AAAA',
        createTime: '2026-01-01T00:00:00.000Z',
        tags: [],
      });
      await s.putKeyPair(key('b'));
      await s.putKeyPair(key('a'));
      await s.putKeyPair(key('a', '111111111111'));
      assert.deepEqual(
        (await s.listKeyPairs('000000000000', 'us-east-1')).map((k) => k.keyName),
        ['a', 'b'],
      );
      assert.deepEqual(await s.listKeyPairs('000000000000', 'us-east-1').then((l) => l[0]), key('a'));
      assert.equal(await s.deleteKeyPair('000000000000', 'us-east-1', 'a'), true);
      assert.equal(await s.deleteKeyPair('000000000000', 'us-east-1', 'a'), false);
      assert.deepEqual(
        (await s.listKeyPairs('111111111111', 'us-east-1')).map((k) => k.keyName),
        ['a'],
      );
    });

    it('keeps security groups per account and region, by id', async () => {
      const s = await make();
      const group = (groupId: string, accountId = '000000000000') => ({
        accountId,
        region: 'us-east-1',
        groupId,
        groupName: groupId,
        description: 'd',
        vpcId: 'vpc-0123456789abcdef0',
        ingress: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }],
        egress: [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }],
        tags: [],
      });
      await s.putSecurityGroup(group('sg-00000000000000002'));
      await s.putSecurityGroup(group('sg-00000000000000001'));
      await s.putSecurityGroup(group('sg-00000000000000003', '111111111111'));
      assert.deepEqual(
        (await s.listSecurityGroups('000000000000', 'us-east-1')).map((g) => g.groupId),
        ['sg-00000000000000001', 'sg-00000000000000002'],
      );
      assert.deepEqual((await s.listSecurityGroups('000000000000', 'us-east-1'))[0], group('sg-00000000000000001'));
      assert.equal(await s.deleteSecurityGroup('us-east-1', 'sg-00000000000000001'), true);
      assert.equal(await s.deleteSecurityGroup('us-east-1', 'sg-00000000000000001'), false);
      assert.equal((await s.listSecurityGroups('000000000000', 'eu-west-1')).length, 0);
    });
  });
}

describe('Ec2Store contract: jetstream, two nodes', () => {
  it('each due transition goes to one node; a write on one is read on the other', async () => {
    const a = await jetstream();
    const b = await jetstream(a.prefix);
    for (let i = 1; i <= 6; i++)
      await a.putImage(image(`ami-0000000000000001${i}`, { state: 'pending', transition: { dueAt: 10, outcome: 'available' } }));
    assert.equal((await b.listImages('us-east-1')).length, 6);
    const [x, y] = await Promise.all([a.dueTransitions(100, 10), b.dueTransitions(100, 10)]);
    assert.equal(x.length + y.length, 6);
    assert.equal(new Set([...x, ...y].map((i) => i.imageId)).size, 6, 'no transition handed to both');
  });

  it('each due snapshot transition goes to one node', async () => {
    const a = await jetstream();
    const b = await jetstream(a.prefix);
    const due = [1, 2, 3, 4].map((n) =>
      snapshot(`snap-0000000000000003${n}`, { state: 'pending', transition: { dueAt: 10, outcome: 'completed' } }),
    );
    await a.putSnapshotsWithEvents(due, []);
    assert.equal((await b.listSnapshots('us-east-1')).length, 4);
    const [x, y] = await Promise.all([a.dueSnapshotTransitions(100, 10), b.dueSnapshotTransitions(100, 10)]);
    assert.equal(new Set([...x, ...y].map((s) => s.snapshotId)).size, 4);
    assert.equal(x.length + y.length, 4, 'no transition handed to both');
  });

  it('an image and its event are written together and seen by the other node', async () => {
    const a = await jetstream();
    const b = await jetstream(a.prefix);
    await a.putImageWithEvent(image('ami-00000000000000021', { state: 'available' }), { id: 'ev-1', json: '{}' });
    assert.equal((await b.getImage('us-east-1', 'ami-00000000000000021'))?.state, 'available');
    assert.deepEqual(
      (await b.outboxEvents(10)).map((e) => e.id),
      ['ev-1'],
    );
  });
});
