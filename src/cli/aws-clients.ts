import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Endpoint, unreachable } from './endpoint.js';
import { CliError, exitCodes } from './exit-codes.js';

/** The AWS SDK v3 clients the commands use, pointed at the server (a module of its own so
 * commands that need no SDK do not load it). */
const clientConfig = (e: Endpoint) => ({ endpoint: e.url, region: e.region, credentials: e.credentials, maxAttempts: 2 });

export const eventBridge = (e: Endpoint): EventBridgeClient => new EventBridgeClient(clientConfig(e));
export const ec2 = (e: Endpoint): EC2Client => new EC2Client(clientConfig(e));
export const sns = (e: Endpoint): SNSClient => new SNSClient(clientConfig(e));
export const sqs = (e: Endpoint): SQSClient => new SQSClient(clientConfig(e));
export const lambda = (e: Endpoint): LambdaClient => new LambdaClient(clientConfig(e));

/** Turns an AWS SDK error into a CliError: the service's code and message, or "unreachable". */
export function fromSdkError(e: Endpoint, err: unknown): CliError {
  const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'EHOSTUNREACH') return unreachable(e, err);
  if (err instanceof CliError) return err;
  const name = (err as { name?: string }).name ?? 'Error';
  return new CliError(`${name}: ${(err as Error).message}`, exitCodes.refused);
}
