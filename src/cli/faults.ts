import type { CliContext } from './context.js';
import { print } from './context.js';
import { control, type Endpoint } from './endpoint.js';
import { CliError, exitCodes } from './exit-codes.js';

const faultsPath = '/_amiwatch/ec2/faults';

interface FaultRule {
  readonly id: string;
  readonly operation: string;
  readonly errorMessage: string;
  readonly namePattern?: string;
  readonly tagKey?: string;
  readonly tagValue?: string;
  readonly errorCode?: string;
  readonly delayMs?: number;
}

export interface AddFaultFlags {
  readonly operation?: string;
  readonly name?: string;
  readonly tag?: string;
  readonly message: string;
  readonly code?: string;
  readonly delay?: number;
}

type ErrorBody = { error?: { code: string; message: string } };

/** `amiwatch faults add`: the next matching operation fails (see docs/ec2.md#fault-injection). */
export async function runFaultsAdd(ctx: CliContext, endpoint: Endpoint, flags: AddFaultFlags): Promise<number> {
  const [tagKey, tagValue] = flags.tag === undefined ? [] : splitTag(flags.tag);
  const body = {
    operation: flags.operation ?? '*',
    errorMessage: flags.message,
    ...(flags.name !== undefined && { namePattern: flags.name }),
    ...(tagKey !== undefined && { tagKey }),
    ...(tagValue !== undefined && { tagValue }),
    ...(flags.code !== undefined && { errorCode: flags.code }),
    ...(flags.delay !== undefined && { delayMs: flags.delay }),
  };
  const r = await control<FaultRule & ErrorBody>(endpoint, faultsPath, { method: 'POST', body });
  if (r.status !== 201) throw refused(r.body);
  print(ctx, r.body.id);
  return exitCodes.ok;
}

export async function runFaultsList(ctx: CliContext, endpoint: Endpoint, flags: { json?: boolean }): Promise<number> {
  const r = await control<{ rules: FaultRule[] } & ErrorBody>(endpoint, faultsPath);
  if (r.status !== 200) throw refused(r.body);
  if (flags.json) {
    print(ctx, JSON.stringify(r.body.rules, null, 2));
    return exitCodes.ok;
  }
  if (r.body.rules.length === 0) {
    print(ctx, 'no fault rules (add one: amiwatch faults add --operation CreateImage --message "Snapshot quota exceeded")');
    return exitCodes.ok;
  }
  const rows = r.body.rules.map((f) => [
    f.id,
    f.operation,
    f.namePattern ?? '*',
    f.tagKey === undefined ? '-' : `${f.tagKey}${f.tagValue === undefined ? '' : `=${f.tagValue}`}`,
    f.errorCode ?? '-',
    f.delayMs === undefined ? '-' : `${f.delayMs}ms`,
    f.errorMessage,
  ]);
  for (const line of table(['ID', 'OPERATION', 'NAME', 'TAG', 'CODE', 'DELAY', 'MESSAGE'], rows)) print(ctx, line);
  return exitCodes.ok;
}

export async function runFaultsRemove(
  ctx: CliContext,
  endpoint: Endpoint,
  id: string | undefined,
  flags: { all?: boolean },
): Promise<number> {
  if ((id === undefined) === !flags.all)
    throw new CliError('give a fault rule id or --all', exitCodes.usage, 'ids are listed by `amiwatch faults list`');
  if (flags.all) {
    const r = await control<{ deleted: number } & ErrorBody>(endpoint, faultsPath, { method: 'DELETE' });
    if (r.status !== 200) throw refused(r.body);
    print(ctx, `removed ${r.body.deleted} fault rule${r.body.deleted === 1 ? '' : 's'}`);
    return exitCodes.ok;
  }
  const r = await control<ErrorBody>(endpoint, `${faultsPath}/${encodeURIComponent(id!)}`, { method: 'DELETE' });
  if (r.status === 404) throw new CliError(`no fault rule ${id}`, exitCodes.refused, 'ids are listed by `amiwatch faults list`');
  if (r.status !== 204) throw refused(r.body);
  print(ctx, `removed ${id}`);
  return exitCodes.ok;
}

function splitTag(tag: string): [string, string | undefined] {
  const eq = tag.indexOf('=');
  return eq < 0 ? [tag, undefined] : [tag.slice(0, eq), tag.slice(eq + 1)];
}

const refused = (body: ErrorBody | undefined): CliError =>
  new CliError(body?.error ? `${body.error.code}: ${body.error.message}` : 'the server refused the request', exitCodes.refused);

/** Left-aligned columns, two spaces apart. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}
