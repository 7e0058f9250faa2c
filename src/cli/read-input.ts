import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, exitCodes } from './exit-codes.js';

/**
 * A JSON argument as the AWS CLI takes it: inline text, `file://PATH`, or `-` for stdin.
 * Returns the text; the caller decides what a valid value is.
 */
export async function readJsonArgument(value: string, option: string, cwd: string, stdin: () => Promise<string>): Promise<string> {
  if (value === '-') return stdin();
  if (value.startsWith('file://')) {
    const path = resolve(cwd, value.slice('file://'.length));
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      throw new CliError(
        `${option}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        exitCodes.usage,
      );
    }
  }
  return value;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
