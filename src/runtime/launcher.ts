import type { RunnableFunction } from '../core/lambda/runner.js';
import { isPythonRuntime } from '../core/lambda/runtimes.js';
import { interpreterFor, type PythonInterpreter } from './python-interpreter.js';

/** How a function's process is started: the program, its arguments, and a note for its first log. */
export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  readonly note: string | null;
  /** Directories the program reads outside /usr (a Python installation): the sandbox binds them read-only. */
  readonly readOnly: readonly string[];
}

export interface Bootstraps {
  readonly node: string;
  readonly python: string;
}

/**
 * The command line of a function process, by runtime. Node.js: the server's own Node.js with the
 * heap capped at the function's memory size. Python: the interpreter chosen for the runtime's
 * version (python-interpreter.ts), `-u` unbuffered, `-X utf8`; its memory guard is in the
 * bootstrap. Returns an error text when the runtime cannot run here.
 *
 * `bootstraps` are the paths the process sees; the sandbox (sandbox.ts) wraps the command it returns.
 */
export function launchFor(fn: RunnableFunction, bootstraps: Bootstraps, pythons: readonly PythonInterpreter[]): Launch | { error: string } {
  if (!isPythonRuntime(fn.runtime)) {
    return { command: process.execPath, args: [`--max-old-space-size=${fn.memoryMb}`, bootstraps.node], note: null, readOnly: [] };
  }
  const chosen = interpreterFor(fn.runtime, pythons);
  if (!chosen)
    return {
      error: `amiwatch found no Python interpreter with a current boto3 to run ${fn.runtime} (see the server's start-up log; set --python).`,
    };
  return {
    command: chosen.interpreter.path,
    args: ['-u', '-X', 'utf8', bootstraps.python],
    note: chosen.note,
    readOnly: chosen.interpreter.mounts ?? [],
  };
}
