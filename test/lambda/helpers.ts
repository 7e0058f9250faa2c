import AdmZip from 'adm-zip';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { App } from '../../src/server/app.js';
import { inProcess } from '../support/in-process.js';

/** A deployment package holding the given files. */
export function zipOf(files: Record<string, string>): Buffer {
  const zip = new AdmZip();
  for (const [name, text] of Object.entries(files)) zip.addFile(name, Buffer.from(text, 'utf8'));
  return zip.toBuffer();
}

/** A Lambda client calling the server in-process (test/support/in-process.ts): behaviour, not sockets. */
export function lambdaClient(app: App): LambdaClient {
  return new LambdaClient(inProcess(app));
}

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** The function of the tutorial "Log the state of an Amazon EC2 instance using EventBridge", as it writes it. */
export const TUTORIAL_FUNCTION = `'use strict';

exports.handler = (event, context, callback) => {
    console.log('LogEC2InstanceStateChange');
    console.log('Received event:', JSON.stringify(event, null, 2));
    callback(null, 'Finished');
};
`;

export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the delivery queue holds nothing pending and no queued invocation is running (Invoke `Event` done). */
export async function queueIdle(app: App, timeoutMs = 15_000): Promise<void> {
  await until(async () => {
    await app.worker.jobsIdle();
    return (await app.store.countDeliveries()).pending === 0 ? true : undefined;
  }, timeoutMs);
  await app.worker.jobsIdle();
}
