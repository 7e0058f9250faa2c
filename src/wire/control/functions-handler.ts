import type { FunctionLogs } from '../../core/lambda/function-logs.js';
import { policyDocument } from '../../core/lambda/function-policy.js';
import { functionLogGroup, invocationsFromEvents, type LogReader } from '../../core/lambda/log-writer.js';
import type { LambdaFunctions } from '../../core/lambda/lambda-service.js';
import { ServiceError } from '../../core/shared/service-error.js';
import type { ServiceHandler } from '../service-handler.js';

export const functionsPath = '/_amiwatch/functions';

/** Log events read to rebuild the recent invocations: room for a 1 MB log (about 10,000 lines) and more. */
const LOG_EVENTS_READ = 50_000;

/**
 * Function logs and code for the console (amiwatch has no S3):
 *  - GET /_amiwatch/functions/NAME/logs?account=&region=&since=&limit= — recent invocations' logs,
 *    oldest first: `{ function, events: [{ requestId, timestamp, message }] }`, read from the
 *    function's log group /aws/lambda/NAME when CloudWatch Logs is there (so they persist and
 *    follow its retention), else from the in-memory recent log;
 *  - GET /_amiwatch/functions/NAME/code?account=&region= — the deployment package (GetFunction's
 *    Code.Location points here);
 *  - GET /_amiwatch/functions/NAME/policy?account=&region= — `{ function, policy, revisionId }`:
 *    GetPolicy's document, or `policy: null` when the function has none. GetPolicy itself answers
 *    "no policy" with the same 404 as "no function" (as Lambda does), and a browser logs every 404
 *    as an error; the console asks here, where "no policy" is an answer, not a failure.
 */
export function createFunctionsHandler(functions: LambdaFunctions, logs: FunctionLogs, logGroups?: LogReader): ServiceHandler {
  const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return async (req) => {
    const url = new URL(req.url, 'http://localhost');
    const parts = url.pathname.slice(functionsPath.length + 1).split('/');
    const q = url.searchParams;
    if (req.method !== 'GET' || parts.length !== 2 || !parts[0]) return json(404, { error: `no such endpoint: ${url.pathname}` });
    const caller = { accountId: q.get('account') ?? req.context.accountId, region: q.get('region') ?? req.context.region };
    try {
      const record = await functions.record(
        caller,
        decodeURIComponent(parts[0]),
        undefined,
        parts[1] === 'code' ? 'GetFunction' : parts[1] === 'policy' ? 'GetPolicy' : 'GetFunctionConfiguration',
      );
      if (parts[1] === 'policy') {
        const policy = record.policy.length > 0 ? JSON.stringify(policyDocument(record.policy)) : null;
        return json(200, { function: record.arn, policy, revisionId: record.revisionId });
      }
      if (parts[1] === 'code') return { status: 200, headers: { 'content-type': 'application/zip' }, body: await functions.code(record) };
      if (parts[1] !== 'logs') return json(404, { error: `no such endpoint: ${url.pathname}` });
      const since = Number(q.get('since') ?? 0);
      const limit = Math.min(Number(q.get('limit') ?? 100), 500);
      if (!Number.isFinite(since) || !Number.isFinite(limit))
        return json(400, { error: 'since and limit must be numbers (epoch ms, count)' });
      const entries = logGroups
        ? invocationsFromEvents(await logGroups.recent(record, functionLogGroup(record), since, LOG_EVENTS_READ)).slice(-limit)
        : logs.read(record.arn, since, limit);
      const events = entries.map((e) => ({ requestId: e.requestId, timestamp: new Date(e.at).toISOString(), message: e.text }));
      return json(200, { function: record.arn, events });
    } catch (err) {
      if (err instanceof ServiceError) return json(err.status, { error: `${err.code}: ${err.message}` });
      throw err;
    }
  };
}
