/**
 * The environment every AWS CLI test runs the CLI in: dummy keys and region, no pager, no
 * instance metadata lookups, and config/credential files pointed at nothing, so that what is
 * installed on the machine cannot change the outcome (ENVIRONMENT.md).
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
