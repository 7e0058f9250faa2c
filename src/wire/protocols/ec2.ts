import type { Protocol } from '../dispatch.js';
import { formTree, formText } from '../model/form-tree.js';
import { readQueryInput, type QueryDecoding } from '../model/query-input.js';
import { checkQueryInput, type QueryCheck, type QueryViolation } from '../model/query-check.js';
import type { ServiceModel, ShapeModel } from '../model/service-model.js';
import type { WireResponse } from '../service-handler.js';
import { errorXml, responseXml } from './ec2-xml.js';
import { xmlOutput } from '../model/xml-output.js';
import { CommonErrors, Ec2Errors } from '../../core/generated/errors.js';

/**
 * The EC2 query protocol: form parameters in (the body, or the query string of a GET), lists
 * always flattened and 1-based (`ImageId.1`, `Filter.1.Value.1`), structures dotted; XML out
 * (`text/xml;charset=UTF-8`) with no Result wrapper, or EC2's `<Response><Errors>` with the
 * error's status. Operations returning nothing answer `<return>true</return>`, as EC2 does.
 */

const decoding = (model: ServiceModel): QueryDecoding => ({
  shapes: model.shapes,
  invalidValue: (raw, key) => CommonErrors.InvalidParameterValue(`Value (${raw}) for parameter ${key} is invalid.`),
  tooMany: (key, count, max) =>
    CommonErrors.InvalidParameterValue(`Value for parameter ${key} is invalid: ${count} values given, the maximum is ${max}.`),
});

/**
 * EC2's words for the model's checks (Error codes for the Amazon EC2 API): a missing member is
 * `MissingParameter` "The request must contain the parameter X"; a value outside the model is
 * `InvalidParameterValue` "Value (x) for parameter name is invalid. …", the first one found.
 * Lengths and patterns are left to the operations: EC2 checks a resource id before the other
 * members (the capture CreateImage with InstanceId=i-123 and a one-letter Name answers
 * InvalidInstanceID.Malformed, not the Name's model minimum of 3), in its own words.
 */
const ec2Check: QueryCheck = {
  missing: (key) => Ec2Errors.MissingParameter(`The request must contain the parameter ${key}`),
  invalid: (violations) => {
    const first = violations.find((v) => v.failure.kind !== 'minLength' && v.failure.kind !== 'maxLength' && v.failure.kind !== 'pattern');
    return first && CommonErrors.InvalidParameterValue(ec2InvalidText(first));
  },
};

function ec2InvalidText({ member, value, failure: f, shape }: QueryViolation): string {
  const parameter = member.charAt(0).toLowerCase() + member.slice(1);
  switch (f.kind) {
    case 'enum':
      return `Value (${String(value)}) for parameter ${parameter} is invalid. Valid values: ${f.values.join(', ')}`;
    case 'minValue':
    case 'maxValue':
      // As EC2 words a MaxResults outside its range (src/core/ec2/paging.ts).
      return `Value ( ${String(value)} ) for parameter ${parameter} is invalid. ${rangeText(shape, f.kind, f.bound)}`;
    default:
      return `Value (${String(value)}) for parameter ${parameter} is invalid.`;
  }
}

function rangeText(shape: ShapeModel, kind: 'minValue' | 'maxValue', bound: number): string {
  const { min, max } = shape as { min?: number; max?: number };
  if (min !== undefined && max !== undefined) return `Parameter must be between ${min} and ${max}.`;
  return `Parameter must be ${kind === 'minValue' ? 'at least' : 'at most'} ${bound}.`;
}

export function ec2Protocol(model: ServiceModel): Protocol {
  const d = decoding(model);
  return {
    model,
    operationOf(request) {
      const action = formTree(formText(request.url, request.body)).get('Action');
      return action !== undefined && Object.hasOwn(model.operations, action) ? action : undefined;
    },
    read(request) {
      const form = formTree(formText(request.url, request.body));
      const action = form.get('Action');
      if (!action) throw CommonErrors.MissingAction('The request must contain the parameter Action');
      // Own keys only: `Action=constructor` or `valueOf` must not reach Object.prototype.
      const operation = Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
      if (!operation) throw CommonErrors.InvalidAction(`The action ${action} is not valid for this web service.`);
      const input = readQueryInput(d, operation.input, form.root);
      checkQueryInput(model.shapes, operation.input, input, ec2Check);
      return { operation: action, input };
    },
    write: (ctx, operation, output) => {
      const shape = model.operations[operation]?.output;
      // An operation with nothing to say answers `<return>true</return>`, as EC2 does (CreateTags).
      const content = shape === undefined ? { return: 'true' } : xmlOutput(model.outputShapes ?? {}, shape, output ?? { Return: true });
      return xmlResponse(200, ctx.requestId, responseXml(operation, ctx.requestId, content));
    },
    error: (ctx, err) => xmlResponse(err.status, ctx.requestId, errorXml(err.code, err.message, ctx.requestId)),
    internalError: () => CommonErrors.InternalError('An internal error has occurred'),
    // EC2 spells the retryable 503 `Unavailable` (Error codes for the Amazon EC2 API).
    unavailable: Ec2Errors.Unavailable,
  };
}

/** EC2's input decoding alone (tests that check what a form turns into). */
export function readEc2Input(model: ServiceModel, operation: string, body: string): Record<string, unknown> {
  return readQueryInput(decoding(model), model.operations[operation]?.input, formTree(body).root);
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
