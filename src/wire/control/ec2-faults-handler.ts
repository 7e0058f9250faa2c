import type { FaultRuleInput, FaultService } from '../../core/ec2/faults.js';
import { isServiceError } from '../../core/shared/service-error.js';
import type { ServiceHandler, WireResponse } from '../service-handler.js';
import { Ec2Errors } from '../../core/generated/errors.js';

/**
 * The control API for EC2 fault rules, mounted by the server at `/_amiwatch/ec2/faults`:
 *   GET    /_amiwatch/ec2/faults        → 200 {"rules":[…]}
 *   POST   /_amiwatch/ec2/faults        → 201 the rule; body {"operation","namePattern","tagKey",
 *                                          "tagValue","errorMessage","errorCode","delayMs"}
 *   DELETE /_amiwatch/ec2/faults/<id>   → 204, or 404 when there is no such rule
 *   DELETE /_amiwatch/ec2/faults        → 200 {"deleted":n}
 * Errors are JSON `{"error":{"code","message"}}` with status 400/404/405.
 */
export const faultsPath = '/_amiwatch/ec2/faults';

export function createEc2FaultsHandler(faults: FaultService): ServiceHandler {
  return async (request) => {
    const path = request.url.split('?')[0]!.replace(/\/+$/, '');
    if (path !== faultsPath && !path.startsWith(`${faultsPath}/`)) return error(404, 'NotFound', `No such path: ${path}`);
    const id = path.length > faultsPath.length ? decodeURIComponent(path.slice(faultsPath.length + 1)) : undefined;
    try {
      switch (`${request.method.toUpperCase()} ${id === undefined ? 'collection' : 'item'}`) {
        case 'GET collection':
          return json(200, { rules: await faults.list() });
        case 'POST collection':
          return json(201, await faults.add(parseBody(request.body)));
        case 'DELETE collection':
          return json(200, { deleted: await faults.clear() });
        case 'GET item': {
          const rule = (await faults.list()).find((r) => r.id === id);
          return rule ? json(200, rule) : error(404, 'NotFound', `No fault rule ${id}`);
        }
        case 'DELETE item':
          return (await faults.remove(id!)) ? { status: 204, headers: {}, body: '' } : error(404, 'NotFound', `No fault rule ${id}`);
        default:
          return error(405, 'MethodNotAllowed', `${request.method} is not allowed on ${path}`);
      }
    } catch (e) {
      if (isServiceError(e)) return error(400, e.code, e.message);
      throw e;
    }
  };
}

function parseBody(body: Buffer): FaultRuleInput {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw Ec2Errors.ValidationError('The body must be a JSON object');
  }
  return value as FaultRuleInput;
}

const json = (status: number, value: unknown): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

const error = (status: number, code: string, message: string): WireResponse => json(status, { error: { code, message } });
