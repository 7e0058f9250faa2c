import type { TagSpecification } from '@aws-sdk/client-ec2';
import type { TagRecord } from '../../storage/ports/ec2-store.js';
import { ec2Errors } from './errors.js';

/**
 * Input checks with AWS's codes. CreateImage/CopyImage/RegisterImage document the name as
 * "3-128 alphanumeric characters, parentheses (()), square brackets ([]), spaces ( ), periods
 * (.), slashes (/), dashes (-), single quotes ('), at-signs (@), or underscores(_)"; the error
 * AWS sends lists fewer characters, and we send that text unchanged.
 */
const namePattern = /^[a-zA-Z0-9()[\] ./\-'@_]{3,128}$/;

export function required<T>(value: T | undefined | null, parameter: string): T {
  if (value === undefined || value === null || value === '') throw ec2Errors.missingParameter(parameter);
  return value;
}

export function checkImageName(name: string | undefined): string {
  const value = required(name, 'Name');
  if (!namePattern.test(value)) throw ec2Errors.nameMalformed();
  return value;
}

/** AMI descriptions: up to 255 characters. */
export function checkDescription(description: string | undefined): string | undefined {
  if (description !== undefined && description.length > 255) {
    throw ec2Errors.invalidParameterValue(
      `Value (${description.slice(0, 20)}…) for parameter description is invalid. Length exceeds maximum of 255 characters.`,
    );
  }
  return description;
}

/** Region names look like `us-east-1`, `eu-central-2`, `us-gov-west-1`. */
export function checkRegionName(region: string | undefined, parameter: string): string {
  const value = required(region, parameter);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) {
    throw ec2Errors.invalidParameterValue(`Invalid region: ${value}`);
  }
  return value;
}

/** S3 bucket names: 3-63 lowercase letters, digits, dots and dashes. */
export function checkBucket(bucket: string | undefined): string {
  const value = required(bucket, 'Bucket');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) {
    throw ec2Errors.invalidParameterValue(`The bucket name '${value}' is not valid.`);
  }
  return value;
}

/** EC2 tag rules: key 1-128 characters, not starting with `aws:`; value up to 256; 50 per resource. */
export function checkTag(key: string | undefined, value: string | undefined): TagRecord {
  const k = required(key, 'Tag.Key');
  if (k.length > 128) throw ec2Errors.invalidParameterValue(`Tag key exceeds the maximum length of 128 characters`);
  if (k.toLowerCase().startsWith('aws:')) {
    throw ec2Errors.invalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use`);
  }
  const v = value ?? '';
  if (v.length > 256) throw ec2Errors.invalidParameterValue(`Tag value exceeds the maximum length of 256 characters`);
  return { key: k, value: v };
}

export const maxTagsPerResource = 50;

/** Merges tags (later keys replace earlier ones), enforcing the per-resource limit. */
export function mergeTags(current: readonly TagRecord[], added: readonly TagRecord[]): TagRecord[] {
  const byKey = new Map(current.map((t) => [t.key, t.value]));
  for (const t of added) byKey.set(t.key, t.value);
  if (byKey.size > maxTagsPerResource) throw ec2Errors.tagLimitExceeded();
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/**
 * The tags a create operation puts on the new image: TagSpecifications with ResourceType
 * `image`. Other resource types (`snapshot`) are accepted and ignored: snapshots are not
 * modelled. An unknown resource type is refused, as AWS does.
 */
export function imageTagsFrom(specs: readonly TagSpecification[] | undefined): TagRecord[] {
  const tags: TagRecord[] = [];
  for (const spec of specs ?? []) {
    const type = required(spec.ResourceType, 'TagSpecification.ResourceType');
    if (type !== 'image' && type !== 'snapshot') {
      throw ec2Errors.invalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    }
    if (type !== 'image') continue;
    for (const t of spec.Tags ?? []) tags.push(checkTag(t.Key, t.Value));
  }
  return mergeTags([], tags);
}

/** Tags of one resource type from TagSpecifications (instance, key-pair, …); the other types' are left to them. */
export function tagsFor(specs: readonly TagSpecification[] | undefined, type: string): TagRecord[] {
  const tags: TagRecord[] = [];
  for (const spec of specs ?? []) {
    if (required(spec.ResourceType, 'TagSpecification.ResourceType') !== type) continue;
    for (const t of spec.Tags ?? []) tags.push(checkTag(t.Key, t.Value));
  }
  return mergeTags([], tags);
}
