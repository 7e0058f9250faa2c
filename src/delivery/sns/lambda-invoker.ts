/**
 * The seam for SNS → Lambda, implemented by the server with the Lambda service (src/server/app.ts)
 * and passed to `SnsEndpointDrivers`. `invoke` gets the function ARN, the event JSON
 * (`{"Records":[{"EventSource":"aws:sns",…}]}`) and the topic ARN: SNS calls as
 * `sns.amazonaws.com` with the topic as its source ARN, which the function's resource policy
 * checks (`aws lambda add-permission --principal sns.amazonaws.com --source-arn TOPIC_ARN`).
 * Invoked asynchronously as AWS does (InvocationType Event). `missingLambda`, for servers built
 * without Lambda (some tests), fails every invocation so that the delivery log shows it.
 */
export interface LambdaInvoker {
  invoke(functionArn: string, event: string, topicArn: string): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
}

export const missingLambda: LambdaInvoker = {
  async invoke(functionArn) {
    return { ok: false, code: 'NO_RESOURCE', message: `Function not found: ${functionArn} (amiwatch has no Lambda service in this build)` };
  },
};
