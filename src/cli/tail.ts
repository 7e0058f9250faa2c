import { check, matches } from '@amiwatch/event-pattern';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliContext } from './context.js';
import { print, printErr } from './context.js';
import { type Endpoint, unreachable } from './endpoint.js';
import { CliError, exitCodes } from './exit-codes.js';
import { readSse } from './sse.js';
import type { Style } from './style.js';
import { stateColour } from './style.js';

export interface TailFlags {
  readonly bus?: string;
  readonly pattern?: string;
  readonly patternFile?: string;
  readonly json?: boolean;
  /** Stop after this many matching events and the first outcome of their deliveries (scripts and tests). */
  readonly count?: number;
}

export interface StreamedEvent {
  readonly id: string;
  readonly bus: string;
  readonly ingestedAt: string;
  readonly rules: readonly string[];
  readonly deliveries: number;
  readonly event: Record<string, unknown>;
}

interface StreamedDelivery {
  readonly deliveryId: number;
  readonly eventId: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly status: string;
  readonly attempts: number;
  readonly error?: string;
  readonly detail?: string;
}

/**
 * `amiwatch tail`: events as the server commits them (its SSE stream), filtered by bus and by an
 * event pattern matched with the server's own engine, then the outcome of each of their
 * deliveries. `--json` prints one event per line for other tools.
 */
export async function runTail(ctx: CliContext, endpoint: Endpoint, flags: TailFlags): Promise<number> {
  const pattern = await readPattern(ctx, flags);
  const abort = new AbortController();
  let response: Response;
  try {
    response = await fetch(`${endpoint.url}/_amiwatch/events/stream`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
  } catch (err) {
    throw unreachable(endpoint, err);
  }
  if (!response.ok || !response.body)
    throw new CliError(`${endpoint.url} answered ${response.status} to the event stream: is it amiwatch?`, exitCodes.unreachable);
  // On stderr, so `--json | jq` sees only events; scripts can wait for this line.
  printErr(
    ctx,
    ctx.style.dim(`tailing ${endpoint.url}${flags.bus ? ` bus ${flags.bus}` : ''}${pattern ? ' (pattern)' : ''}; Ctrl-C to stop`),
  );
  let stopped = false;
  void ctx.interrupted.then(() => {
    stopped = true;
    abort.abort();
  });
  const shown = new Set<string>();
  // With --count, tail stays after the last event until each of the shown events' deliveries has
  // a first outcome (delivered, retry or failed), so that a script's output says how its events
  // went, as an interactive tail shows it. --json prints no outcomes, so it does not wait.
  const settled = new Set<number>();
  let unsettled = 0;
  let count = 0;
  const enough = () => flags.count !== undefined && count >= flags.count;
  try {
    for await (const message of readSse(response.body)) {
      if (message.event === 'event' && !enough()) {
        const e = JSON.parse(message.data) as StreamedEvent;
        if (flags.bus !== undefined && busName(e.bus) !== flags.bus && e.bus !== flags.bus) continue;
        if (pattern !== null && !matches(pattern, e.event)) continue;
        shown.add(e.id);
        count++;
        if (!flags.json) unsettled += e.deliveries;
        print(ctx, flags.json ? JSON.stringify(e.event) : eventLine(ctx.style, e));
      } else if (message.event === 'delivery' && !flags.json) {
        const d = JSON.parse(message.data) as StreamedDelivery;
        if (!shown.has(d.eventId)) continue;
        print(ctx, deliveryLine(ctx.style, d));
        if (!settled.has(d.deliveryId)) {
          settled.add(d.deliveryId);
          unsettled--;
        }
      }
      if (enough() && unsettled <= 0) {
        stopped = true;
        abort.abort();
        break;
      }
    }
  } catch (err) {
    if (!stopped)
      throw new CliError(
        `the event stream broke: ${(err as Error).message}`,
        exitCodes.unreachable,
        'is the server still running? `amiwatch status`',
      );
  }
  if (!stopped) throw new CliError('the server closed the event stream (it is shutting down)', exitCodes.unreachable);
  return exitCodes.ok;
}

async function readPattern(ctx: CliContext, flags: TailFlags): Promise<string | null> {
  if (flags.pattern !== undefined && flags.patternFile !== undefined)
    throw new CliError('give --pattern or --pattern-file, not both', exitCodes.usage);
  let text: string | null = flags.pattern ?? null;
  if (flags.patternFile !== undefined) {
    try {
      text = await readFile(resolve(ctx.cwd, flags.patternFile), 'utf8');
    } catch (err) {
      throw new CliError(
        `--pattern-file: cannot read ${flags.patternFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        exitCodes.usage,
      );
    }
  }
  if (text === null) return null;
  const reason = check(text);
  if (reason !== null)
    throw new CliError(
      `InvalidEventPatternException: Event pattern is not valid. Reason: ${reason}`,
      exitCodes.usage,
      'try it offline first: amiwatch test-pattern --pattern … --event …',
    );
  return text;
}

const busName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** One line per event; a replayed event (it carries `replay-name`) is marked with its replay. */
export function eventLine(s: Style, e: StreamedEvent): string {
  const body = e.event;
  const detail = (body.detail ?? {}) as Record<string, unknown>;
  const time = e.ingestedAt.slice(11, 23);
  const summary =
    typeof detail.State === 'string'
      ? `${typeof detail.ImageId === 'string' ? `${detail.ImageId} ` : ''}${stateColour(s, detail.State)}${detail.ErrorMessage ? ` ${s.red(String(detail.ErrorMessage))}` : ''}`
      : s.dim(JSON.stringify(detail).slice(0, 80));
  const rules = e.rules.length ? ` → ${e.rules.join(', ')}` : s.dim(' (no rule matched)');
  const replay = typeof body['replay-name'] === 'string' ? `${s.yellow(`[replay ${body['replay-name']}]`)} ` : '';
  return `${s.dim(time)} ${s.cyan(busName(e.bus))} ${replay}${String(body.source)} ${s.bold(String(body['detail-type']))} ${summary}${rules}`;
}

function deliveryLine(s: Style, d: StreamedDelivery): string {
  const status = d.status === 'delivered' ? s.green(d.status) : d.status === 'failed' ? s.red(d.status) : s.yellow(d.status);
  return `  ${s.dim('└')} ${busName(d.ruleArn)}/${d.targetId} ${status} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.error ? ` ${s.dim(d.error)}` : ''}${d.detail ? ` ${s.dim(d.detail)}` : ''}`;
}
