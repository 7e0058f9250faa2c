import { ServiceError } from '../shared/service-error.js';

/**
 * EC2's error codes and messages, worded as AWS writes them (texts recorded from real responses
 * quoted in public bug reports; where none was found the wording is ours and docs/ec2.md says so).
 */
export const ec2Errors = {
  /** AWS: `Invalid id: "ami-123" (expecting "ami-...")`. */
  amiMalformed: (id: string) => new ServiceError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`),
  /** AWS writes the ids as a bracketed list even for one: `The image id '[ami-x]' does not exist`. */
  amiNotFound: (ids: readonly string[]) =>
    new ServiceError('InvalidAMIID.NotFound', `The image id '[${ids.join(', ')}]' does not exist`),
  /** AWS: `Invalid id: "ma1"` (no "expecting" part for instances). */
  instanceMalformed: (id: string) => new ServiceError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`),
  snapshotMalformed: (id: string) =>
    new ServiceError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`),
  nameMalformed: () =>
    new ServiceError(
      'InvalidAMIName.Malformed',
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    ),
  /** AWS: `AMI name x is already in use by AMI ami-…`. */
  nameDuplicate: (name: string, by: string) =>
    new ServiceError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${by}`),
  missingParameter: (name: string) =>
    new ServiceError('MissingParameter', `The request must contain the parameter ${name}`),
  invalidParameterValue: (message: string) => new ServiceError('InvalidParameterValue', message),
  invalidParameter: (message: string) => new ServiceError('InvalidParameter', message),
  invalidCombination: (message: string) => new ServiceError('InvalidParameterCombination', message),
  /** AWS answers a successful dry run with this error and HTTP 412. */
  dryRun: () => new ServiceError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  incorrectState: (imageId: string, state: string) =>
    new ServiceError('IncorrectState', `The image '${imageId}' is in state '${state}' and cannot be used for this operation.`),
  invalidFilter: (name: string) => new ServiceError('InvalidParameterValue', `The filter '${name}' is invalid`),
  invalidNextToken: () =>
    new ServiceError('InvalidPaginationToken', 'The specified pagination token is not valid or is expired.'),
  tagLimitExceeded: () => new ServiceError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.'),
  /** The image exists but cannot be used now (pending, failed, disabled, deregistered). */
  amiUnavailable: (id: string, state: string) =>
    new ServiceError('InvalidAMIID.Unavailable', `The image id '[${id}]' is not available (state: ${state})`),
  invalidId: (id: string) => new ServiceError('InvalidID', `The ID '${id}' is not valid`),
};
