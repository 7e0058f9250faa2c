import type { CreateEventSourceMappingRequest } from '@aws-sdk/client-lambda';
import { invalidParameter, validation } from './errors.js';
import { checkRange as range } from './event-invoke-config.js';

/** What the mapping needs to know of its queue. */
export interface QueueFacts {
  readonly visibilityTimeoutSeconds: number;
  readonly fifo: boolean;
}

/** The settings of an SQS event source mapping, checked. */
export interface MappingSettings {
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly enabled: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly maximumConcurrency?: number;
}

type Input = Pick<
  CreateEventSourceMappingRequest,
  'BatchSize' | 'MaximumBatchingWindowInSeconds' | 'Enabled' | 'FunctionResponseTypes' | 'ScalingConfig'
>;

/**
 * An SQS mapping's settings as Lambda checks them (services-sqs-configure, the API model):
 * BatchSize 1–10,000 (default 10; at most 10 for a FIFO queue), a batching window of 0–300 s that
 * must be at least 1 s when BatchSize exceeds 10, FunctionResponseTypes only
 * `ReportBatchItemFailures`, ScalingConfig.MaximumConcurrency 2–1,000, and a queue visibility
 * timeout no shorter than the function's timeout.
 */
export function checkMapping(input: Input, base: MappingSettings | undefined, queue: QueueFacts, functionTimeout: number): MappingSettings {
  const batchSize = range(input.BatchSize, 'batchSize', 1, 10_000) ?? base?.batchSize ?? 10;
  const window =
    range(input.MaximumBatchingWindowInSeconds, 'maximumBatchingWindowInSeconds', 0, 300) ?? base?.maximumBatchingWindowInSeconds ?? 0;
  if (queue.fifo && batchSize > 10) throw invalidParameter('Batch size for FIFO queues must be less than or equal to 10.');
  if (batchSize > 10 && window < 1)
    throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  const types = input.FunctionResponseTypes;
  for (const t of types ?? []) {
    if (t !== 'ReportBatchItemFailures')
      throw validation(
        `Value '[${types!.join(', ')}]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]`,
      );
  }
  const concurrency =
    input.ScalingConfig !== undefined
      ? range(input.ScalingConfig.MaximumConcurrency, 'scalingConfig.maximumConcurrency', 2, 1000)
      : base?.maximumConcurrency;
  if (queue.visibilityTimeoutSeconds < functionTimeout) {
    throw invalidParameter(
      `Queue visibility timeout: ${queue.visibilityTimeoutSeconds} seconds is less than Function timeout: ${functionTimeout} seconds`,
    );
  }
  return {
    batchSize,
    maximumBatchingWindowInSeconds: window,
    enabled: input.Enabled ?? base?.enabled ?? true,
    reportBatchItemFailures: types !== undefined ? types.includes('ReportBatchItemFailures') : (base?.reportBatchItemFailures ?? false),
    ...(concurrency !== undefined && { maximumConcurrency: concurrency }),
  };
}
