import { DescribeImagesCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import type { CliContext } from './context.js';
import type { Endpoint } from './endpoint.js';
import { ec2, fromSdkError } from './aws-clients.js';
import { CliError, exitCodes } from './exit-codes.js';
import { Progress, sleep } from './progress.js';
import { stateColour } from './style.js';

export interface WaitFlags {
  /** Give up after this many seconds (exit 5). */
  readonly timeout: number;
  /** Poll interval, ms. */
  readonly interval: number;
}

/**
 * `amiwatch images wait IMAGE-ID`: like `aws ec2 wait image-available`, but polling twice a
 * second instead of every 15 s, showing the state as it goes, and printing the StateReason when
 * the image fails (exit 1).
 */
export async function runImagesWait(ctx: CliContext, endpoint: Endpoint, imageId: string, flags: WaitFlags): Promise<number> {
  if (!/^ami-[0-9a-f]{8,17}$/.test(imageId)) throw new CliError(`not an image id: ${imageId} (expected ami-…)`, exitCodes.usage);
  const client = ec2(endpoint);
  try {
    const image = await waitForImage(ctx, client, endpoint, imageId, flags);
    return image.State === 'available' ? exitCodes.ok : exitCodes.no;
  } finally {
    client.destroy();
  }
}

/** Polls until the image leaves `pending`; returns it (reports the outcome on ctx.out). */
export async function waitForImage(
  ctx: CliContext,
  client: EC2Client,
  endpoint: Endpoint,
  imageId: string,
  flags: WaitFlags,
): Promise<Image> {
  const progress = new Progress(ctx);
  const s = ctx.style;
  let stop = false;
  void ctx.interrupted.then(() => (stop = true));
  for (;;) {
    let image: Image | undefined;
    try {
      image = (await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images?.[0];
    } catch (err) {
      throw fromSdkError(endpoint, err);
    }
    if (!image) throw new CliError(`image ${imageId} does not exist`, exitCodes.refused);
    const state = image.State ?? 'unknown';
    const label = `${imageId} (${image.Name})`;
    if (state === 'available') {
      progress.done(`${s.green('✔')} ${label} is ${stateColour(s, state)} after ${(progress.elapsedMs / 1000).toFixed(1)}s`);
      return image;
    }
    if (state !== 'pending' && state !== 'transient') {
      const reason = image.StateReason ? `: ${image.StateReason.Message} (${image.StateReason.Code})` : '';
      progress.done(`${s.red('✘')} ${label} is ${stateColour(s, state)}${reason}`);
      return image;
    }
    if (stop) throw new CliError(`stopped waiting; ${imageId} is still ${state}`, exitCodes.timeout);
    if (progress.elapsedMs > flags.timeout * 1000) {
      progress.done(`${s.yellow('…')} ${label} is still ${state}`);
      throw new CliError(`gave up after ${flags.timeout}s`, exitCodes.timeout, 'wait longer with --timeout SECONDS');
    }
    progress.update(`${label} is ${stateColour(s, state)}`);
    await sleep(flags.interval);
  }
}
