import { isServiceError, type ServiceError } from '../../core/shared/service-error.js';
import type { SqsService } from '../../core/sqs/sqs-service.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { sqsModel, type SqsOperations } from '../generated/sqs.js';
import { jsonProtocol } from '../protocols/json.js';
import { queryProtocol } from '../protocols/query.js';
import type { ServiceHandler } from '../service-handler.js';
import { CommonErrors, SqsErrors } from '../../core/generated/errors.js';

export const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';
export const SQS_QUERY_VERSION = sqsModel.apiVersion;

/** SQS's operations bound to the domain. */
export function sqsOperations(s: SqsService): SqsOperations {
  const { messages, moveTasks } = s;
  return {
    CreateQueue: (ctx, input) => s.createQueue(ctx, input),
    GetQueueUrl: (ctx, input) => s.getQueueUrl(ctx, input),
    ListQueues: (ctx, input) => s.listQueues(ctx, input),
    DeleteQueue: (ctx, input) => s.deleteQueue(ctx, input),
    PurgeQueue: (ctx, input) => s.purgeQueue(ctx, input),
    GetQueueAttributes: (ctx, input) => s.getQueueAttributes(ctx, input),
    SetQueueAttributes: (ctx, input) => s.setQueueAttributes(ctx, input),
    TagQueue: (ctx, input) => s.tagQueue(ctx, input),
    UntagQueue: (ctx, input) => s.untagQueue(ctx, input),
    ListQueueTags: (ctx, input) => s.listQueueTags(ctx, input),
    ListDeadLetterSourceQueues: (ctx, input) => s.listDeadLetterSourceQueues(ctx, input),
    StartMessageMoveTask: (ctx, input) => moveTasks.startMessageMoveTask(ctx, input),
    ListMessageMoveTasks: (ctx, input) => moveTasks.listMessageMoveTasks(ctx, input),
    CancelMessageMoveTask: (ctx, input) => moveTasks.cancelMessageMoveTask(ctx, input),
    SendMessage: (ctx, input) => messages.sendMessage(ctx, input),
    SendMessageBatch: (ctx, input) => messages.sendMessageBatch(ctx, input),
    ReceiveMessage: (ctx, input) => messages.receiveMessage(ctx, input),
    DeleteMessage: (ctx, input) => messages.deleteMessage(ctx, input),
    DeleteMessageBatch: (ctx, input) => messages.deleteMessageBatch(ctx, input),
    ChangeMessageVisibility: (ctx, input) => messages.changeMessageVisibility(ctx, input),
    ChangeMessageVisibilityBatch: (ctx, input) => messages.changeMessageVisibilityBatch(ctx, input),
    AddPermission: (ctx, input) => s.permissions.addPermission(ctx, input),
    RemovePermission: (ctx, input) => s.permissions.removePermission(ctx, input),
  };
}

/**
 * SQS's legacy awsQuery code for an error (the model's @awsQueryError, models/sqs-query.json):
 * what awsQuery clients read, and JSON responses carry in `x-amzn-query-error`.
 */
export const sqsQueryCode = (err: ServiceError): string =>
  (Object.hasOwn(sqsModel.errors, err.code) ? sqsModel.errors[err.code]!.queryCode : undefined) ?? AUTH_QUERY_CODES[err.code] ?? err.code;

/** Authentication failures (not in SQS's model): the awsQuery codes of the JSON shapes (docs/sigv4.md). */
const AUTH_QUERY_CODES: Readonly<Record<string, string>> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
};

/** The message move task operations check their members' types themselves, in AWS's words. */
const selfChecked = new Set(['StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask']);
const internalError = () => CommonErrors.InternalError('We encountered an internal error. Please try again.');

/** AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Op>`), what `@aws-sdk/client-sqs` 3.1169 sends. */
export const sqsJsonProtocol = jsonProtocol(sqsModel, {
  check: (operation) => (selfChecked.has(operation) ? 'none' : 'types'),
  unknownOperation: (target) => SqsErrors.UnsupportedOperation(`Operation ${target} is not supported.`),
  malformed: () => CommonErrors.SerializationException('Malformed JSON in the request body.'),
  // Every SQS input is a structure: `null`, a list or a string is refused here, not deep in a service.
  notAnObject: () => CommonErrors.SerializationException('The request body must be a JSON object.'),
  // A member of the wrong JSON type (`"QueueUrl": true`) is a value SQS cannot use.
  typeError: (err) => (isServiceError(err) ? SqsErrors.InvalidParameterValue(err.message) : err),
  errorType: (err) => `com.amazonaws.sqs#${err.code}`,
  errorHeaders: (err) => ({ 'x-amzn-query-error': `${sqsQueryCode(err)};${err.fault}` }),
  internalError,
});

/** awsQuery (`Action=<Op>&Version=2012-11-05`), what CLI v2.9 and older SDKs send. */
export const sqsQueryProtocol = queryProtocol(sqsModel, {
  namespace: SQS_NAMESPACE,
  decoding: {
    invalidValue: (raw, key) =>
      SqsErrors.InvalidParameterValue(`Value ${raw} for parameter ${key} is invalid. Reason: must be an integer.`),
    tooMany: (key, count, max) =>
      SqsErrors.InvalidParameterValue(`Value for parameter ${key} is invalid. Reason: ${count} entries, at most ${max} allowed.`),
  },
  invalidAction: (action) => CommonErrors.InvalidAction(`The action ${action} is not valid for this endpoint.`),
  // A required member left out, in SQS's words; values are the services' to check, with SQS's
  // own codes (InvalidAttributeName, InvalidParameterValue), as over JSON.
  check: { missing: (key) => SqsErrors.MissingParameter(`The request must contain the parameter ${key}.`) },
  // A request to a queue URL path may leave QueueUrl out: the path names the queue.
  fromRequest: (_operation, input, request) => {
    if (!('QueueUrl' in input) && /^\/\d{12}\/[^/?]+/.test(request.url)) input.QueueUrl = request.url.split('?')[0];
  },
  queryCode: sqsQueryCode,
  internalError,
});

/** SQS on both protocols its clients use; the same operations answer both. */
export function createSqsHandler(sqs: SqsService, onInternalError: DispatchOptions['onInternalError']): ServiceHandler {
  const operations = sqsOperations(sqs);
  const options = { ...(onInternalError && { onInternalError }) };
  const json = dispatch(sqsJsonProtocol, operations, options);
  const query = dispatch(sqsQueryProtocol, operations, options);
  return (request) => (request.headers['x-amz-target'] ? json(request) : query(request));
}

export const sqsJsonError = sqsJsonProtocol.error;
export const sqsQueryError = sqsQueryProtocol.error;
