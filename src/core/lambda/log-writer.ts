import type { RunnableFunction, RunResult } from './runner.js';

/** Reads a function's log group back (core/logs LogEvents.recent). */
export interface LogReader {
  recent(
    scope: { accountId: string; region: string },
    group: string,
    since: number,
    limit: number,
  ): Promise<{ stream: string; timestamp: number; message: string }[]>;
}

/** Where function logs go: CloudWatch Logs (core/logs LogEvents.write); the group and stream are created on first use. */
export interface LogWriter {
  write(
    scope: { accountId: string; region: string },
    group: string,
    stream: string,
    events: readonly { timestamp: number; message: string }[],
  ): Promise<void>;
}

/**
 * One invocation's log as Lambda writes it to `/aws/lambda/NAME`, stream per execution
 * environment (`YYYY/MM/DD/[$LATEST]hex`): one event per line (START, each output line, END,
 * REPORT). START and the output carry the start time; END and REPORT the end time (both from the
 * clock, so a stream's events stay in order under a test's manual clock too).
 */
export function invocationEvents(result: RunResult, startedAt: number, endedAt: number): { timestamp: number; message: string }[] {
  const lines = result.log.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((message) => ({ timestamp: /^(END|REPORT) RequestId: /.test(message) ? endedAt : startedAt, message }));
}

export const functionLogGroup = (fn: Pick<RunnableFunction, 'name'>): string => `/aws/lambda/${fn.name}`;

/**
 * A function log group's events regrouped into invocations (START … REPORT of one request id in
 * one stream), oldest first: what the console's function page shows. Lines outside an
 * invocation (a stream's events cut by `limit`) are dropped.
 */
export function invocationsFromEvents(
  events: readonly { stream: string; timestamp: number; message: string }[],
): { requestId: string; at: number; text: string }[] {
  const open = new Map<string, { requestId: string; at: number; lines: string[] }>();
  const done: { requestId: string; at: number; text: string }[] = [];
  for (const e of events) {
    const start = /^START RequestId: (\S+)/.exec(e.message);
    if (start) open.set(e.stream, { requestId: start[1]!, at: e.timestamp, lines: [] });
    const current = open.get(e.stream);
    if (!current) continue;
    current.lines.push(e.message);
    if (e.message.startsWith(`REPORT RequestId: ${current.requestId}`)) {
      done.push({ requestId: current.requestId, at: current.at, text: `${current.lines.join('\n')}\n` });
      open.delete(e.stream);
    }
  }
  return done.sort((a, b) => a.at - b.at);
}
