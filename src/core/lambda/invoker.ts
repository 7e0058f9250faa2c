/**
 * How other amiwatch services invoke a Lambda function: EventBridge targets (the delivery
 * worker's `lambda` transport) and SNS `lambda` subscriptions. Both invoke asynchronously, as
 * AWS does (InvocationType Event): the answer comes once the event is in Lambda's durable
 * asynchronous queue, whose own retries, destinations and DLQ then apply to the function's
 * failures (docs/lambda.md "Asynchronous invocation").
 *
 * The result is shaped like a delivery result: `retriable: false` for what retrying cannot fix
 * (the function does not exist, its resource policy does not let the caller in), which AWS sends
 * straight to the DLQ; the codes are the ones EventBridge writes in a DLQ message's
 * `ERROR_CODE` attribute.
 */
export interface LambdaInvoker {
  invokeAsync(functionArn: string, payload: string, options?: InvokeAsyncOptions): Promise<LambdaInvokeResult>;
}

export interface InvokeAsyncOptions {
  /** The calling service principal, checked against the function's resource policy, e.g. `events.amazonaws.com`, `sns.amazonaws.com`. Omitted: not checked. */
  readonly principal?: string;
  /** The rule or topic ARN the policy's `AWS:SourceArn` condition is matched against. */
  readonly sourceArn?: string;
  /** The account of the caller's resource (policy condition `AWS:SourceAccount`). */
  readonly sourceAccount?: string;
}

/** `ERROR_CODE` values (EventBridge DLQ attributes) amiwatch's Lambda invocations report. */
export type LambdaFailureCode =
  /** No such function (or qualifier). Not retriable. */
  | 'NO_RESOURCE'
  /** The function's resource policy does not allow the caller. Not retriable. */
  | 'NO_PERMISSIONS'
  /** The function ran and failed: threw, rejected, called back with an error. Retriable. */
  | 'FUNCTION_ERROR'
  /** The function ran past its Timeout and was stopped. Retriable. */
  | 'TIMEOUT'
  /** The function's process died (out of memory, process.exit). Retriable. */
  | 'RUNTIME_ERROR';

export type LambdaInvokeResult =
  | { readonly ok: true; readonly requestId: string; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly retriable: boolean;
      readonly code: LambdaFailureCode;
      /** For FUNCTION_ERROR: `errorType: errorMessage` as the function reported it. */
      readonly message: string;
      /** Set when the function ran. */
      readonly requestId?: string;
    };
