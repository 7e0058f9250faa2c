import { MAX_ZIP_BYTES } from '../../core/lambda/code-package.js';
import type { Invocations } from '../../core/lambda/invocations.js';
import type { LambdaFunctions } from '../../core/lambda/lambda-service.js';
import type { EventInvokeConfigs } from '../../core/lambda/event-invoke-config.js';
import type { FunctionConcurrency } from '../../core/lambda/function-concurrency.js';
import type { FunctionVersions } from '../../core/lambda/versions.js';
import type { FunctionAliases } from '../../core/lambda/aliases.js';
import type { EventSourceMappings } from '../../core/lambda/event-source-mappings.js';
import { dispatch, type DispatchOptions } from '../dispatch.js';
import { lambdaModel, type LambdaOperations } from '../generated/lambda.js';
import { restJsonError, restJsonProtocol } from '../protocols/rest-json.js';
import type { ServiceHandler } from '../service-handler.js';
import { CommonErrors, LambdaErrors } from '../../core/generated/errors.js';

/**
 * The largest body a Lambda request may carry: CreateFunction with a 50 MB zip (Lambda quotas:
 * "50 MB (zipped, when uploading through the Lambda API or SDKs)") is its base64 in JSON, plus
 * room for the other members. Invoke's 6 MB payload fits. Each operation then checks its own
 * limit in Lambda's words (RequestTooLargeException, RequestEntityTooLargeException).
 */
export const LAMBDA_BODY_LIMIT = Math.ceil(MAX_ZIP_BYTES / 3) * 4 + 1024 * 1024;

/** Lambda's operations (REST-JSON, API version 2015-03-31) bound to the domain. */
export interface LambdaDeps {
  readonly functions: LambdaFunctions;
  readonly invocations: Invocations;
  readonly eventInvokeConfigs: EventInvokeConfigs;
  readonly concurrency: FunctionConcurrency;
  readonly versions: FunctionVersions;
  readonly aliases: FunctionAliases;
  readonly mappings: EventSourceMappings;
}

export function lambdaOperations(deps: LambdaDeps): LambdaOperations {
  const { functions, invocations, eventInvokeConfigs: eic, concurrency, versions, aliases, mappings } = deps;
  return {
    CreateFunction: (ctx, input) =>
      functions.createFunction(ctx, {
        ...input,
        ...(input.Code && { Code: { ...input.Code, ZipFile: blob(input.Code.ZipFile, 'Code.ZipFile') } }),
      }),
    ListFunctions: (ctx, input) => functions.listFunctions(ctx, input),
    GetFunction: (ctx, input) => functions.getFunction(ctx, input),
    // Lambda answers 204 (the model's DeleteFunctionResponse binds StatusCode to the status).
    DeleteFunction: async (ctx, input) => (await functions.deleteFunction(ctx, input), { StatusCode: 204 }),
    GetFunctionConfiguration: (ctx, input) => functions.getFunctionConfiguration(ctx, input),
    UpdateFunctionConfiguration: (ctx, input) => functions.updateFunctionConfiguration(ctx, input),
    UpdateFunctionCode: (ctx, input) => functions.updateFunctionCode(ctx, { ...input, ZipFile: blob(input.ZipFile, 'ZipFile') }),
    Invoke: async (ctx, input) => {
      const out = await invocations.invoke(ctx, {
        functionName: input.FunctionName!,
        ...(input.Qualifier !== undefined && { qualifier: input.Qualifier }),
        ...(input.InvocationType !== undefined && { invocationType: input.InvocationType }),
        ...(input.LogType !== undefined && { logType: input.LogType }),
        ...(input.ClientContext !== undefined && { clientContext: input.ClientContext }),
        payload: Buffer.from(input.Payload ?? new Uint8Array()),
      });
      return {
        StatusCode: out.status,
        Payload: Buffer.from(out.payload ?? ''),
        ...(out.functionError && { FunctionError: out.functionError }),
        ...(out.logResult !== undefined && { LogResult: out.logResult }),
        ...(out.executedVersion && { ExecutedVersion: out.executedVersion }),
      };
    },
    GetPolicy: (ctx, input) => functions.getPolicy(ctx, input),
    AddPermission: (ctx, input) => functions.addPermission(ctx, input),
    RemovePermission: (ctx, input) => functions.removePermission(ctx, input),
    PutFunctionEventInvokeConfig: (ctx, input) => eic.putFunctionEventInvokeConfig(ctx, input),
    GetFunctionEventInvokeConfig: (ctx, input) => eic.getFunctionEventInvokeConfig(ctx, input),
    UpdateFunctionEventInvokeConfig: (ctx, input) => eic.updateFunctionEventInvokeConfig(ctx, input),
    DeleteFunctionEventInvokeConfig: (ctx, input) => eic.deleteFunctionEventInvokeConfig(ctx, input),
    ListFunctionEventInvokeConfigs: (ctx, input) => eic.listFunctionEventInvokeConfigs(ctx, input),
    PutFunctionConcurrency: (ctx, input) => concurrency.putFunctionConcurrency(ctx, input),
    GetFunctionConcurrency: (ctx, input) => concurrency.getFunctionConcurrency(ctx, input),
    DeleteFunctionConcurrency: (ctx, input) => concurrency.deleteFunctionConcurrency(ctx, input),
    PublishVersion: (ctx, input) => versions.publishVersion(ctx, input),
    ListVersionsByFunction: (ctx, input) => versions.listVersionsByFunction(ctx, input),
    CreateAlias: (ctx, input) => aliases.createAlias(ctx, input),
    GetAlias: (ctx, input) => aliases.getAlias(ctx, input),
    UpdateAlias: (ctx, input) => aliases.updateAlias(ctx, input),
    DeleteAlias: async (ctx, input) => (await aliases.deleteAlias(ctx, input), {}),
    ListAliases: (ctx, input) => aliases.listAliases(ctx, input),
    CreateEventSourceMapping: (ctx, input) => mappings.createEventSourceMapping(ctx, input),
    GetEventSourceMapping: (ctx, input) => mappings.getEventSourceMapping(ctx, input),
    UpdateEventSourceMapping: (ctx, input) => mappings.updateEventSourceMapping(ctx, input),
    DeleteEventSourceMapping: (ctx, input) => mappings.deleteEventSourceMapping(ctx, input),
    ListEventSourceMappings: (ctx, input) => mappings.listEventSourceMappings(ctx, input),
  };
}

/** A base64 blob member (ZipFile) as bytes; the JSON body carries it as a string. */
function blob(value: unknown, member: string): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value)) {
    throw LambdaErrors.InvalidParameterValueException(`${member} must be base64-encoded bytes.`);
  }
  return Buffer.from(value, 'base64');
}

const protocol = restJsonProtocol(lambdaModel, {
  unknownOperation: (req) =>
    CommonErrors.UnknownOperationException(`amiwatch's Lambda API has no operation at ${req.method} ${req.url.split('?')[0]}.`, 404),
  internalError: () => LambdaErrors.ServiceException('An internal error occurred.'),
});

export const createLambdaHandler = (deps: LambdaDeps, onInternalError?: DispatchOptions['onInternalError']): ServiceHandler =>
  dispatch(protocol, lambdaOperations(deps), { ...(onInternalError && { onInternalError }) });

export { restJsonError as lambdaError };
