import type { Ec2Service } from '../../core/ec2/ec2-service.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { ec2Model, type Ec2Operations } from '../generated/ec2.js';
import { ec2Protocol, readEc2Input } from '../protocols/ec2.js';
import type { ServiceHandler } from '../service-handler.js';

export const EC2_QUERY_VERSION = ec2Model.apiVersion;

/** EC2's operations bound to the domain. */
export function ec2Operations(s: Ec2Service): Ec2Operations {
  return {
    CreateImage: (ctx, input) => s.createImage(ctx, input),
    CopyImage: (ctx, input) => s.copyImage(ctx, input),
    RegisterImage: (ctx, input) => s.registerImage(ctx, input),
    CreateRestoreImageTask: (ctx, input) => s.createRestoreImageTask(ctx, input),
    CreateStoreImageTask: (ctx, input) => s.createStoreImageTask(ctx, input),
    DescribeStoreImageTasks: (ctx, input) => s.describeStoreImageTasks(ctx, input),
    DeregisterImage: (ctx, input) => s.deregisterImage(ctx, input),
    EnableImage: (ctx, input) => s.enableImage(ctx, input),
    DisableImage: (ctx, input) => s.disableImage(ctx, input),
    DescribeImages: (ctx, input) => s.describeImages(ctx, input),
    DescribeImageAttribute: (ctx, input) => s.describeImageAttribute(ctx, input),
    ModifyImageAttribute: (ctx, input) => s.modifyImageAttribute(ctx, input),
    CreateTags: (ctx, input) => s.createTags(ctx, input),
    DeleteTags: (ctx, input) => s.deleteTags(ctx, input),
    DescribeTags: (ctx, input) => s.describeTags(ctx, input),
    RunInstances: (ctx, input) => s.runInstances(ctx, input),
    DescribeInstances: (ctx, input) => s.describeInstances(ctx, input),
    DescribeInstanceStatus: (ctx, input) => s.describeInstanceStatus(ctx, input),
    StartInstances: (ctx, input) => s.startInstances(ctx, input),
    StopInstances: (ctx, input) => s.stopInstances(ctx, input),
    RebootInstances: (ctx, input) => s.rebootInstances(ctx, input),
    TerminateInstances: (ctx, input) => s.terminateInstances(ctx, input),
    ModifyInstanceAttribute: (ctx, input) => s.modifyInstanceAttribute(ctx, input),
    DescribeInstanceAttribute: (ctx, input) => s.describeInstanceAttribute(ctx, input),
    DescribeVpcs: (ctx, input) => s.describeVpcs(ctx, input),
    DescribeSubnets: (ctx, input) => s.describeSubnets(ctx, input),
    DescribeAvailabilityZones: (ctx, input) => s.describeAvailabilityZones(ctx, input),
    DescribeRegions: (ctx, input) => s.describeRegions(ctx, input),
    CreateKeyPair: (ctx, input) => s.createKeyPair(ctx, input),
    ImportKeyPair: (ctx, input) => s.importKeyPair(ctx, input),
    DescribeKeyPairs: (ctx, input) => s.describeKeyPairs(ctx, input),
    DeleteKeyPair: (ctx, input) => s.deleteKeyPair(ctx, input),
    CreateSecurityGroup: (ctx, input) => s.createSecurityGroup(ctx, input),
    DeleteSecurityGroup: (ctx, input) => s.deleteSecurityGroup(ctx, input),
    DescribeSecurityGroups: (ctx, input) => s.describeSecurityGroups(ctx, input),
    AuthorizeSecurityGroupIngress: (ctx, input) => s.authorizeSecurityGroupIngress(ctx, input),
    AuthorizeSecurityGroupEgress: (ctx, input) => s.authorizeSecurityGroupEgress(ctx, input),
    RevokeSecurityGroupIngress: (ctx, input) => s.revokeSecurityGroupIngress(ctx, input),
    RevokeSecurityGroupEgress: (ctx, input) => s.revokeSecurityGroupEgress(ctx, input),
    DescribeVolumes: (ctx, input) => s.describeVolumes(ctx, input),
    CreateSnapshot: (ctx, input) => s.createSnapshot(ctx, input),
    CopySnapshot: (ctx, input) => s.copySnapshot(ctx, input),
    DeleteSnapshot: (ctx, input) => s.deleteSnapshot(ctx, input),
    DescribeSnapshots: (ctx, input) => s.describeSnapshots(ctx, input),
  };
}

const protocol = ec2Protocol(ec2Model);

export const supportedEc2Actions = (): string[] => Object.keys(ec2Model.operations);

/** What an EC2 form body decodes to for `action` (tests of the query protocol). */
export const ec2Input = (action: string, body: string): Record<string, unknown> => readEc2Input(ec2Model, action, body);

export const createEc2QueryHandler = (
  ec2: Ec2Service,
  options: { onInternalError?: DispatchOptions['onInternalError'] } = {},
): ServiceHandler => dispatch(protocol, ec2Operations(ec2), options.onInternalError ? { onInternalError: options.onInternalError } : {});

export const ec2Error = protocol.error;
