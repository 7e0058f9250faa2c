import { LAMBDA_RUNTIMES } from '@amiwatch/shared';
import { invalidParameter } from './errors.js';

/**
 * amiwatch runs functions as Node.js child processes of the server, so it accepts the Node.js
 * runtime identifiers Lambda still takes for new functions and runs them all on the server's own
 * Node.js. Anything else is refused at write time rather than failing at every invoke.
 */
export const SUPPORTED_RUNTIMES: readonly string[] = LAMBDA_RUNTIMES;

/**
 * Node.js runtimes Lambda has deprecated and no longer lets a function be created or updated
 * with (nodejs18.x: deprecated 2025-09-01, creates and updates blocked since). A function stored
 * earlier with one keeps running, as on Lambda; only the Runtime parameter is refused.
 */
const DEPRECATED_RUNTIMES: ReadonlySet<string> = new Set(['nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x']);

export function checkRuntime(runtime: string | undefined, nodeVersion: string): string {
  if (runtime === undefined) throw invalidParameter('Runtime is required for .zip file deployment packages. amiwatch supports ' + SUPPORTED_RUNTIMES.join(', ') + '.');
  if (DEPRECATED_RUNTIMES.has(runtime)) {
    // Lambda's own words for a blocked runtime.
    throw invalidParameter(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`);
  }
  if (!SUPPORTED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is not supported by amiwatch: it runs Node.js functions only ` +
        `(${SUPPORTED_RUNTIMES.join(', ')}), on the server's Node.js ${nodeVersion}.`,
    );
  }
  return runtime;
}
