/**
 * The seam for SNS → Lambda. The Lambda service (its own issue) implements this and is passed to
 * `SnsEndpointDrivers`; until then `missingLambda` answers every invocation with a failure, which
 * the SNS delivery log records (subscriptions to functions fail visibly, never silently).
 * `invoke` gets the function ARN and the event JSON (`{"Records":[{"EventSource":"aws:sns",…}]}`),
 * invoked asynchronously as AWS does (InvocationType Event).
 */
export interface LambdaInvoker {
  invoke(functionArn: string, event: string): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
}

export const missingLambda: LambdaInvoker = {
  async invoke(functionArn) {
    return { ok: false, code: 'NO_RESOURCE', message: `Function not found: ${functionArn} (amiwatch has no Lambda service in this build)` };
  },
};
