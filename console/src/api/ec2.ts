import { ApiError, send } from './http.js';

/**
 * EC2 over its query protocol: a form-encoded POST (`Action`, `Version=2016-11-15`, lists as
 * `Name.1`, `Name.2`, structures as `Name.1.Field`) answered with XML, read with DOMParser.
 */
export type Param = string | number | boolean | undefined | Param[] | { [k: string]: Param };

/** Flattens nested input into EC2 query keys (arrays become `.1`, `.2`, …). */
export function flatten(input: Record<string, Param>, prefix = '', out = new URLSearchParams()): URLSearchParams {
  for (const [k, v] of Object.entries(input)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === undefined || v === '') continue;
    if (Array.isArray(v))
      v.forEach((item, i) =>
        typeof item === 'object' && !Array.isArray(item)
          ? flatten(item, `${key}.${i + 1}`, out)
          : out.append(`${key}.${i + 1}`, String(item)),
      );
    else if (typeof v === 'object') flatten(v, key, out);
    else out.append(key, String(v));
  }
  return out;
}

export async function ec2(action: string, input: Record<string, Param> = {}): Promise<Element> {
  const form = flatten({ Action: action, Version: '2016-11-15', ...input });
  const res = await send('POST', '/', 'ec2', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, form.toString());
  const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
  if (!res.ok) {
    throw new ApiError(text(doc.documentElement, 'Code') ?? 'Error', text(doc.documentElement, 'Message') ?? res.statusText, res.status);
  }
  return doc.documentElement;
}

/** The text of the first descendant element named `name` (namespace-agnostic). */
export function text(el: Element | null | undefined, name: string): string | undefined {
  return el?.getElementsByTagNameNS('*', name)[0]?.textContent ?? undefined;
}

/** The direct children named `name` of el's direct child `set` (`<imagesSet><item>…`). */
export function items(el: Element | null | undefined, set: string): Element[] {
  const container = [...(el?.children ?? [])].find((c) => c.localName === set);
  return [...(container?.children ?? [])].filter((c) => c.localName === 'item');
}

const child = (el: Element, name: string): string | undefined =>
  [...el.children].find((c) => c.localName === name)?.textContent ?? undefined;

export interface Image {
  imageId: string;
  name: string;
  state: string;
  description?: string;
  creationDate?: string;
  stateReason?: string;
  tags: Record<string, string>;
  sourceImageId?: string;
  /** Every other scalar field DescribeImages answered (architecture, rootDeviceName, …). */
  fields: Record<string, string>;
  blockDevices: {
    deviceName: string;
    snapshotId?: string;
    volumeSize?: string;
    volumeType?: string;
    deleteOnTermination?: string;
    encrypted?: string;
    virtualName?: string;
  }[];
}

export async function describeImages(
  options: { owners?: string[]; imageIds?: string[]; includeDisabled?: boolean; nextToken?: string; maxResults?: number } = {},
): Promise<{ images: Image[]; nextToken?: string }> {
  const root = await ec2('DescribeImages', {
    ...(options.imageIds
      ? { ImageId: options.imageIds }
      : { Owner: options.owners ?? ['self'], MaxResults: options.maxResults ?? 25, NextToken: options.nextToken }),
    IncludeDisabled: options.includeDisabled ?? true,
  });
  const images = items(root, 'imagesSet').map((item): Image => {
    const reason = [...item.children].find((c) => c.localName === 'stateReason');
    return {
      imageId: child(item, 'imageId') ?? '',
      name: child(item, 'name') ?? '',
      state: child(item, 'imageState') ?? '',
      description: child(item, 'description'),
      creationDate: child(item, 'creationDate'),
      stateReason: reason ? child(reason, 'message') : undefined,
      sourceImageId: child(item, 'sourceImageId'),
      tags: Object.fromEntries(items(item, 'tagSet').map((t) => [child(t, 'key') ?? '', child(t, 'value') ?? ''])),
      fields: Object.fromEntries([...item.children].filter((c) => c.children.length === 0).map((c) => [c.localName, c.textContent ?? ''])),
      blockDevices: items(item, 'blockDeviceMapping').map((b) => {
        const ebs = [...b.children].find((c) => c.localName === 'ebs');
        return {
          deviceName: child(b, 'deviceName') ?? '',
          virtualName: child(b, 'virtualName'),
          snapshotId: ebs && child(ebs, 'snapshotId'),
          volumeSize: ebs && child(ebs, 'volumeSize'),
          volumeType: ebs && child(ebs, 'volumeType'),
          deleteOnTermination: ebs && child(ebs, 'deleteOnTermination'),
          encrypted: ebs && child(ebs, 'encrypted'),
        };
      }),
    };
  });
  const next = [...root.children].find((c) => c.localName === 'nextToken')?.textContent;
  return { images, ...(next && { nextToken: next }) };
}
