import { invalidParameter } from './errors.js';

/**
 * The runtime identifiers amiwatch accepts for new functions: the Node.js ones Lambda still takes
 * (run on the server's own Node.js) and the Python ones (run on a Python interpreter found at
 * start, see src/runtime/python-interpreter.ts). Anything else is refused at write time rather
 * than failing at every invoke. The console keeps the same list (console/src/api/lambda-rules.ts).
 */
export const NODE_RUNTIMES: readonly string[] = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];
export const PYTHON_RUNTIMES: readonly string[] = ['python3.11', 'python3.12', 'python3.13'];
export const SUPPORTED_RUNTIMES: readonly string[] = [...NODE_RUNTIMES, ...PYTHON_RUNTIMES];

export const isPythonRuntime = (runtime: string): boolean => runtime.startsWith('python');

/**
 * Runtimes Lambda has deprecated and no longer lets a function be created or updated with
 * (nodejs18.x: deprecated 2025-09-01; python3.8: deprecated 2024-10-14, creates and updates
 * blocked since). A function stored earlier with one keeps running, as on Lambda; only the
 * Runtime parameter is refused.
 */
const DEPRECATED_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x',
  'python2.7', 'python3.6', 'python3.7', 'python3.8',
]);

export function checkRuntime(runtime: string | undefined, nodeVersion: string): string {
  if (runtime === undefined) throw invalidParameter('Runtime is required for .zip file deployment packages. amiwatch supports ' + SUPPORTED_RUNTIMES.join(', ') + '.');
  if (DEPRECATED_RUNTIMES.has(runtime)) {
    // Lambda's own words for a blocked runtime.
    throw invalidParameter(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`);
  }
  if (!SUPPORTED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is not supported by amiwatch: it runs Node.js functions ` +
        `(${NODE_RUNTIMES.join(', ')}) on the server's Node.js ${nodeVersion} and Python functions (${PYTHON_RUNTIMES.join(', ')}).`,
    );
  }
  return runtime;
}
