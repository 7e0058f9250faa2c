import { Ec2Errors } from '../generated/errors.js';

/**
 * EC2's error codes and messages, worded as AWS writes them (texts recorded from real responses
 * quoted in public bug reports; where none was found the wording is ours and docs/ec2.md says so).
 */
export const ec2Errors = {
  /** AWS: `Invalid id: "ami-123" (expecting "ami-...")`. */
  amiMalformed: (id: string) => Ec2Errors.InvalidAMIID_Malformed(`Invalid id: "${id}" (expecting "ami-...")`),
  /**
   * AWS writes the ids as a bracketed list even for one: `The image id '[ami-x]' does not exist`;
   * for several the noun is plural: `The image ids '[ami-x, ami-y]' do not exist`.
   */
  amiNotFound: (ids: readonly string[]) =>
    Ec2Errors.InvalidAMIID_NotFound(
      ids.length > 1 ? `The image ids '[${ids.join(', ')}]' do not exist` : `The image id '[${ids.join(', ')}]' does not exist`,
    ),
  /** AWS: `Invalid id: "ma1"` (no "expecting" part for instances). */
  instanceMalformed: (id: string) => Ec2Errors.InvalidInstanceID_Malformed(`Invalid id: "${id}"`),
  snapshotMalformed: (id: string) => Ec2Errors.InvalidSnapshotID_Malformed(`Invalid id: "${id}" (expecting "snap-...")`),
  nameMalformed: () =>
    Ec2Errors.InvalidAMIName_Malformed(
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    ),
  /** AWS: `AMI name x is already in use by AMI ami-…`. */
  nameDuplicate: (name: string, by: string) => Ec2Errors.InvalidAMIName_Duplicate(`AMI name ${name} is already in use by AMI ${by}`),
  missingParameter: (name: string) => Ec2Errors.MissingParameter(`The request must contain the parameter ${name}`),
  invalidParameterValue: (message: string) => Ec2Errors.InvalidParameterValue(message),
  invalidParameter: (message: string) => Ec2Errors.InvalidParameter(message),
  invalidCombination: (message: string) => Ec2Errors.InvalidParameterCombination(message),
  /** AWS answers a successful dry run with this error and HTTP 412. */
  dryRun: () => Ec2Errors.DryRunOperation('Request would have succeeded, but DryRun flag is set.'),
  incorrectState: (imageId: string, state: string) =>
    Ec2Errors.IncorrectState(`The image '${imageId}' is in state '${state}' and cannot be used for this operation.`),
  invalidFilter: (name: string) => Ec2Errors.InvalidParameterValue(`The filter '${name}' is invalid`),
  invalidNextToken: () => Ec2Errors.InvalidPaginationToken('The specified pagination token is not valid or is expired.'),
  tagLimitExceeded: () => Ec2Errors.TagLimitExceeded('The maximum number of Tags for a resource has been reached.'),
  /** The image exists but cannot be used now (pending, failed, disabled, deregistered). */
  amiUnavailable: (id: string, state: string) =>
    Ec2Errors.InvalidAMIID_Unavailable(`The image id '[${id}]' is not available (state: ${state})`),
  invalidId: (id: string) => Ec2Errors.InvalidID(`The ID '${id}' is not valid`),
  /** AWS: `The instance ID 'i-…' does not exist`; several: `The instance IDs 'a, b' do not exist`. */
  instanceNotFound: (ids: readonly string[]) =>
    Ec2Errors.InvalidInstanceID_NotFound(
      ids.length === 1 ? `The instance ID '${ids[0]}' does not exist` : `The instance IDs '${ids.join(', ')}' do not exist`,
    ),
  /** AWS: `The instance 'i-…' is not in a state from which it can be started.` */
  instanceCannot: (id: string, verb: string) =>
    Ec2Errors.IncorrectInstanceState(`The instance '${id}' is not in a state from which it can be ${verb}.`),
  /** AWS, StopInstances on a pending instance: `Instance 'i-…' cannot be stopped as it has never reached the 'running' state.` */
  neverRunning: (id: string) =>
    Ec2Errors.IncorrectInstanceState(`Instance '${id}' cannot be stopped as it has never reached the 'running' state.`),
  /** ModifyInstanceAttribute of InstanceType/UserData on an instance not stopped. */
  notStopped: (id: string) => Ec2Errors.IncorrectInstanceState(`The instance '${id}' is not in the 'stopped' state.`),
  /** AWS: `The instance 'i-…' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.` */
  protectedInstance: (id: string, verb: 'terminated' | 'stopped', attribute: string) =>
    Ec2Errors.OperationNotPermitted(`The instance '${id}' may not be ${verb}. Modify its '${attribute}' instance attribute and try again.`),
  /** CreateImage of a terminated instance (wording ours; docs/ec2.md). */
  instanceIncorrectState: (id: string, state: string) =>
    Ec2Errors.IncorrectState(`The instance '${id}' is in state '${state}' and cannot be imaged.`),
  /** AWS's launch quota answer. */
  instanceLimit: (requested: number, limit: number) =>
    Ec2Errors.InstanceLimitExceeded(
      `You have requested more instances (${requested}) than your current instance limit of ${limit} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    ),
  subnetMalformed: (id: string) => Ec2Errors.InvalidSubnetID_Malformed(`Invalid id: "${id}" (expecting "subnet-...")`),
  subnetNotFound: (id: string) => Ec2Errors.InvalidSubnetID_NotFound(`The subnet ID '${id}' does not exist`),
  /** AWS: `The keypair 'x' already exists.` */
  keyPairDuplicate: (name: string) => Ec2Errors.InvalidKeyPair_Duplicate(`The keypair '${name}' already exists.`),
  /** AWS: `The key pair 'x' does not exist` */
  keyPairNotFound: (name: string) => Ec2Errors.InvalidKeyPair_NotFound(`The key pair '${name}' does not exist`),
  keyPairIdNotFound: (id: string) => Ec2Errors.InvalidKeyPair_NotFound(`The key pair ID '${id}' does not exist`),
  /** AWS: `Key is not in valid OpenSSH public key format` */
  keyFormat: () => Ec2Errors.InvalidKey_Format('Key is not in valid OpenSSH public key format'),
  groupNotFound: (id: string) => Ec2Errors.InvalidGroup_NotFound(`The security group '${id}' does not exist`),
  groupNameNotFound: (name: string, vpcId: string) =>
    Ec2Errors.InvalidGroup_NotFound(`The security group '${name}' does not exist in default VPC '${vpcId}'`),
  groupDuplicate: (name: string, vpcId: string) =>
    Ec2Errors.InvalidGroup_Duplicate(`The security group '${name}' already exists for VPC '${vpcId}'`),
  groupReserved: (name: string) => Ec2Errors.InvalidGroup_Reserved(`The security group '${name}' is reserved`),
  groupCannotDelete: (id: string) => Ec2Errors.CannotDelete(`the specified group: "${id}" name: "default" cannot be deleted by a user`),
  groupInUse: (id: string) => Ec2Errors.DependencyViolation(`resource ${id} has a dependent object`),
  permissionDuplicate: (rule: string) => Ec2Errors.InvalidPermission_Duplicate(`the specified rule "${rule}" already exists`),
  permissionNotFound: () => Ec2Errors.InvalidPermission_NotFound('The specified rule does not exist in this security group.'),
  /** AWS: `The volume 'vol-…' does not exist.` */
  volumeNotFound: (id: string) => Ec2Errors.InvalidVolume_NotFound(`The volume '${id}' does not exist.`),
  /** AWS: `The snapshot 'snap-…' does not exist.` */
  snapshotNotFound: (id: string) => Ec2Errors.InvalidSnapshot_NotFound(`The snapshot '${id}' does not exist.`),
  /** AWS: `The snapshot snap-… is currently in use by ami-…` (no quotes, unlike NotFound). */
  snapshotInUse: (id: string, imageId: string) => Ec2Errors.InvalidSnapshot_InUse(`The snapshot ${id} is currently in use by ${imageId}`),
  volumeMalformed: (id: string) => Ec2Errors.InvalidVolumeID_Malformed(`Invalid id: "${id}" (expecting "vol-...")`),
  /** CopySnapshot of a snapshot that is not `completed` (wording ours; docs/ec2.md). */
  snapshotIncorrectState: (id: string, state: string) =>
    Ec2Errors.IncorrectState(`The snapshot '${id}' is in state '${state}' and cannot be copied.`),
  vpcNotFound: (id: string) => Ec2Errors.InvalidVpcID_NotFound(`The vpc ID '${id}' does not exist`),
  groupMalformed: (id: string) => Ec2Errors.InvalidGroupId_Malformed(`Invalid id: "${id}" (expecting "sg-...")`),
};
