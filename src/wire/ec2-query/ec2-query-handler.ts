import type { Ec2Service } from '../../core/ec2/ec2-service.js';
import type { RequestContext } from '../../core/shared/request-context.js';
import { isServiceError, ServiceError } from '../../core/shared/service-error.js';
import { unavailable } from '../../core/shared/unavailable.js';
import type { ServiceHandler, WireRequest, WireResponse } from '../service-handler.js';
import { decode, parseForm } from './form-params.js';
import { inputSpecs } from './input-specs.js';
import { commonRenames, errorXml, responseXml, type Renames } from './xml.js';

type Call = (service: Ec2Service, input: never, ctx: RequestContext) => Promise<object | void>;

/** Operation → service call. Calls returning nothing answer `<return>true</return>`, as EC2 does. */
const operations: Record<string, Call> = {
  CreateImage: (s, i, c) => s.createImage(i, c),
  CopyImage: (s, i, c) => s.copyImage(i, c),
  RegisterImage: (s, i, c) => s.registerImage(i, c),
  CreateRestoreImageTask: (s, i, c) => s.createRestoreImageTask(i, c),
  CreateStoreImageTask: (s, i, c) => s.createStoreImageTask(i, c),
  DescribeStoreImageTasks: (s, i, c) => s.describeStoreImageTasks(i, c),
  DeregisterImage: (s, i, c) => s.deregisterImage(i, c),
  EnableImage: (s, i, c) => s.enableImage(i, c),
  DisableImage: (s, i, c) => s.disableImage(i, c),
  DescribeImages: (s, i, c) => s.describeImages(i, c),
  DescribeImageAttribute: (s, i, c) => s.describeImageAttribute(i, c),
  ModifyImageAttribute: (s, i, c) => s.modifyImageAttribute(i, c),
  CreateTags: (s, i, c) => s.createTags(i, c),
  DeleteTags: (s, i, c) => s.deleteTags(i, c),
  DescribeTags: (s, i, c) => s.describeTags(i, c),
};

/** DescribeImageAttribute writes KernelId/RamdiskId as `kernel`/`ramdisk` (ImageAttribute shape). */
const renamesFor: Readonly<Record<string, Renames>> = {
  DescribeImageAttribute: { ...commonRenames, KernelId: 'kernel', RamdiskId: 'ramdisk' },
};

export const supportedEc2Actions = (): string[] => Object.keys(operations);

/**
 * The `ec2` ServiceHandler: decodes the form body (or the query string of a GET), dispatches on
 * `Action`, and answers XML (`text/xml;charset=UTF-8`) or EC2's error XML with the
 * ServiceError's status.
 */
export function createEc2QueryHandler(service: Ec2Service, options: { onInternalError?: (error: unknown) => void } = {}): ServiceHandler {
  return async (request) => {
    const requestId = request.context.requestId;
    try {
      const params = parseForm(formText(request));
      const action = params.get('Action');
      if (!action) throw new ServiceError('MissingAction', 'The request must contain the parameter Action');
      // Own keys only: `Action=constructor` or `valueOf` must not reach Object.prototype.
      const call = Object.hasOwn(operations, action) ? operations[action] : undefined;
      const spec = Object.hasOwn(inputSpecs, action) ? inputSpecs[action] : undefined;
      if (!call || !spec) throw new ServiceError('InvalidAction', `The action ${action} is not valid for this web service.`);
      const result = await call(service, decode(params, spec) as never, request.context);
      return xmlResponse(200, requestId, responseXml(action, requestId, result ?? { Return: true }, renamesFor[action]));
    } catch (error) {
      const busy = unavailable(error, 'Unavailable');
      if (!isServiceError(error) && !busy) options.onInternalError?.(error);
      const e = isServiceError(error) ? error : busy ?? new ServiceError('InternalError', 'An internal error has occurred', 500);
      return xmlResponse(e.status, requestId, errorXml(e.code, e.message, requestId));
    }
  };
}

function formText(request: WireRequest): string {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const body = request.body.toString('utf8');
  return [query, body].filter((part) => part.length > 0).join('&');
}

/**
 * EC2 also puts the request id in an `x-amzn-requestid` header: the one the SDKs read into
 * `$metadata.requestId` (JavaScript v3) — and the id the AMI's events carry as `RequestId`.
 */
const xmlResponse = (status: number, requestId: string, body: string): WireResponse => ({
  status,
  headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
  body,
});
