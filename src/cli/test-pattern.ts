import { check, matches } from '@amiwatch/event-pattern';
import type { CliContext } from './context.js';
import { print } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';
import { readJsonArgument, readStdin } from './read-input.js';

/**
 * `amiwatch test-pattern --pattern P --event E`: TestEventPattern without a server, through the
 * same engine the server matches with. Exit 0 match, 1 no match, 2 invalid pattern (AWS's
 * InvalidEventPatternException text) or an event that is not a JSON object.
 */
export async function runTestPattern(ctx: CliContext, flags: { pattern: string; event: string; quiet?: boolean }): Promise<number> {
  const pattern = await readJsonArgument(flags.pattern, '--pattern', ctx.cwd, readStdin);
  const event = await readJsonArgument(flags.event, '--event', ctx.cwd, readStdin);
  const reason = check(pattern);
  if (reason !== null) {
    throw new CliError(
      `InvalidEventPatternException: Event pattern is not valid. Reason: ${reason}`,
      exitCodes.usage,
      'the pattern language: packages/event-pattern/PATTERNS.md',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(event);
  } catch (err) {
    throw new CliError(`--event is not JSON: ${(err as Error).message}`, exitCodes.usage);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliError('--event must be a JSON object (an event)', exitCodes.usage);
  const result = matches(pattern, event);
  if (!flags.quiet) print(ctx, result ? ctx.style.green('match') : ctx.style.red('no match'));
  return result ? exitCodes.ok : exitCodes.no;
}
