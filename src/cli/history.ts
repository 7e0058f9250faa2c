import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliContext } from './context.js';
import { control, type Endpoint } from './endpoint.js';
import { CliError, exitCodes } from './exit-codes.js';

export interface HistoryFlags {
  readonly bus?: string;
  readonly since?: string;
  readonly output?: string;
}

interface Page {
  readonly events?: readonly ({ seq: number } & Record<string, unknown>)[];
  readonly next?: string;
  readonly error?: string;
}

const PAGE = 1000;

/**
 * `amiwatch history`: the control API's event history (GET /_amiwatch/events), every page, as
 * JSON lines oldest first — the artifact a CI job keeps when tests fail (docs/ci.md).
 */
export async function runHistory(ctx: CliContext, endpoint: Endpoint, flags: HistoryFlags): Promise<number> {
  const query = new URLSearchParams({ limit: String(PAGE) });
  if (flags.bus !== undefined) query.set('bus', flags.bus);
  if (flags.since !== undefined) {
    const at = /^\d+$/.test(flags.since) ? Number(flags.since) : Date.parse(flags.since);
    if (!Number.isFinite(at))
      throw new CliError(`--since: expected an ISO 8601 time or epoch milliseconds, got ${flags.since}`, exitCodes.usage);
    query.set('from', String(at));
  }
  const events: Record<string, unknown>[] = [];
  for (;;) {
    const { status, body } = await control<Page>(endpoint, `/_amiwatch/events?${query}`);
    if (status !== 200)
      throw new CliError(
        `the server refused the history request: ${body?.error ?? `HTTP ${status}`}`,
        status === 400 ? exitCodes.usage : exitCodes.refused,
      );
    events.push(...(body.events ?? []));
    if (body.next === undefined) break;
    query.set('before', body.next);
  }
  const text = events
    .reverse()
    .map((e) => `${JSON.stringify(e)}\n`)
    .join('');
  if (flags.output === undefined) {
    ctx.out.write(text);
    return exitCodes.ok;
  }
  const path = resolve(ctx.cwd, flags.output);
  try {
    await writeFile(path, text);
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`, exitCodes.usage);
  }
  ctx.err.write(`amiwatch: wrote ${events.length} event${events.length === 1 ? '' : 's'} to ${path}\n`);
  return exitCodes.ok;
}
