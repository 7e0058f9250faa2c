import { XMLBuilder } from 'fast-xml-parser';

/**
 * The EC2 query protocol's output side: `<OpResponse xmlns=…><requestId>…</requestId>…` with no
 * Result wrapper, elements in camelCase, every list as `<xxxSet><item>…</item></xxxSet>` (or the
 * model's own list name), booleans `true`/`false`, timestamps ISO-8601.
 */
export const ec2Namespace = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/** SDK member name → XML element name where it is not simply the camelCased member name. */
export type Renames = Readonly<Record<string, string>>;

/** Names the Image, StoreImageTaskResult, DescribeTags and Deregister results use. */
export const commonRenames: Renames = {
  Images: 'imagesSet',
  State: 'imageState',
  OwnerId: 'imageOwnerId',
  Public: 'isPublic',
  Tags: 'tagSet',
  BlockDeviceMappings: 'blockDeviceMapping',
  StoreImageTaskResults: 'storeImageTaskResultSet',
  DeleteSnapshotResults: 'deleteSnapshotResultSet',
  LaunchPermissions: 'launchPermission',
  ProductCodeId: 'productCode',
  ProductCodeType: 'type',
};

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** SDK-shaped value → the object fast-xml-parser builds XML from. */
export function toXmlValue(value: unknown, renames: Renames): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '' : { item: value.map((v) => toXmlValue(v, renames)) };
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[renames[k] ?? camel(k)] = toXmlValue(v, renames);
    }
    return out;
  }
  return value;
}

export function responseXml(action: string, requestId: string, body: object, renames: Renames = commonRenames): string {
  const content = toXmlValue(body, renames) as Record<string, unknown>;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    builder.build({ [`${action}Response`]: { '@_xmlns': ec2Namespace, requestId, ...content } })
  );
}

/** EC2's error shape (not awsQuery's): `<Response><Errors><Error>…</Errors><RequestID>`. */
export function errorXml(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    builder.build({ Response: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId } })
  );
}
