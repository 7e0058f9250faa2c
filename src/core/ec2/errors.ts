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
    Ec2Errors.InvalidAMIID_NotFound(ids.length > 1 ? `The image ids '[${ids.join(', ')}]' do not exist` : `The image id '[${ids.join(', ')}]' does not exist`),
  /** AWS: `Invalid id: "ma1"` (no "expecting" part for instances). */
  instanceMalformed: (id: string) => Ec2Errors.InvalidInstanceID_Malformed(`Invalid id: "${id}"`),
  snapshotMalformed: (id: string) =>
    Ec2Errors.InvalidSnapshotID_Malformed(`Invalid id: "${id}" (expecting "snap-...")`),
  nameMalformed: () =>
    Ec2Errors.InvalidAMIName_Malformed("AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'", ),
  /** AWS: `AMI name x is already in use by AMI ami-…`. */
  nameDuplicate: (name: string, by: string) =>
    Ec2Errors.InvalidAMIName_Duplicate(`AMI name ${name} is already in use by AMI ${by}`),
  missingParameter: (name: string) =>
    Ec2Errors.MissingParameter(`The request must contain the parameter ${name}`),
  invalidParameterValue: (message: string) => Ec2Errors.InvalidParameterValue(message),
  invalidParameter: (message: string) => Ec2Errors.InvalidParameter(message),
  invalidCombination: (message: string) => Ec2Errors.InvalidParameterCombination(message),
  /** AWS answers a successful dry run with this error and HTTP 412. */
  dryRun: () => Ec2Errors.DryRunOperation('Request would have succeeded, but DryRun flag is set.'),
  incorrectState: (imageId: string, state: string) =>
    Ec2Errors.IncorrectState(`The image '${imageId}' is in state '${state}' and cannot be used for this operation.`),
  invalidFilter: (name: string) => Ec2Errors.InvalidParameterValue(`The filter '${name}' is invalid`),
  invalidNextToken: () =>
    Ec2Errors.InvalidPaginationToken('The specified pagination token is not valid or is expired.'),
  tagLimitExceeded: () => Ec2Errors.TagLimitExceeded('The maximum number of Tags for a resource has been reached.'),
  /** The image exists but cannot be used now (pending, failed, disabled, deregistered). */
  amiUnavailable: (id: string, state: string) =>
    Ec2Errors.InvalidAMIID_Unavailable(`The image id '[${id}]' is not available (state: ${state})`),
  invalidId: (id: string) => Ec2Errors.InvalidID(`The ID '${id}' is not valid`),
};
