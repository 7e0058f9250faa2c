import type { RequestContext } from '../../core/shared/request-context.js';
import { isServiceError, ServiceError } from '../../core/shared/service-error.js';
import { unavailable } from '../../core/shared/unavailable.js';
import type { SqsService } from '../../core/sqs/sqs-service.js';
import { formParams } from '../query/query-params.js';
import { queryError, queryResponse } from '../query/query-xml.js';
import { checkShape } from '../json11/shapes.js';
import { jsonDepthWithin, MAX_JSON_DEPTH } from '../json-depth.js';
import type { ServiceHandler, WireRequest, WireResponse } from '../service-handler.js';
import { queryCode } from './sqs-errors.js';
import { sqsQueryInputs } from './sqs-query-input.js';
import { emptyResults, sqsQueryOutputs } from './sqs-query-output.js';
import { sqsShapes } from './sqs-shapes.js';

export const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
export const SQS_QUERY_VERSION = '2012-11-05';
const JSON_TYPE = 'application/x-amz-json-1.0';

type Call = (s: SqsService, input: never, ctx: RequestContext) => Promise<object | void>;

const operations: Readonly<Record<string, Call>> = {
  CreateQueue: (s, i, c) => s.createQueue(i, c),
  GetQueueUrl: (s, i, c) => s.getQueueUrl(i, c),
  ListQueues: (s, i, c) => s.listQueues(i, c),
  DeleteQueue: (s, i, c) => s.deleteQueue(i, c),
  PurgeQueue: (s, i, c) => s.purgeQueue(i, c),
  GetQueueAttributes: (s, i, c) => s.getQueueAttributes(i, c),
  SetQueueAttributes: (s, i, c) => s.setQueueAttributes(i, c),
  TagQueue: (s, i, c) => s.tagQueue(i, c),
  UntagQueue: (s, i, c) => s.untagQueue(i, c),
  ListQueueTags: (s, i, c) => s.listQueueTags(i, c),
  ListDeadLetterSourceQueues: (s, i, c) => s.listDeadLetterSourceQueues(i, c),
  StartMessageMoveTask: (s, i, c) => s.moveTasks.start(i, c),
  ListMessageMoveTasks: (s, i, c) => s.moveTasks.list(i, c),
  CancelMessageMoveTask: (s, i, c) => s.moveTasks.cancel(i, c),
  SendMessage: (s, i, c) => s.messages.sendMessage(i, c),
  SendMessageBatch: (s, i, c) => s.messages.sendMessageBatch(i, c),
  ReceiveMessage: (s, i, c) => s.messages.receiveMessage(i, c),
  DeleteMessage: (s, i, c) => s.messages.deleteMessage(i, c),
  DeleteMessageBatch: (s, i, c) => s.messages.deleteMessageBatch(i, c),
  ChangeMessageVisibility: (s, i, c) => s.messages.changeMessageVisibility(i, c),
  ChangeMessageVisibilityBatch: (s, i, c) => s.messages.changeMessageVisibilityBatch(i, c),
};

/** The operations served (the cross-account test matrix is generated from this list). */
export const supportedSqsOperations = (): string[] => Object.keys(operations);

/**
 * SQS on both protocols its clients use: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Op>`, what
 * `@aws-sdk/client-sqs` 3.1169 sends) and awsQuery (`Action=<Op>&Version=2012-11-05`, what
 * CLI v2.9 and older SDKs send). The same service answers both.
 */
export function createSqsHandler(service: SqsService, onInternalError: (err: unknown) => void): ServiceHandler {
  return async (request) => {
    const target = request.headers['x-amz-target'];
    return target ? json(service, request, target, onInternalError) : query(service, request, onInternalError);
  };
}

async function json(service: SqsService, request: WireRequest, target: string, onInternalError: (err: unknown) => void): Promise<WireResponse> {
  const ctx = request.context;
  try {
    const name = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
    const call = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!call) throw new ServiceError('UnsupportedOperation', `Operation ${target} is not supported.`);
    let input: unknown;
    const text = request.body.toString('utf8');
    if (!jsonDepthWithin(text)) throw new ServiceError('SerializationException', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
    try {
      input = request.body.length === 0 ? {} : JSON.parse(text);
    } catch {
      throw new ServiceError('SerializationException', 'Malformed JSON in the request body.');
    }
    // Every SQS input is a structure: `null`, a list or a string is refused here, not deep in a service.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
    checkMemberTypes(name, input);
    const out = await call(service, input as never, ctx);
    return { status: 200, headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': ctx.requestId }, body: JSON.stringify(out ?? {}) };
  } catch (err) {
    return sqsJsonError(ctx, toServiceError(err, onInternalError));
  }
}

export function sqsJsonError(ctx: RequestContext, e: ServiceError): WireResponse {
  return {
    status: e.status,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': ctx.requestId, 'x-amzn-query-error': `${queryCode(e)};${e.fault}` },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${e.code}`, message: e.message }),
  };
}

export const sqsQueryError = (ctx: RequestContext, e: ServiceError): WireResponse => queryError(SQS_NAMESPACE, ctx.requestId, e, queryCode(e));

async function query(service: SqsService, request: WireRequest, onInternalError: (err: unknown) => void): Promise<WireResponse> {
  const ctx = request.context;
  try {
    const params = formParams(request.url, request.body);
    const action = params.get('Action') ?? '';
    const call = Object.hasOwn(operations, action) ? operations[action] : undefined;
    const decode = sqsQueryInputs[action];
    if (!call || !decode) throw new ServiceError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
    // A request to a queue URL path may leave QueueUrl out: the path names the queue.
    const input = decode(params);
    if (!('QueueUrl' in input) && /^\/\d{12}\/[^/?]+/.test(request.url)) input.QueueUrl = request.url.split('?')[0];
    const out = ((await call(service, input as never, ctx)) ?? {}) as Record<string, unknown>;
    const shape = sqsQueryOutputs[action];
    return queryResponse(SQS_NAMESPACE, action, ctx.requestId, emptyResults.has(action) ? null : shape ? shape(out) : out);
  } catch (err) {
    return sqsQueryError(ctx, toServiceError(err, onInternalError));
  }
}

/**
 * A member of the wrong JSON type (`"QueueUrl": true`, `"Entries": {}`) is the caller's
 * InvalidParameterValue, as SQS answers a value it cannot use, before any service code sees it
 * (a service would otherwise fail on it with a TypeError, a 500).
 */
function checkMemberTypes(operation: string, input: object): void {
  const shape = sqsShapes[operation];
  if (!shape) return;
  try {
    checkShape(shape, input);
  } catch (err) {
    if (isServiceError(err) && err.code === 'SerializationException') throw new ServiceError('InvalidParameterValue', err.message);
    throw err;
  }
}

function toServiceError(err: unknown, onInternalError: (err: unknown) => void): ServiceError {
  if (isServiceError(err)) return err;
  const busy = unavailable(err);
  if (busy) return busy;
  onInternalError(err);
  return new ServiceError('InternalError', 'We encountered an internal error. Please try again.', 500);
}
