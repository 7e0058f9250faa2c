import { send } from './http.js';
import { session } from './session.js';

export interface Series {
  points: { t: number; value: number | null }[];
}

/**
 * The last 15 minutes of one EventBridge metric (AWS/Events) in 10-second points, for a bus and
 * optionally one rule, in the session's account and region (a bus named "default" exists in
 * every region).
 */
export function series(name: string, bus: string, rule: string): Promise<Series> {
  return last15Minutes({ name, bus, ...(rule && { rule }) });
}

/** The same for one of a Lambda function's metrics (AWS/Lambda, `FunctionName`), in the session's account and region. */
export function functionSeries(name: string, fn: string): Promise<Series> {
  return last15Minutes({ name, function: fn });
}

async function last15Minutes(params: Record<string, string>): Promise<Series> {
  const { account, region } = session();
  const q = new URLSearchParams({ ...params, account, region, from: String(Date.now() - 15 * 60_000), step: '10' });
  const res = await send('GET', `/_amiwatch/metrics/series?${q.toString()}`, 'amiwatch', {});
  const body = (await res.json()) as Series & { error?: string };
  if (!res.ok) throw new Error(body.error ?? res.statusText);
  return body;
}
