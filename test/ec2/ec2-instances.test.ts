import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT,
  ctx,
  harness as baseHarness,
  instanceTestOptions as testOptions,
  rejectsWith,
  withSnapshot,
  type Harness,
} from './helpers.js';

/**
 * Instances as a state machine on a manual clock: every transition AWS makes, each with its
 * "EC2 Instance State-change Notification" (once), the refusals AWS answers, and the faults.
 */
/** An ed25519 OpenSSH public key (generated for this test). */
const sshKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKdm2S1R0ZsnkH2hSxDbG+E6Ni5SrbOM1rMeBS+ePpN5 test@amiwatch';
const harness = () => baseHarness(undefined, undefined, undefined, testOptions);
const instanceEvents = (h: Harness) => h.sink.instanceEvents;
const states = (h: Harness) => instanceEvents(h).map((e) => `${e.detail['instance-id']}:${e.detail.state}`);
const d = testOptions.instanceDurations;

async function availableImage(h: Harness): Promise<string> {
  await withSnapshot(h);
  const { ImageId } = await h.service.registerImage(ctx(), {
    Name: 'base-image',
    RootDeviceName: '/dev/xvda',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0', VolumeSize: 10 } }],
  });
  h.clock.advance(testOptions.durations.RegisterImage);
  await h.service.lifecycle.settle();
  h.sink.events.length = 0;
  return ImageId!;
}

async function launch(h: Harness, extra: object = {}): Promise<string> {
  const ImageId = await availableImage(h);
  const r = await h.service.runInstances(ctx(), { ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ...extra });
  return r.Instances![0]!.InstanceId!;
}

async function describe1(h: Harness, id: string) {
  const r = await h.service.describeInstances(ctx(), { InstanceIds: [id] });
  return r.Reservations![0]!.Instances![0]!;
}

describe('instances: the state machine and its events', () => {
  it('RunInstances: pending at once with its event, running after the pending time; event shaped as AWS shows it', async () => {
    const h = harness();
    const ImageId = await availableImage(h);
    await h.service.importKeyPair(ctx(), { KeyName: 'k', PublicKeyMaterial: Buffer.from(sshKey) });
    const r = await h.service.runInstances(ctx(), {
      ImageId,
      MinCount: 2,
      MaxCount: 3,
      InstanceType: 't3.micro',
      KeyName: 'k',
      UserData: 'ZWNobyBoaQ==',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }],
      IamInstanceProfile: { Name: 'bake' },
    });
    assert.equal(r.Instances!.length, 3);
    assert.equal(r.OwnerId, ACCOUNT);
    assert.match(r.ReservationId!, /^r-[0-9a-f]{17}$/);
    const first = r.Instances![0]!;
    assert.deepEqual(first.State, { Code: 0, Name: 'pending' });
    assert.equal(first.KeyName, 'k');
    assert.equal(first.ImageId, ImageId);
    assert.deepEqual(first.Tags, [{ Key: 'Name', Value: 'web' }]);
    assert.equal(first.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/bake`);
    assert.equal(first.BlockDeviceMappings![0]!.DeviceName, '/dev/xvda');
    assert.deepEqual(
      r.Instances!.map((i) => i.AmiLaunchIndex),
      [0, 1, 2],
    );
    await h.service.lifecycle.settle();
    assert.deepEqual(
      states(h).map((s) => s.split(':')[1]),
      ['pending', 'pending', 'pending'],
    );
    const event = instanceEvents(h)[0]!;
    assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    assert.deepEqual(event.detail, { 'instance-id': first.InstanceId, state: 'pending' });
    assert.deepEqual(event.resources, [`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${first.InstanceId}`]);
    assert.equal(event.source, 'aws.ec2');

    h.clock.advance(d.pending - 1);
    assert.equal((await describe1(h, first.InstanceId!)).State!.Name, 'pending');
    h.clock.advance(1);
    assert.deepEqual((await describe1(h, first.InstanceId!)).State, { Code: 16, Name: 'running' });
    assert.equal(states(h).filter((s) => s.endsWith(':running')).length, 3);
    const attr = await h.service.describeInstanceAttribute(ctx(), { InstanceId: first.InstanceId!, Attribute: 'userData' });
    assert.equal(attr.UserData!.Value, 'ZWNobyBoaQ==');
  });

  it('stop, start, reboot, terminate: every transition once, terminated listed for a while then gone', async () => {
    const h = harness();
    const id = await launch(h);
    h.clock.advance(d.pending);
    await h.service.rebootInstances(ctx(), { InstanceIds: [id] });
    const stop = await h.service.stopInstances(ctx(), { InstanceIds: [id] });
    assert.deepEqual(stop.StoppingInstances, [
      { InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } },
    ]);
    const again = await h.service.stopInstances(ctx(), { InstanceIds: [id] });
    assert.equal(again.StoppingInstances![0]!.CurrentState!.Name, 'stopping');
    h.clock.advance(d.stopping);
    const stopped = await describe1(h, id);
    assert.equal(stopped.State!.Name, 'stopped');
    assert.equal(stopped.StateReason!.Code, 'Client.UserInitiatedShutdown');
    await rejectsWith(
      h.service.rebootInstances(ctx(), { InstanceIds: [id] }),
      'IncorrectInstanceState',
      `The instance '${id}' is not in a state from which it can be rebooted.`,
    );
    await h.service.modifyInstanceAttribute(ctx(), { InstanceId: id, InstanceType: { Value: 't3.large' } });
    await h.service.startInstances(ctx(), { InstanceIds: [id] });
    h.clock.advance(d.pending);
    const started = await describe1(h, id);
    assert.equal(started.State!.Name, 'running');
    assert.equal(started.InstanceType, 't3.large');
    await rejectsWith(
      h.service.modifyInstanceAttribute(ctx(), { InstanceId: id, InstanceType: { Value: 't3.small' } }),
      'IncorrectInstanceState',
      `The instance '${id}' is not in the 'stopped' state.`,
    );
    const term = await h.service.terminateInstances(ctx(), { InstanceIds: [id] });
    assert.equal(term.TerminatingInstances![0]!.CurrentState!.Name, 'shutting-down');
    h.clock.advance(d['shutting-down']);
    assert.equal((await describe1(h, id)).State!.Name, 'terminated');
    await rejectsWith(
      h.service.startInstances(ctx(), { InstanceIds: [id] }),
      'IncorrectInstanceState',
      `The instance '${id}' is not in a state from which it can be started.`,
    );
    assert.deepEqual(
      states(h).map((s) => s.split(':')[1]),
      ['pending', 'running', 'stopping', 'stopped', 'pending', 'running', 'shutting-down', 'terminated'],
    );
    h.clock.advance(testOptions.terminatedVisibleMs);
    await rejectsWith(
      h.service.describeInstances(ctx(), { InstanceIds: [id] }),
      'InvalidInstanceID.NotFound',
      `The instance ID '${id}' does not exist`,
    );
  });

  it("refuses as AWS does: unknown and malformed ids, a pending instance's stop, protected instances, other accounts", async () => {
    const h = harness();
    const id = await launch(h, { DisableApiTermination: true });
    await rejectsWith(
      h.service.stopInstances(ctx(), { InstanceIds: [id] }),
      'IncorrectInstanceState',
      `Instance '${id}' cannot be stopped as it has never reached the 'running' state.`,
    );
    await rejectsWith(
      h.service.terminateInstances(ctx(), { InstanceIds: [id] }),
      'OperationNotPermitted',
      `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    );
    await rejectsWith(
      h.service.describeInstances(ctx(), { InstanceIds: ['i-0000000000000000a', 'i-0000000000000000b'] }),
      'InvalidInstanceID.NotFound',
      "The instance IDs 'i-0000000000000000a, i-0000000000000000b' do not exist",
    );
    await rejectsWith(
      h.service.terminateInstances(ctx(), { InstanceIds: ['i-123'] }),
      'InvalidInstanceID.Malformed',
      'Invalid id: "i-123"',
    );
    await rejectsWith(
      h.service.terminateInstances(ctx({ accountId: '111111111111' }), { InstanceIds: [id] }),
      'InvalidInstanceID.NotFound',
    );
    await rejectsWith(
      h.service.runInstances(ctx(), { ImageId: 'ami-0000000000000000f', MinCount: 1, MaxCount: 1 }),
      'InvalidAMIID.NotFound',
      "The image id '[ami-0000000000000000f]' does not exist",
    );
    const ImageId = (await h.service.describeInstances(ctx(), {})).Reservations![0]!.Instances![0]!.ImageId!;
    await rejectsWith(h.service.runInstances(ctx(), { ImageId, MinCount: 3, MaxCount: 2 }), 'InvalidParameterValue');
    await rejectsWith(
      h.service.runInstances(ctx(), { ImageId, MinCount: 21, MaxCount: 30 }),
      'InstanceLimitExceeded',
      /You have requested more instances \(21\) than your current instance limit of 20/,
    );
    await rejectsWith(
      h.service.runInstances(ctx(), { ImageId, MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0000000000000000a' }),
      'InvalidSubnetID.NotFound',
      "The subnet ID 'subnet-0000000000000000a' does not exist",
    );
    await rejectsWith(h.service.runInstances(ctx(), { ImageId, MinCount: 1, MaxCount: 1, DryRun: true }), 'DryRunOperation');
    assert.equal((await h.service.describeInstances(ctx(), {})).Reservations!.length, 1, 'refused calls launched nothing');
  });

  it('faults: a launch that fails (pending → shutting-down → terminated with the StateReason), a slow stop that Force cuts short', async () => {
    const h = harness();
    await h.service.faults.add({
      operation: 'RunInstances',
      namePattern: 'doomed-*',
      errorMessage: 'Server.InternalError: Internal error on launch',
    });
    await h.service.faults.add({ operation: 'StopInstances', tagKey: 'slow', delayMs: 60_000 });
    const doomed = await launch(h, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'doomed-1' }] }] });
    h.clock.advance(d.pending + d['shutting-down']);
    const gone = await describe1(h, doomed);
    assert.equal(gone.State!.Name, 'terminated');
    assert.deepEqual(gone.StateReason, { Code: 'Server.InternalError', Message: 'Server.InternalError: Internal error on launch' });
    assert.deepEqual(
      states(h).map((s) => s.split(':')[1]),
      ['pending', 'shutting-down', 'terminated'],
    );

    const slow = (
      await h.service.runInstances(ctx(), {
        ImageId: gone.ImageId!,
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'slow', Value: '' }] }],
      })
    ).Instances![0]!.InstanceId!;
    h.clock.advance(d.pending);
    await h.service.stopInstances(ctx(), { InstanceIds: [slow] });
    h.clock.advance(d.stopping * 5);
    assert.equal((await describe1(h, slow)).State!.Name, 'stopping');
    await h.service.stopInstances(ctx(), { InstanceIds: [slow], Force: true });
    assert.equal((await describe1(h, slow)).State!.Name, 'stopped');
    assert.deepEqual(
      states(h)
        .filter((s) => s.startsWith(slow))
        .map((s) => s.split(':')[1]),
      ['pending', 'running', 'stopping', 'stopped'],
    );
  });

  it('DescribeInstances: filters and pages; DescribeInstanceStatus: running only unless IncludeAllInstances', async () => {
    const h = harness();
    const ImageId = await availableImage(h);
    await h.service.createKeyPair(ctx(), { KeyName: 'bake' });
    await rejectsWith(
      h.service.runInstances(ctx(), { ImageId, MinCount: 1, MaxCount: 1, KeyName: 'nope' }),
      'InvalidKeyPair.NotFound',
      "The key pair 'nope' does not exist",
    );
    const r = await h.service.runInstances(ctx(), { ImageId, MinCount: 7, MaxCount: 7, InstanceType: 't3.nano', KeyName: 'bake' });
    const ids = r.Instances!.map((i) => i.InstanceId!).sort();
    h.clock.advance(d.pending);
    await h.service.stopInstances(ctx(), { InstanceIds: [ids[0]!] });
    const byState = await h.service.describeInstances(ctx(), { Filters: [{ Name: 'instance-state-name', Values: ['stopping'] }] });
    assert.deepEqual(
      byState.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId)),
      [ids[0]],
    );
    const none = await h.service.describeInstances(ctx(), { Filters: [{ Name: 'key-name', Values: ['other'] }] });
    assert.deepEqual(none.Reservations, []);
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await h.service.describeInstances(ctx(), { MaxResults: 5, ...(NextToken && { NextToken }) });
      seen.push(...page.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId!)));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(seen, ids);
    await rejectsWith(
      h.service.describeInstances(ctx(), { Filters: [{ Name: 'bogus', Values: ['x'] }] }),
      'InvalidParameterValue',
      "The filter 'bogus' is invalid",
    );
    const running = await h.service.describeInstanceStatus(ctx(), {});
    assert.equal(running.InstanceStatuses!.length, 6);
    assert.deepEqual(running.InstanceStatuses![0]!.InstanceStatus, { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] });
    const all = await h.service.describeInstanceStatus(ctx(), { IncludeAllInstances: true });
    assert.equal(all.InstanceStatuses!.length, 7);
  });

  it('CreateTags / DescribeTags / DeleteTags work on instances', async () => {
    const h = harness();
    const id = await launch(h);
    await h.service.createTags(ctx(), { Resources: [id], Tags: [{ Key: 'team', Value: 'platform' }] });
    const tags = await h.service.describeTags(ctx(), { Filters: [{ Name: 'resource-type', Values: ['instance'] }] });
    assert.deepEqual(tags.Tags, [{ ResourceId: id, ResourceType: 'instance', Key: 'team', Value: 'platform' }]);
    const tagged = await h.service.describeInstances(ctx(), { Filters: [{ Name: 'tag:team', Values: ['plat*'] }] });
    assert.equal(tagged.Reservations!.length, 1);
    await h.service.deleteTags(ctx(), { Resources: [id], Tags: [{ Key: 'team' }] });
    assert.equal((await describe1(h, id)).Tags, undefined);
    await rejectsWith(
      h.service.createTags(ctx(), { Resources: ['i-0000000000000000c'], Tags: [{ Key: 'a', Value: 'b' }] }),
      'InvalidInstanceID.NotFound',
    );
    // Snapshots of the caller's images take tags too (what Packer's snapshot_tags do).
    h.clock.advance(testOptions.instanceDurations.pending);
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: id, Name: 'tagged-snapshots' });
    const snap = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    await h.service.createTags(ctx(), { Resources: [ImageId!, snap], Tags: [{ Key: 'team', Value: 'platform' }] });
    const snapTags = await h.service.describeTags(ctx(), { Filters: [{ Name: 'resource-type', Values: ['snapshot'] }] });
    assert.deepEqual(snapTags.Tags, [{ ResourceId: snap, ResourceType: 'snapshot', Key: 'team', Value: 'platform' }]);
    await rejectsWith(
      h.service.createTags(ctx(), { Resources: ['snap-0000000000000000c'], Tags: [{ Key: 'a', Value: 'b' }] }),
      'InvalidSnapshot.NotFound',
      "The snapshot 'snap-0000000000000000c' does not exist.",
    );
  });

  it('CreateImage: only of an own instance that is running or stopped; rebooted unless NoReboot; mappings from its volumes', async () => {
    const h = harness();
    const id = await launch(h, {
      BlockDeviceMappings: [{ DeviceName: '/dev/xvdf', Ebs: { VolumeSize: 50, VolumeType: 'io2', Iops: 3000 } }],
    });
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: id, Name: 'too-early' }),
      'IncorrectState',
      `The instance '${id}' is in state 'pending' and cannot be imaged.`,
    );
    await rejectsWith(
      h.service.createImage(ctx({ accountId: '111111111111' }), { InstanceId: id, Name: 'not-yours' }),
      'InvalidInstanceID.NotFound',
      `The instance ID '${id}' does not exist`,
    );
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: 'i-0000000000000000e', Name: 'nobody' }),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0000000000000000e' does not exist",
    );
    h.clock.advance(d.pending);
    const { ImageId } = await h.service.createImage(ctx(), { InstanceId: id, Name: 'from-running' });
    const { ImageId: quiet } = await h.service.createImage(ctx(), { InstanceId: id, Name: 'no-reboot', NoReboot: true });
    assert.equal((await h.store.getInstance('us-east-1', id))!.rebootCount, 1, 'rebooted once: the NoReboot call left it alone');
    const image = (await h.service.describeImages(ctx(), { ImageIds: [ImageId!] })).Images![0]!;
    assert.equal(image.SourceInstanceId, id);
    const volumes = (await h.store.getInstance('us-east-1', id))!.volumes;
    assert.deepEqual(
      image.BlockDeviceMappings!.map((m) => [m.DeviceName, m.Ebs!.VolumeSize, m.Ebs!.VolumeType]),
      volumes.map((v) => [v.deviceName, v.volumeSize, v.volumeType]),
    );
    assert.deepEqual(
      image.BlockDeviceMappings!.map((m) => m.DeviceName),
      ['/dev/xvda', '/dev/xvdf'],
    );
    assert.equal(image.BlockDeviceMappings![1]!.Ebs!.Iops, 3000);
    const other = (await h.service.describeImages(ctx(), { ImageIds: [quiet!] })).Images![0]!;
    assert.notEqual(
      other.BlockDeviceMappings![0]!.Ebs!.SnapshotId,
      image.BlockDeviceMappings![0]!.Ebs!.SnapshotId,
      'every image gets its own snapshots',
    );
    assert.deepEqual(
      states(h)
        .filter((s) => s.startsWith(id))
        .map((s) => s.split(':')[1]),
      ['pending', 'running'],
      'a reboot is no state change',
    );
    await h.service.terminateInstances(ctx(), { InstanceIds: [id] });
    h.clock.advance(d['shutting-down']);
    await rejectsWith(
      h.service.createImage(ctx(), { InstanceId: id, Name: 'too-late' }),
      'IncorrectState',
      `The instance '${id}' is in state 'terminated' and cannot be imaged.`,
    );
  });
});
