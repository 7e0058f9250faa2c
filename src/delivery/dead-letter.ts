import type { DeliveryTarget } from '../core/events/model.js';
import type { ExhaustedCondition } from '../core/events/retry-policy.js';

/**
 * A delivery given up on (eb-rule-dlq): retries exhausted, or a non-retriable error. With a
 * DeadLetterConfig on the target, the worker hands it to the DeadLetterSink before settling.
 */
export interface DeadLetter {
  readonly target: DeliveryTarget;
  /** The original event JSON (the DLQ message body). */
  readonly event: string;
  readonly code: string;
  readonly message: string;
  /** Set when a retry limit ended it; absent for non-retriable errors. */
  readonly exhausted?: ExhaustedCondition;
  /** Retries made after the first attempt. */
  readonly retryAttempts: number;
}

export interface DeadLetterSink {
  /** Resolves null when sent, or the reason it could not be (AWS's InvocationsFailedToBeSentToDlq). */
  send(dlqArn: string, letter: DeadLetter): Promise<string | null>;
}

/** The message attributes AWS puts on a DLQ message (eb-rule-dlq "Sending events to a DLQ"). */
export function deadLetterAttributes(l: DeadLetter): Record<string, { DataType: string; StringValue: string }> {
  const s = (v: string) => ({ DataType: 'String', StringValue: v });
  return {
    RULE_ARN: s(l.target.ruleArn),
    TARGET_ARN: s(l.target.target.Arn ?? ''),
    ERROR_CODE: s(l.code),
    ERROR_MESSAGE: s(l.message.slice(0, 1000) || l.code),
    ...(l.exhausted && { EXHAUSTED_RETRY_CONDITION: s(l.exhausted) }),
    RETRY_ATTEMPTS: s(String(l.retryAttempts)),
  };
}
