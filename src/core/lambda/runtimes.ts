import { invalidParameter } from './errors.js';

/**
 * amiwatch runs functions as Node.js child processes of the server, so it accepts the Node.js
 * runtime identifiers (Lambda's "Supported runtimes" list) and runs them all on the server's own
 * Node.js. Anything else is refused at write time rather than failing at every invoke.
 */
export const SUPPORTED_RUNTIMES: readonly string[] = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'];

export function checkRuntime(runtime: string | undefined, nodeVersion: string): string {
  if (runtime === undefined) throw invalidParameter('Runtime is required for .zip file deployment packages. amiwatch supports ' + SUPPORTED_RUNTIMES.join(', ') + '.');
  if (!SUPPORTED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is not supported by amiwatch: it runs Node.js functions only ` +
        `(${SUPPORTED_RUNTIMES.join(', ')}), on the server's Node.js ${nodeVersion}.`,
    );
  }
  return runtime;
}
