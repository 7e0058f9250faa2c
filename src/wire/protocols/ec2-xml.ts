import { XMLBuilder } from 'fast-xml-parser';

/**
 * The EC2 query protocol's output side: `<OpResponse xmlns=…><requestId>…</requestId>…` with no
 * Result wrapper; the elements (camelCase, lists as `<xxxSet><item>…</item></xxxSet>`) are the
 * model's, written by xml-output.ts.
 */
export const ec2Namespace = 'http://ec2.amazonaws.com/doc/2016-11-15/';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/** `content`: the result's elements, written from the model's output shape (xml-output.ts). */
export function responseXml(action: string, requestId: string, content: Record<string, unknown>): string {
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
