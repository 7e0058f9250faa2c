import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseAuthorization } from '../../src/wire/sigv4/authorization.js';
import type { FuzzRequest } from './mutations.js';

/** The error shapes AWS's protocols answer with, and amiwatch's control API. */
export type Shape = 'json' | 'rest-json' | 'query' | 'ec2' | 'control' | 'console' | 'any';

/**
 * The web console's files (GET `/`, `/index.html`, `/assets/…` with no signature, target or
 * Action): pages for a browser, not an AWS API, so any answer under 500 is right.
 */
function isConsole(r: FuzzRequest): boolean {
  if ((r.method !== 'GET' && r.method !== 'HEAD') || r.headers.authorization || r.headers['x-amz-target']) return false;
  const [path = '/', query = ''] = r.path.split('?', 2);
  return (
    !new URLSearchParams(query).has('Action') &&
    (path === '/' || path === '/index.html' || path.startsWith('/assets/') || path === '/favicon.svg')
  );
}

const targetServices: Readonly<Record<string, string>> = { AWSEvents: 'events', AmazonSQS: 'sqs' };
const byService: Readonly<Record<string, Shape>> = { events: 'json', sns: 'query', ec2: 'ec2', lambda: 'rest-json' };

/**
 * The shape a request's errors must have, routed as the server routes it: the control API by
 * path; else X-Amz-Target's service, else the credential scope's (header or presigned query);
 * SQS answers in the protocol it was asked in. Unroutable requests may get any AWS shape.
 */
export function expectedShape(r: FuzzRequest): Shape {
  if (r.path.startsWith('/_amiwatch/')) return 'control';
  if (isConsole(r)) return 'console';
  const target = r.headers['x-amz-target'];
  const prefix = target?.slice(0, target.lastIndexOf('.'));
  // A header that is not well-formed SigV4 names no service (whatever it seems to say).
  const scope =
    r.headers.authorization !== undefined
      ? parseAuthorization(r.headers.authorization)?.service
      : /X-Amz-Credential=[^&]*%2F([a-z0-9-]+)%2Faws4_request/i.exec(r.path)?.[1];
  const service = (prefix && targetServices[prefix]) || scope;
  if (service === 'sqs') return target ? 'json' : 'query';
  return (service && byService[service]) || 'any';
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
const text = (v: unknown): boolean => typeof v === 'string' && v.length > 0;

function jsonOf(body: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(body) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function xmlOf(body: string): Record<string, any> | null {
  return XMLValidator.validate(body) === true ? (parser.parse(body) as Record<string, any>) : null;
}

const checks: Readonly<Record<Exclude<Shape, 'any' | 'console'>, (body: string, headers: Record<string, string>) => boolean>> = {
  json: (body) => {
    const j = jsonOf(body);
    return !!j && text(j.__type) && text(j.message);
  },
  'rest-json': (body, headers) => {
    const j = jsonOf(body);
    return !!j && text(headers['x-amzn-errortype']) && (text(j.Message) || text(j.message));
  },
  query: (body) => {
    const e = xmlOf(body)?.ErrorResponse;
    return !!e && text(e.Error?.Type) && text(e.Error?.Code) && text(e.Error?.Message) && text(e.RequestId);
  },
  ec2: (body) => {
    const r = xmlOf(body)?.Response;
    return !!r && text(r.Errors?.Error?.Code) && text(r.Errors?.Error?.Message) && text(r.RequestID);
  },
  // amiwatch's own API: JSON `{"error": "…"}` or `{"error": {"code", "message"}}`; SNS's public pages answer people, in HTML.
  control: (body, headers) => {
    const j = jsonOf(body);
    const e = j?.error as { message?: unknown } | string | undefined;
    return (
      (!!j && (text(e) || text((e as { message?: unknown } | undefined)?.message) || text(j.message))) ||
      (headers['content-type'] ?? '').startsWith('text/html')
    );
  },
};

/** Why an error response is not shaped as `shape` requires, or null when it is. */
export function shapeProblem(shape: Shape, status: number, headers: Record<string, string>, body: string): string | null {
  if (status < 400 || shape === 'console') return null;
  if (shape === 'any') {
    return (['json', 'rest-json', 'query', 'ec2'] as const).some((s) => checks[s](body, headers)) ? null : 'no AWS error shape';
  }
  return checks[shape](body, headers) ? null : `not a ${shape} error`;
}
