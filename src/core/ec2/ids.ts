import type { Random } from '../shared/random.js';
import { ec2Errors } from './errors.js';

/**
 * EC2 resource ids: a prefix, a dash and 8 (old short form) or 17 (current long form) lowercase
 * hex digits. New ids are always the long form.
 */
const idPattern = (prefix: string): RegExp => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);
const amiPattern = idPattern('ami');
const instancePattern = idPattern('i');
const snapshotPattern = idPattern('snap');
const volumePattern = idPattern('vol');

export const isAmiId = (id: string): boolean => amiPattern.test(id);

export function newImageId(random: Random): string {
  return `ami-${random.hex(17)}`;
}

export function newSnapshotId(random: Random): string {
  return `snap-${random.hex(17)}`;
}

export function checkAmiId(id: string): string {
  if (!amiPattern.test(id)) throw ec2Errors.amiMalformed(id);
  return id;
}

export function checkInstanceId(id: string): string {
  if (!instancePattern.test(id)) throw ec2Errors.instanceMalformed(id);
  return id;
}

export const isInstanceId = (id: string): boolean => instancePattern.test(id);

/** A new long-form id with this prefix (`i`, `r`, `vol`, `eni`, …). */
export function newId(prefix: string, random: Random): string {
  return `${prefix}-${random.hex(17)}`;
}

export function checkSnapshotId(id: string): string {
  if (!snapshotPattern.test(id)) throw ec2Errors.snapshotMalformed(id);
  return id;
}

export function checkVolumeId(id: string): string {
  if (!volumePattern.test(id)) throw ec2Errors.volumeMalformed(id);
  return id;
}

/** The image ARN as AMI events write it: the account field is empty. */
export function imageArn(region: string, imageId: string): string {
  return `arn:aws:ec2:${region}::image/${imageId}`;
}
