import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const runFile = promisify(execFile);

/**
 * The AWS CLI the suites drive: v2, Debian's package (scripts/install-system-deps.sh). Named by
 * its path because a pip-installed CLI v1 may come first on PATH, and the two differ (v1 checks
 * some parameters itself; Debian's v2.9 ignores AWS_ENDPOINT_URL).
 */
export const awsCliV2 = '/usr/bin/aws';

/** Why AWS CLI tests are skipped on this machine, or false. In CI a missing CLI fails them instead. */
export const awsCliSkip: string | false =
  !existsSync(awsCliV2) && !process.env.CI ? `${awsCliV2} is missing: run scripts/install-system-deps.sh as root` : false;

/**
 * The environment every AWS CLI test runs the CLI in: dummy keys and region, no pager, no
 * instance metadata lookups, and config/credential files pointed at nothing, so that what is
 * installed on the machine (a ~/.aws profile, say) cannot change the outcome.
 */
export function awsCliEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  };
}

/**
 * An AWS CLI v2 runner pointed at `url` with JSON output, run in `cwd` (for `fileb://` paths):
 * resolves the exit code, the parsed output (null when empty or failed) and stderr.
 */
export function awsCliJson(url: () => string, cwd: () => string) {
  return async (...args: string[]): Promise<{ code: number; out: any; stderr: string }> => {
    try {
      const { stdout, stderr } = await runFile(awsCliV2, ['--endpoint-url', url(), '--output', 'json', ...args], {
        env: awsCliEnv(),
        cwd: cwd(),
      });
      return { code: 0, out: stdout.trim() ? JSON.parse(stdout) : null, stderr };
    } catch (e) {
      const err = e as { code: number; stderr: string };
      return { code: err.code, out: null, stderr: err.stderr };
    }
  };
}
