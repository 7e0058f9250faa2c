/**
 * Each function's recent log, kept in memory: what the control API reads when no CloudWatch Logs
 * is wired (the server reads /aws/lambda/NAME instead). One entry per invocation, START to
 * REPORT, newest last. Bounded per function by entries and bytes, so a chatty function cannot
 * grow the server without limit.
 */
export interface LogEntry {
  readonly requestId: string;
  /** When the invocation started, ms. */
  readonly at: number;
  readonly text: string;
}

export class FunctionLogs {
  private readonly byFunction = new Map<string, { entries: LogEntry[]; bytes: number }>();

  constructor(
    private readonly maxEntries = 500,
    private readonly maxBytes = 1024 * 1024,
  ) {}

  append(arn: string, entry: LogEntry): void {
    let log = this.byFunction.get(arn);
    if (!log) this.byFunction.set(arn, (log = { entries: [], bytes: 0 }));
    log.entries.push(entry);
    log.bytes += entry.text.length;
    while (log.entries.length > this.maxEntries || (log.bytes > this.maxBytes && log.entries.length > 1)) {
      log.bytes -= log.entries.shift()!.text.length;
    }
  }

  read(arn: string, since = 0, limit = 100): LogEntry[] {
    const entries = this.byFunction.get(arn)?.entries ?? [];
    return entries.filter((e) => e.at >= since).slice(-limit);
  }

  forget(arn: string): void {
    this.byFunction.delete(arn);
  }
}
