import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { FunctionRecord } from '../../storage/ports/lambda-store.js';
import { ENV_KEY, HANDLER, LAMBDA_MEMORY, LAMBDA_TIMEOUT, MAX_HANDLER, RESERVED_ENV_KEY } from '@amiwatch/shared';
import { invalidParameter, validation } from './errors.js';

/** Defaults and limits of CreateFunction, shared with the console's form (@amiwatch/shared). */
export const DEFAULT_TIMEOUT = LAMBDA_TIMEOUT.default;
export const MAX_TIMEOUT = LAMBDA_TIMEOUT.max;
export const DEFAULT_MEMORY = LAMBDA_MEMORY.default;
export const MIN_MEMORY = LAMBDA_MEMORY.min;
export const MAX_MEMORY = LAMBDA_MEMORY.max;
const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const MAX_DESCRIPTION = 256;

export function checkTimeout(t: number | undefined): number {
  if (t === undefined) return DEFAULT_TIMEOUT;
  if (!Number.isInteger(t) || t < 1)
    throw validation(`Value '${t}' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (t > MAX_TIMEOUT)
    throw validation(`Value '${t}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to ${MAX_TIMEOUT}`);
  return t;
}

export function checkMemory(m: number | undefined): number {
  if (m === undefined) return DEFAULT_MEMORY;
  if (!Number.isInteger(m) || m < MIN_MEMORY)
    throw validation(
      `Value '${m}' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_MEMORY}`,
    );
  if (m > MAX_MEMORY)
    throw validation(
      `Value '${m}' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to ${MAX_MEMORY}`,
    );
  return m;
}

export function checkRole(role: string | undefined): string {
  if (!role || !ROLE.test(role))
    throw validation(
      `Value '${role ?? ''}' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+`,
    );
  return role;
}

export function checkHandler(handler: string | undefined): string {
  if (handler === undefined) throw invalidParameter('Handler is required for .zip file deployment packages (e.g. index.handler).');
  if (handler.length > MAX_HANDLER)
    throw validation(
      `Value '${handler}' at 'handler' failed to satisfy constraint: Member must have length less than or equal to ${MAX_HANDLER}`,
    );
  if (!HANDLER.test(handler))
    throw validation(
      `Value '${handler}' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+`,
    );
  return handler;
}

/** Description: 0–256 characters (the Lambda API model's Description shape). */
export function checkDescription(description: string | undefined): string {
  const d = description ?? '';
  if (d.length > MAX_DESCRIPTION)
    throw validation(
      `Value '${d}' at 'description' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION}`,
    );
  return d;
}

/** Environment variables: AWS reserves some names and caps the total at 4 KB. */
export function checkEnvironment(vars: Record<string, string> | undefined): Record<string, string> {
  const env = vars ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_KEY.test(k))
      throw validation(
        `Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`,
      );
    if (RESERVED_ENV_KEY.test(k))
      throw invalidParameter(
        `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${k}`,
      );
    size += k.length + String(v).length;
  }
  if (size > 4096)
    throw invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.',
    );
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/** AWS's LastModified form: `2026-01-01T00:00:00.000+0000`. */
export const lastModified = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** A record as FunctionConfiguration (GetFunction, ListFunctions, CreateFunction's answer). */
export function configurationView(r: FunctionRecord): FunctionConfiguration {
  return {
    FunctionName: r.name,
    FunctionArn: r.version ? `${r.arn}:${r.version}` : r.arn,
    Runtime: r.runtime as FunctionConfiguration['Runtime'],
    Role: r.role,
    Handler: r.handler,
    CodeSize: r.codeSize,
    Description: r.description,
    Timeout: r.timeoutSeconds,
    MemorySize: r.memoryMb,
    LastModified: r.lastModified,
    CodeSha256: r.codeSha256,
    Version: r.version ?? '$LATEST',
    ...(Object.keys(r.environment).length > 0 && { Environment: { Variables: r.environment } }),
    ...(r.deadLetterArn && { DeadLetterConfig: { TargetArn: r.deadLetterArn } }),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: r.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: r.architectures as FunctionConfiguration['Architectures'],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${r.name}` },
  };
}

/**
 * DeadLetterConfig.TargetArn: an SQS queue or SNS topic ARN ("The Amazon Resource Name (ARN) of
 * an Amazon SQS queue or Amazon SNS topic"); an empty TargetArn removes it, as on Lambda.
 */
export function checkDeadLetterArn(arn: string | undefined): string | undefined {
  if (arn === undefined || arn === '') return undefined;
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 6 || (parts[2] !== 'sqs' && parts[2] !== 'sns')) {
    throw invalidParameter(
      `The provided target arn ${arn} is invalid: a dead-letter queue is an Amazon SQS queue or Amazon SNS topic ARN.`,
    );
  }
  return arn;
}
