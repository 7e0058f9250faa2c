import type { Writable } from 'node:stream';
import type { Style } from './style.js';

/**
 * What every command gets from the entry point: where to write, whether that is a terminal,
 * and the environment, read once in main.ts (commands never touch process.env or process.stdout).
 */
export interface CliContext {
  readonly out: Writable;
  readonly err: Writable;
  /** Whether stdout is a terminal: progress lines redraw in place, colours are on. */
  readonly tty: boolean;
  readonly style: Style;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Resolves when the user asks to stop (Ctrl-C / SIGTERM). */
  readonly interrupted: Promise<string>;
}

export const print = (ctx: CliContext, line = ''): void => void ctx.out.write(`${line}\n`);
export const printErr = (ctx: CliContext, line: string): void => void ctx.err.write(`${line}\n`);
