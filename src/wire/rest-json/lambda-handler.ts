import type {
  AddPermissionRequest,
  CreateFunctionRequest,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import { MAX_ZIP_BYTES } from '../../core/lambda/code-package.js';
import type { Invocations } from '../../core/lambda/invocations.js';
import type { LambdaFunctions } from '../../core/lambda/lambda-service.js';
import type { RequestContext } from '../../core/shared/request-context.js';
import { ServiceError } from '../../core/shared/service-error.js';
import { unavailable } from '../../core/shared/unavailable.js';
import type { ServiceHandler, WireRequest, WireResponse } from '../service-handler.js';
import { lambdaShapes } from './lambda-shapes.js';
import { blob, restJsonError, restJsonResponse, typedJsonBody } from './rest-json-protocol.js';

/**
 * The largest body a Lambda request may carry: CreateFunction with a 50 MB zip (Lambda quotas:
 * "50 MB (zipped, when uploading through the Lambda API or SDKs)") is its base64 in JSON, plus
 * room for the other members. Invoke's 6 MB payload fits. Each operation then checks its own
 * limit in Lambda's words (RequestTooLargeException, RequestEntityTooLargeException).
 */
export const LAMBDA_BODY_LIMIT = Math.ceil(MAX_ZIP_BYTES / 3) * 4 + 1024 * 1024;

type Route = (req: WireRequest, name: string, query: URLSearchParams, rest: string | undefined) => Promise<WireResponse>;

/**
 * Lambda's REST-JSON API (version 2015-03-31) for the operations amiwatch serves:
 *   POST   /2015-03-31/functions                         CreateFunction (201)
 *   GET    /2015-03-31/functions/                        ListFunctions
 *   GET    /2015-03-31/functions/NAME                    GetFunction
 *   DELETE /2015-03-31/functions/NAME                    DeleteFunction (204)
 *   GET|PUT /2015-03-31/functions/NAME/configuration     Get/UpdateFunctionConfiguration
 *   PUT    /2015-03-31/functions/NAME/code               UpdateFunctionCode
 *   POST   /2015-03-31/functions/NAME/invocations        Invoke
 *   GET|POST /2015-03-31/functions/NAME/policy           GetPolicy / AddPermission (201)
 *   DELETE /2015-03-31/functions/NAME/policy/SID         RemovePermission (204)
 * NAME is URL-encoded and may be a name, partial ARN or ARN.
 */
export function createLambdaHandler(deps: { functions: LambdaFunctions; invocations: Invocations }, onInternalError: (err: unknown) => void = () => {}): ServiceHandler {
  const { functions, invocations } = deps;
  const ok = (ctx: RequestContext, status: number, body?: unknown) => restJsonResponse(ctx, status, body);
  const routes: Record<keyof typeof FUNCTION_ROUTES, Route> = {
    'GET ': async (r, name, q) => ok(r.context, 200, await functions.get(r.context, name, q.get('Qualifier') ?? undefined)),
    'DELETE ': async (r, name, q) => (await functions.delete(r.context, name, q.get('Qualifier') ?? undefined), ok(r.context, 204)),
    'GET configuration': async (r, name, q) => ok(r.context, 200, await functions.configuration(r.context, name, q.get('Qualifier') ?? undefined)),
    'PUT configuration': async (r, name) => ok(r.context, 200, await functions.updateConfiguration(r.context, name, typedJsonBody<UpdateFunctionConfigurationRequest>(r.body, lambdaShapes.UpdateFunctionConfiguration))),
    'PUT code': async (r, name) => {
      const input = typedJsonBody<UpdateFunctionCodeRequest & { ZipFile?: unknown }>(r.body, lambdaShapes.UpdateFunctionCode);
      return ok(r.context, 200, await functions.updateCode(r.context, name, { ...input, ZipFile: blob(input.ZipFile, 'ZipFile') }));
    },
    'POST invocations': async (r, name, q) => {
      const h = r.headers;
      const out = await invocations.invoke(r.context, {
        functionName: name,
        ...(q.get('Qualifier') !== null && { qualifier: q.get('Qualifier')! }),
        ...(h['x-amz-invocation-type'] !== undefined && { invocationType: h['x-amz-invocation-type'] }),
        ...(h['x-amz-log-type'] !== undefined && { logType: h['x-amz-log-type'] }),
        ...(h['x-amz-client-context'] !== undefined && { clientContext: h['x-amz-client-context'] }),
        payload: r.body,
      });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': r.context.requestId };
      if (out.functionError) headers['x-amz-function-error'] = out.functionError;
      if (out.logResult !== undefined) headers['x-amz-log-result'] = out.logResult;
      if (out.executedVersion) headers['x-amz-executed-version'] = out.executedVersion;
      return { status: out.status, headers, body: out.payload ?? '' };
    },
    'GET policy': async (r, name, q) => ok(r.context, 200, await functions.getPolicy(r.context, name, q.get('Qualifier') ?? undefined)),
    'POST policy': async (r, name, q) => {
      const input = typedJsonBody<AddPermissionRequest>(r.body, lambdaShapes.AddPermission);
      const qualifier = q.get('Qualifier') ?? undefined;
      return ok(r.context, 201, await functions.addPermission(r.context, name, { ...input, ...(qualifier !== undefined && { Qualifier: qualifier }) }));
    },
    'DELETE policy': async (r, name, q, sid) => {
      if (!sid) throw unknownOperation(r);
      await functions.removePermission(r.context, name, sid, q.get('Qualifier') ?? undefined, q.get('RevisionId') ?? undefined);
      return ok(r.context, 204);
    },
  };

  return async (req) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      const segments = url.pathname.split('/').filter((s) => s !== '');
      if (segments[0] !== '2015-03-31' || segments[1] !== 'functions') throw unknownOperation(req);
      if (segments.length === 2) {
        if (req.method === 'POST') {
          const input = typedJsonBody<CreateFunctionRequest & { Code?: { ZipFile?: unknown } }>(req.body, lambdaShapes.CreateFunction);
          const code = input.Code ? { ...input.Code, ZipFile: blob(input.Code.ZipFile, 'Code.ZipFile') } : undefined;
          return ok(req.context, 201, await functions.create(req.context, { ...input, ...(code && { Code: code }) }));
        }
        if (req.method === 'GET') {
          const max = url.searchParams.get('MaxItems');
          return ok(req.context, 200, await functions.list(req.context, url.searchParams.get('Marker') ?? undefined, max === null ? undefined : Number(max)));
        }
        throw unknownOperation(req);
      }
      const name = decodeSegment(segments[2]!);
      const key = `${req.method} ${segments[3] ?? ''}`;
      const route = Object.hasOwn(routes, key) ? routes[key as keyof typeof FUNCTION_ROUTES] : undefined;
      if (!route || segments.length > (segments[3] === 'policy' ? 5 : 4)) throw unknownOperation(req);
      return await route(req, name, url.searchParams, segments[4] === undefined ? undefined : decodeSegment(segments[4]));
    } catch (err) {
      if (err instanceof ServiceError) return restJsonError(req.context, err);
      const busy = unavailable(err);
      if (busy) return restJsonError(req.context, busy);
      onInternalError(err);
      return restJsonError(req.context, new ServiceError('ServiceException', 'An internal error occurred.', 500));
    }
  };
}

/**
 * A path segment, %-decoded. A malformed escape (`%zz`, a cut-off `%E0%A4%A`) is kept as sent: no
 * function name or statement id can hold a `%`, so the operation refuses it in its own words
 * (ValidationException for the name) instead of decodeURIComponent's URIError becoming a 500.
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Each `METHOD subresource` route under /functions/NAME and the operation it is. */
const FUNCTION_ROUTES = {
  'GET ': 'GetFunction',
  'DELETE ': 'DeleteFunction',
  'GET configuration': 'GetFunctionConfiguration',
  'PUT configuration': 'UpdateFunctionConfiguration',
  'PUT code': 'UpdateFunctionCode',
  'POST invocations': 'Invoke',
  'GET policy': 'GetPolicy',
  'POST policy': 'AddPermission',
  'DELETE policy': 'RemovePermission',
} as const;

/** The operations served (the cross-account test matrix is generated from this list). */
export const supportedLambdaOperations = (): string[] => ['CreateFunction', 'ListFunctions', ...Object.values(FUNCTION_ROUTES)];

const unknownOperation = (req: WireRequest) =>
  new ServiceError('UnknownOperationException', `amiwatch's Lambda API has no operation at ${req.method} ${req.url.split('?')[0]}.`, 404);
