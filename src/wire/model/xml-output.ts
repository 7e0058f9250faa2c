import type { ShapeModel } from './service-model.js';

/**
 * Writes an operation's SDK-shaped result as the XML protocols answer it (awsQuery: SNS, SQS's
 * query mode; EC2), from the generated output shapes: each member under its element name
 * (EC2's camelCase locationName, SQS's flattened `<Attribute>`), lists wrapped in their item
 * element (`<member>`, EC2's `<item>`) or repeated when flattened (`<QueueUrl>`), maps as
 * `<entry><key/><value/></entry>` or flattened `<Attribute><Name/><Value/></Attribute>`,
 * booleans and numbers as text, timestamps ISO 8601, blobs base64. The result is the object
 * fast-xml-parser builds XML from; members the model does not have are not written.
 */
type Shapes = Readonly<Record<string, ShapeModel>>;

export function xmlOutput(shapes: Shapes, shape: string, value: unknown): Record<string, unknown> {
  const out = write(shapes, shape, value);
  return out !== null && typeof out === 'object' && !Array.isArray(out) ? (out as Record<string, unknown>) : {};
}

function write(shapes: Shapes, name: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapes[name]!;
  switch (shape.t) {
    case 'structure':
      return structure(shapes, shape, value as Record<string, unknown>);
    case 'list': {
      const items = (value as unknown[]).map((v) => write(shapes, shape.member, v) ?? '');
      if (shape.item === undefined) return items; // flattened: the member's element, repeated
      return items.length === 0 ? '' : { [shape.item]: items };
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => ({
        [shape.keyName ?? 'key']: k,
        [shape.valueName ?? 'value']: write(shapes, shape.value, v) ?? '',
      }));
      if (shape.entry === undefined) return entries;
      return entries.length === 0 ? '' : { [shape.entry]: entries };
    }
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : typeof value === 'number' ? new Date(value * 1000).toISOString() : String(value);
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : String(value);
    default:
      return String(value);
  }
}

/**
 * Members in the order the service built its result (the committed models list them sorted, not
 * in AWS's order; the service's order is the one its tests and captures follow).
 */
function structure(
  shapes: Shapes,
  shape: Extract<ShapeModel, { t: 'structure' }>,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of Object.keys(value)) {
    const ref = Object.hasOwn(shape.members, member) ? shape.members[member] : undefined;
    const written = ref && write(shapes, ref.shape, value[member]);
    if (ref && written !== undefined) out[ref.name ?? member] = written;
  }
  return out;
}
