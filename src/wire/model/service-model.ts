/**
 * The form of src/wire/generated/*: AWS's service models (botocore's JSON, committed under
 * models/) reduced to what the wire layer reads — for each operation amiwatch serves, its input
 * shape, HTTP binding (REST) and modelled errors; for each shape, its type, constraints and
 * wire names in the service's protocol. Shapes refer to each other by name (models share and
 * nest them, sometimes recursively). See docs/decisions/generated-wire-layer.md.
 */
export type Protocol = 'json' | 'query' | 'ec2' | 'rest-json';

export interface MemberRef {
  readonly shape: string;
  /** The member's name on the wire when it is not the member name (query key, header, …). */
  readonly name?: string;
  /** REST bindings: where the member travels; absent means the JSON body. */
  readonly location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  /** A member's own timestamp format, overriding the shape's. */
  readonly format?: string;
}

export type ShapeModel =
  | {
      readonly t: 'string';
      readonly min?: number;
      readonly max?: number;
      readonly pattern?: string;
      readonly flags?: string;
      readonly enum?: readonly string[];
    }
  | { readonly t: 'integer' | 'long'; readonly min?: number; readonly max?: number }
  | { readonly t: 'double' | 'float'; readonly min?: number; readonly max?: number }
  | { readonly t: 'boolean' }
  | { readonly t: 'blob'; readonly min?: number; readonly max?: number }
  | { readonly t: 'timestamp'; readonly format?: string }
  | {
      readonly t: 'list';
      readonly member: string;
      readonly min?: number;
      readonly max?: number;
      /** awsQuery: the segment between the key and the index (`member`); absent when flattened. */
      readonly item?: string;
    }
  | {
      readonly t: 'map';
      readonly key: string;
      readonly value: string;
      readonly min?: number;
      readonly max?: number;
      /** awsQuery: `entry` unless flattened, and the names of an entry's key and value. */
      readonly entry?: string;
      readonly keyName?: string;
      readonly valueName?: string;
    }
  | {
      readonly t: 'structure';
      readonly members: Readonly<Record<string, MemberRef>>;
      readonly required?: readonly string[];
      readonly payload?: string;
    };

export interface OperationModel {
  readonly input?: string;
  readonly output?: string;
  /** REST protocols: method, URI template (`/2015-03-31/functions/{FunctionName}`), success status. */
  readonly http?: { readonly method: string; readonly uri: string; readonly status: number };
  /** The operation's modelled errors (shape names, keys of ServiceModel.errors). */
  readonly errors: readonly string[];
}

export interface ErrorModel {
  /** The code the protocol writes (`__type`, `<Code>`, `x-amzn-ErrorType`). */
  readonly code: string;
  readonly status: number;
  readonly fault?: 'Receiver';
  /** awsQuery's code where it differs (SQS's legacy `AWS.SimpleQueueService.*` codes). */
  readonly queryCode?: string;
}

export interface ServiceModel {
  readonly service: string;
  readonly signingName: string;
  readonly protocol: Protocol;
  readonly apiVersion: string;
  readonly targetPrefix?: string;
  readonly jsonVersion?: string;
  readonly xmlNamespace?: string;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly errors: Readonly<Record<string, ErrorModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
  /** A JSON service that answers awsQuery too (SQS): the shapes with their query names. */
  readonly queryShapes?: Readonly<Record<string, ShapeModel>>;
  /** The XML protocols (awsQuery, EC2; SQS's query mode): result shapes, `name` the element name. */
  readonly outputShapes?: Readonly<Record<string, ShapeModel>>;
}
