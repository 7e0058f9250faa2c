import type { Filter } from '@aws-sdk/client-ec2';
import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import { isPublic } from './image-view.js';
import { compileFilters } from './simple-filters.js';

/**
 * DescribeImages filters. Each filter name maps to the values an image has for it; an image
 * passes a filter when any of its values matches any of the filter's values (values may use `*`
 * and `?` wildcards), and passes the request when it passes every filter (AWS: values of one
 * filter are OR-ed, filters are AND-ed). `tag:<key>` and `tag-key` are handled by name.
 */
type Extract = (image: ImageRecord) => readonly (string | undefined)[];

const bool = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : String(b));
const ebs = (i: ImageRecord) => i.blockDeviceMappings.map((m) => m.ebs);

/**
 * Filters AWS documents for things amiwatch does not model: owner aliases (`amazon`,
 * `aws-marketplace` own nothing here), product codes, Free Tier eligibility and Allowed AMIs. The
 * names are valid (as with AWS), but no image has a value for them, so they match nothing.
 */
const unmodelled: Extract = () => [];

const extractors: Record<string, Extract> = {
  architecture: (i) => [i.architecture],
  'block-device-mapping.delete-on-termination': (i) => ebs(i).map((e) => bool(e?.deleteOnTermination)),
  'block-device-mapping.device-name': (i) => i.blockDeviceMappings.map((m) => m.deviceName),
  'block-device-mapping.snapshot-id': (i) => ebs(i).map((e) => e?.snapshotId),
  'block-device-mapping.volume-size': (i) => ebs(i).map((e) => e?.volumeSize?.toString()),
  'block-device-mapping.volume-type': (i) => ebs(i).map((e) => e?.volumeType),
  'block-device-mapping.encrypted': (i) => ebs(i).map((e) => bool(e?.encrypted)),
  'creation-date': (i) => [i.creationDate],
  description: (i) => [i.description],
  'ena-support': (i) => [bool(i.enaSupport)],
  hypervisor: (i) => [i.hypervisor],
  'free-tier-eligible': unmodelled,
  'image-allowed': unmodelled,
  'image-id': (i) => [i.imageId],
  'image-type': (i) => [i.imageType],
  'is-public': (i) => [String(isPublic(i))],
  'kernel-id': (i) => [i.kernelId],
  'manifest-location': (i) => [i.imageLocation],
  name: (i) => [i.name],
  'owner-alias': (i) => [i.ownerAlias],
  'owner-id': (i) => [i.accountId],
  platform: (i) => [i.platform],
  'platform-details': (i) => [i.platformDetails],
  'product-code': unmodelled,
  'product-code.type': unmodelled,
  'ramdisk-id': (i) => [i.ramdiskId],
  'root-device-name': (i) => [i.rootDeviceName],
  'root-device-type': (i) => [i.rootDeviceType],
  'source-image-id': (i) => [i.sourceImageId],
  'source-image-region': (i) => [i.sourceImageRegion],
  'source-instance-id': (i) => [i.sourceInstanceId],
  'sriov-net-support': (i) => [i.sriovNetSupport],
  state: (i) => [i.state],
  'state-reason-code': (i) => [i.stateReason?.code],
  'state-reason-message': (i) => [i.stateReason?.message],
  'tag-key': (i) => i.tags.map((t) => t.key),
  'usage-operation': (i) => [i.usageOperation],
  'virtualization-type': (i) => [i.virtualizationType],
};

export type ImagePredicate = (image: ImageRecord) => boolean;

/** Compiles the request's filters once; an unknown filter name is refused as AWS does. */
export function compileImageFilters(filters: readonly Filter[] | undefined): ImagePredicate {
  return compileFilters(filters, extractors, (name) => (name.startsWith('tag:') ? tagValue(name.slice(4)) : undefined));
}

const tagValue =
  (key: string): Extract =>
  (i) =>
    i.tags.filter((t) => t.key === key).map((t) => t.value);

export const supportedImageFilters = (): string[] => [...Object.keys(extractors), 'tag:<key>'];
