import type { RunnableFunction, RunResult } from './runner.js';

/** Where function logs go: CloudWatch Logs (core/logs LogEvents.write); the group and stream are created on first use. */
export interface LogWriter {
  write(scope: { accountId: string; region: string }, group: string, stream: string, events: readonly { timestamp: number; message: string }[]): Promise<void>;
}

/**
 * One invocation's log as Lambda writes it to `/aws/lambda/NAME`, stream per execution
 * environment (`YYYY/MM/DD/[$LATEST]hex`): one event per line (START, each output line, END,
 * REPORT). START and the output carry the start time; END and REPORT the end time.
 */
export function invocationEvents(result: RunResult, startedAt: number): { timestamp: number; message: string }[] {
  const lines = result.log.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const endedAt = startedAt + Math.round(result.durationMs);
  return lines.map((message) => ({ timestamp: /^(END|REPORT) RequestId: /.test(message) ? endedAt : startedAt, message }));
}

export const functionLogGroup = (fn: Pick<RunnableFunction, 'name'>): string => `/aws/lambda/${fn.name}`;
