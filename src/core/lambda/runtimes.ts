import { DEPRECATED_LAMBDA_RUNTIMES, isPythonRuntime, LAMBDA_RUNTIMES, NODE_RUNTIMES, PYTHON_RUNTIMES } from '@amiwatch/shared';
import { invalidParameter } from './errors.js';

/**
 * The runtime identifiers amiwatch accepts for new functions: the Node.js ones Lambda still takes
 * (run on the server's own Node.js) and the Python ones (run on a Python interpreter found at
 * start, see src/runtime/python-interpreter.ts). Anything else is refused at write time rather
 * than failing at every invoke. The list lives in @amiwatch/shared, which the console checks too.
 */
export { isPythonRuntime, NODE_RUNTIMES, PYTHON_RUNTIMES };
export const SUPPORTED_RUNTIMES: readonly string[] = LAMBDA_RUNTIMES;

/** Lambda's deprecated runtimes (@amiwatch/shared): only the Runtime parameter is refused; stored functions keep running. */
const DEPRECATED_RUNTIMES: ReadonlySet<string> = new Set(DEPRECATED_LAMBDA_RUNTIMES);

export function checkRuntime(runtime: string | undefined, nodeVersion: string): string {
  if (runtime === undefined)
    throw invalidParameter(
      'Runtime is required for .zip file deployment packages. amiwatch supports ' + SUPPORTED_RUNTIMES.join(', ') + '.',
    );
  if (DEPRECATED_RUNTIMES.has(runtime)) {
    // Lambda's own words for a blocked runtime.
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!SUPPORTED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is not supported by amiwatch: it runs Node.js functions ` +
        `(${NODE_RUNTIMES.join(', ')}) on the server's Node.js ${nodeVersion} and Python functions (${PYTHON_RUNTIMES.join(', ')}).`,
    );
  }
  return runtime;
}
