import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Why boto3 suites are skipped on this machine, or false: they run the system python3, whose
 * boto3 must read AWS_ENDPOINT_URL (1.28 and newer; Debian's python3-boto3 1.26 would call AWS).
 */
export const boto3Skip: string | false = await run('python3', [
  '-c',
  'import boto3, botocore; assert tuple(int(x) for x in boto3.__version__.split(".")[:2]) >= (1, 28)',
]).then(
  () => false,
  () => 'python3 with boto3 >= 1.28 is not installed',
);

/**
 * The environment a boto3 script runs in against `url`: endpoint, dummy keys and region from the
 * environment as a pipeline sets them, and config files pointed at nothing so that a ~/.aws
 * profile on the machine cannot change the outcome.
 */
export function boto3Env(url: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
