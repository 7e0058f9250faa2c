import { AddPermissionCommand, GetPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { grantInvoke as grant, type PolicyApi, type PolicyStatement } from '@amiwatch/shared';

export { isFunctionArn } from '@amiwatch/shared';

/**
 * An init file's rule with a Lambda target gets the permission AWS's console would add (and
 * amiwatch's console adds): a statement in the function's policy letting events.amazonaws.com
 * invoke it for the rule. The file has no way to say it, and without it every delivery fails
 * with NO_PERMISSIONS. The statement ids and the "already allowed" check are the console's and
 * the server's own, from @amiwatch/shared; this file only supplies the SDK calls.
 */
function sdkPolicyApi(client: LambdaClient): PolicyApi {
  return {
    async getPolicy(functionName) {
      try {
        const { Policy } = await client.send(new GetPolicyCommand({ FunctionName: functionName }));
        return (JSON.parse(Policy ?? '{}') as { Statement?: PolicyStatement[] }).Statement ?? [];
      } catch (err) {
        // No policy yet, or no function: AddPermission then says which in its own words.
        if ((err as { name?: string }).name === 'ResourceNotFoundException') return [];
        throw err;
      }
    },
    async addPermission(functionName, input) {
      await client.send(new AddPermissionCommand({ FunctionName: functionName, ...input }));
    },
  };
}

/** Lets the rule invoke the function unless its policy already does (a second start with the same file, or the user's own statement). */
export const grantInvoke = (client: LambdaClient, functionArn: string, ruleArn: string, targetId: string): Promise<'present' | 'added'> =>
  grant(sdkPolicyApi(client), functionArn, ruleArn, targetId);
