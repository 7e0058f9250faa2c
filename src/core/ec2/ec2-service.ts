import type * as EC2 from '@aws-sdk/client-ec2';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import type { Ec2Store } from '../../storage/ports/ec2-store.js';
import type { AmiEventSink } from './ami-event.js';
import { copyImage, createImage } from './create-image.js';
import { describeImages } from './describe-images.js';
import type { Ec2Deps } from './ec2-context.js';
import { AmiEventRelay } from './event-relay.js';
import { FaultService } from './faults.js';
import { describeImageAttribute, modifyImageAttribute } from './image-attributes.js';
import { deregisterImage, disableImage, enableImage } from './image-state.js';
import { createTags, deleteTags, describeTags } from './image-tags.js';
import { describeInstanceStatus, describeInstances } from './describe-instances.js';
import { rebootInstances, startInstances, stopInstances, terminateInstances } from './instance-actions.js';
import { describeInstanceAttribute, modifyInstanceAttribute } from './instance-attributes.js';
import { runInstances } from './run-instances.js';
import * as groups from './security-groups.js';
import { describeVolumes } from './describe-volumes.js';
import { copySnapshot, createSnapshot, deleteSnapshot } from './snapshots.js';
import { describeSnapshots } from './snapshot-view.js';
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair } from './key-pairs.js';
import { describeAvailabilityZones, describeRegions, describeSubnets, describeVpcs } from './describe-network.js';
import { ImageLifecycle } from './lifecycle.js';
import { defaultEc2Options, type Ec2Options } from './options.js';
import { PublicImages } from './public-images.js';
import { registerImage } from './register-image.js';
import { Serial } from './serial.js';
import { createRestoreImageTask, createStoreImageTask, describeStoreImageTasks } from './store-image-tasks.js';

export interface Ec2ServiceConfig {
  store: Ec2Store;
  sink: AmiEventSink;
  clock: Clock;
  random: Random;
  options?: Ec2Options;
  /** Called when the sink refuses an event (it stays queued and is offered again). */
  onSinkError?: (error: unknown) => void;
}

type Op<I, O> = (ctx: RequestContext, input: I) => Promise<O>;

/**
 * The EC2 AMI service: one method per supported API operation, typed with the SDK's shapes.
 * Every call first settles due lifecycle transitions (so a read never shows an image `pending`
 * past its due time); calls that change state run one at a time.
 */
export class Ec2Service {
  readonly faults: FaultService;
  readonly lifecycle: ImageLifecycle;
  private readonly deps: Ec2Deps;

  constructor(config: Ec2ServiceConfig) {
    const serial = new Serial();
    this.faults = new FaultService(config.store, config.clock, config.random);
    const publicImages = new PublicImages(config.store);
    const base = {
      store: config.store,
      clock: config.clock,
      random: config.random,
      options: config.options ?? defaultEc2Options,
      faults: this.faults,
      serial,
      publicImages,
    };
    this.lifecycle = new ImageLifecycle(base, new AmiEventRelay(config.store, config.sink, config.onSinkError));
    this.deps = { ...base, settle: () => this.lifecycle.settle() };
  }

  private write<I, O>(op: (deps: Ec2Deps, ctx: RequestContext, input: I) => Promise<O>): Op<I, O> {
    return async (ctx, input) => {
      await this.deps.publicImages.ensure(ctx.region);
      await this.deps.settle();
      const result = await this.deps.serial.run(() => op(this.deps, ctx, input));
      // Synchronous transitions (deregister, disable, enable) queue an event: hand it over now.
      await this.lifecycle.settle();
      return result;
    };
  }

  private read<I, O>(op: (deps: Ec2Deps, ctx: RequestContext, input: I) => Promise<O>): Op<I, O> {
    return async (ctx, input) => {
      await this.deps.publicImages.ensure(ctx.region);
      await this.deps.settle();
      return op(this.deps, ctx, input);
    };
  }

  readonly createImage: Op<EC2.CreateImageRequest, EC2.CreateImageResult> = this.write(createImage);
  readonly copyImage: Op<EC2.CopyImageRequest, EC2.CopyImageResult> = this.write(copyImage);
  readonly registerImage: Op<EC2.RegisterImageRequest, EC2.RegisterImageResult> = this.write(registerImage);
  readonly createRestoreImageTask: Op<EC2.CreateRestoreImageTaskRequest, EC2.CreateRestoreImageTaskResult> =
    this.write(createRestoreImageTask);
  readonly createStoreImageTask: Op<EC2.CreateStoreImageTaskRequest, EC2.CreateStoreImageTaskResult> = this.write(createStoreImageTask);
  readonly describeStoreImageTasks: Op<EC2.DescribeStoreImageTasksRequest, EC2.DescribeStoreImageTasksResult> =
    this.read(describeStoreImageTasks);
  readonly deregisterImage: Op<EC2.DeregisterImageRequest, EC2.DeregisterImageResult> = this.write(deregisterImage);
  readonly disableImage: Op<EC2.DisableImageRequest, EC2.DisableImageResult> = this.write(disableImage);
  readonly enableImage: Op<EC2.EnableImageRequest, EC2.EnableImageResult> = this.write(enableImage);
  readonly describeImages: Op<EC2.DescribeImagesRequest, EC2.DescribeImagesResult> = this.read(describeImages);
  readonly describeImageAttribute: Op<EC2.DescribeImageAttributeRequest, EC2.ImageAttribute> = this.read(describeImageAttribute);
  readonly modifyImageAttribute: Op<EC2.ModifyImageAttributeRequest, void> = this.write(modifyImageAttribute);
  readonly createTags: Op<EC2.CreateTagsRequest, void> = this.write(createTags);
  readonly deleteTags: Op<EC2.DeleteTagsRequest, void> = this.write(deleteTags);
  readonly describeTags: Op<EC2.DescribeTagsRequest, EC2.DescribeTagsResult> = this.read(describeTags);
  readonly runInstances: Op<EC2.RunInstancesRequest, EC2.Reservation> = this.write(runInstances);
  readonly describeInstances: Op<EC2.DescribeInstancesRequest, EC2.DescribeInstancesResult> = this.read(describeInstances);
  readonly describeInstanceStatus: Op<EC2.DescribeInstanceStatusRequest, EC2.DescribeInstanceStatusResult> =
    this.read(describeInstanceStatus);
  readonly startInstances: Op<EC2.StartInstancesRequest, EC2.StartInstancesResult> = this.write(startInstances);
  readonly stopInstances: Op<EC2.StopInstancesRequest, EC2.StopInstancesResult> = this.write(stopInstances);
  readonly rebootInstances: Op<EC2.RebootInstancesRequest, void> = this.write(rebootInstances);
  readonly terminateInstances: Op<EC2.TerminateInstancesRequest, EC2.TerminateInstancesResult> = this.write(terminateInstances);
  readonly modifyInstanceAttribute: Op<EC2.ModifyInstanceAttributeRequest, void> = this.write(modifyInstanceAttribute);
  readonly describeInstanceAttribute: Op<EC2.DescribeInstanceAttributeRequest, EC2.InstanceAttribute> =
    this.read(describeInstanceAttribute);
  readonly describeVpcs: Op<EC2.DescribeVpcsRequest, EC2.DescribeVpcsResult> = this.read(describeVpcs);
  readonly describeSubnets: Op<EC2.DescribeSubnetsRequest, EC2.DescribeSubnetsResult> = this.read(describeSubnets);
  readonly describeAvailabilityZones: Op<EC2.DescribeAvailabilityZonesRequest, EC2.DescribeAvailabilityZonesResult> =
    this.read(describeAvailabilityZones);
  readonly describeRegions: Op<EC2.DescribeRegionsRequest, EC2.DescribeRegionsResult> = this.read(describeRegions);
  readonly createKeyPair: Op<EC2.CreateKeyPairRequest, EC2.KeyPair> = this.write(createKeyPair);
  readonly importKeyPair: Op<EC2.ImportKeyPairRequest, EC2.ImportKeyPairResult> = this.write(importKeyPair);
  readonly describeKeyPairs: Op<EC2.DescribeKeyPairsRequest, EC2.DescribeKeyPairsResult> = this.read(describeKeyPairs);
  readonly deleteKeyPair: Op<EC2.DeleteKeyPairRequest, EC2.DeleteKeyPairResult> = this.write(deleteKeyPair);
  readonly createSecurityGroup: Op<EC2.CreateSecurityGroupRequest, EC2.CreateSecurityGroupResult> = this.write(groups.createSecurityGroup);
  readonly deleteSecurityGroup: Op<EC2.DeleteSecurityGroupRequest, EC2.DeleteSecurityGroupResult> = this.write(groups.deleteSecurityGroup);
  readonly describeSecurityGroups: Op<EC2.DescribeSecurityGroupsRequest, EC2.DescribeSecurityGroupsResult> = this.read(
    groups.describeSecurityGroups,
  );
  readonly authorizeSecurityGroupIngress: Op<EC2.AuthorizeSecurityGroupIngressRequest, EC2.AuthorizeSecurityGroupIngressResult> =
    this.write(groups.authorizeSecurityGroupIngress);
  readonly authorizeSecurityGroupEgress: Op<EC2.AuthorizeSecurityGroupEgressRequest, EC2.AuthorizeSecurityGroupEgressResult> = this.write(
    groups.authorizeSecurityGroupEgress,
  );
  readonly revokeSecurityGroupIngress: Op<EC2.RevokeSecurityGroupIngressRequest, EC2.RevokeSecurityGroupIngressResult> = this.write(
    groups.revokeSecurityGroupIngress,
  );
  readonly revokeSecurityGroupEgress: Op<EC2.RevokeSecurityGroupEgressRequest, EC2.RevokeSecurityGroupEgressResult> = this.write(
    groups.revokeSecurityGroupEgress,
  );
  readonly describeVolumes: Op<EC2.DescribeVolumesRequest, EC2.DescribeVolumesResult> = this.read(describeVolumes);
  readonly createSnapshot: Op<EC2.CreateSnapshotRequest, EC2.Snapshot> = this.write(createSnapshot);
  readonly copySnapshot: Op<EC2.CopySnapshotRequest, EC2.CopySnapshotResult> = this.write(copySnapshot);
  readonly deleteSnapshot: Op<EC2.DeleteSnapshotRequest, void> = this.write(deleteSnapshot);
  readonly describeSnapshots: Op<EC2.DescribeSnapshotsRequest, EC2.DescribeSnapshotsResult> = this.read(describeSnapshots);
}
