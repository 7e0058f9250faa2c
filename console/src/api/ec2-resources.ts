import { ec2, items } from './ec2.js';

/**
 * Instances and EBS snapshots as the console shows them: DescribeInstances and DescribeSnapshots
 * read from EC2's XML into plain objects (every scalar field kept in `fields` for the detail
 * pages), every page of the answer followed.
 */
const child = (el: Element, name: string): string | undefined =>
  [...el.children].find((c) => c.localName === name)?.textContent ?? undefined;
const sub = (el: Element, name: string): Element | undefined => [...el.children].find((c) => c.localName === name);
const scalars = (el: Element): Record<string, string> =>
  Object.fromEntries([...el.children].filter((c) => c.children.length === 0).map((c) => [c.localName, c.textContent ?? '']));
const tagsOf = (el: Element): Record<string, string> =>
  Object.fromEntries(items(el, 'tagSet').map((t) => [child(t, 'key') ?? '', child(t, 'value') ?? '']));
const nextToken = (root: Element): string | undefined => child(root, 'nextToken') || undefined;

export interface Instance {
  instanceId: string;
  state: string;
  instanceType: string;
  imageId: string;
  launchTime?: string;
  availabilityZone?: string;
  stateReason?: string;
  tags: Record<string, string>;
  volumes: { deviceName: string; volumeId: string }[];
  fields: Record<string, string>;
}

export interface Snapshot {
  snapshotId: string;
  state: string;
  volumeId: string;
  volumeSize: string;
  progress: string;
  description: string;
  startTime?: string;
  stateMessage?: string;
  tags: Record<string, string>;
  fields: Record<string, string>;
}

function toInstance(item: Element): Instance {
  const reason = sub(item, 'stateReason');
  const placement = sub(item, 'placement');
  return {
    instanceId: child(item, 'instanceId') ?? '',
    state: (sub(item, 'instanceState') && child(sub(item, 'instanceState')!, 'name')) ?? '',
    instanceType: child(item, 'instanceType') ?? '',
    imageId: child(item, 'imageId') ?? '',
    launchTime: child(item, 'launchTime'),
    availabilityZone: placement && child(placement, 'availabilityZone'),
    stateReason: reason && child(reason, 'message'),
    tags: tagsOf(item),
    volumes: items(item, 'blockDeviceMapping').map((b) => ({
      deviceName: child(b, 'deviceName') ?? '',
      volumeId: (sub(b, 'ebs') && child(sub(b, 'ebs')!, 'volumeId')) ?? '',
    })),
    fields: scalars(item),
  };
}

/** The region's instances (terminated ones too, while EC2 still lists them). */
export async function describeInstances(instanceIds?: string[]): Promise<Instance[]> {
  const out: Instance[] = [];
  let token: string | undefined;
  do {
    const root = await ec2('DescribeInstances', instanceIds ? { InstanceId: instanceIds } : { MaxResults: 1000, NextToken: token });
    for (const r of items(root, 'reservationSet')) out.push(...items(r, 'instancesSet').map(toInstance));
    token = instanceIds ? undefined : nextToken(root);
  } while (token);
  return out;
}

function toSnapshot(item: Element): Snapshot {
  return {
    snapshotId: child(item, 'snapshotId') ?? '',
    state: child(item, 'status') ?? '',
    volumeId: child(item, 'volumeId') ?? '',
    volumeSize: child(item, 'volumeSize') ?? '',
    progress: child(item, 'progress') ?? '',
    description: child(item, 'description') ?? '',
    startTime: child(item, 'startTime'),
    stateMessage: child(item, 'statusMessage'),
    tags: tagsOf(item),
    fields: scalars(item),
  };
}

/** The account's snapshots in the region (`Owner=self`). */
export async function describeSnapshots(snapshotIds?: string[]): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  let token: string | undefined;
  do {
    const root = await ec2(
      'DescribeSnapshots',
      snapshotIds ? { SnapshotId: snapshotIds } : { Owner: ['self'], MaxResults: 1000, NextToken: token },
    );
    out.push(...items(root, 'snapshotSet').map(toSnapshot));
    token = snapshotIds ? undefined : nextToken(root);
  } while (token);
  return out;
}

/** CreateSnapshot of a volume; answers the new snapshot's id. */
export async function createSnapshot(volumeId: string, description: string): Promise<string> {
  const root = await ec2('CreateSnapshot', { VolumeId: volumeId, Description: description });
  return child(root, 'snapshotId') ?? '';
}
