import { authorizeFunction } from './function-access.js';
import type {
  FunctionConfiguration,
  ListVersionsByFunctionRequest,
  ListVersionsByFunctionResponse,
  PublishVersionRequest,
} from '@aws-sdk/client-lambda';
import type { FunctionRecord, LambdaStore } from '../../storage/ports/lambda-store.js';
import type { RequestContext } from '../shared/request-context.js';
import { checkDescription, configurationView } from './function-config.js';
import { conflict, invalidParameter, notFound, preconditionFailed, validation } from './errors.js';
import { fingerprint, type LambdaFunctions } from './lambda-service.js';
import { resolveFunction } from './names.js';

/**
 * PublishVersion and ListVersionsByFunction. A version is an immutable snapshot of `$LATEST`'s
 * code and configuration, numbered 1, 2, … (never reused, even after a version is deleted), kept
 * with its own copy of the code so that later UpdateFunctionCode calls leave it as it was.
 */
export class FunctionVersions {
  constructor(
    private readonly functions: LambdaFunctions,
    private readonly store: LambdaStore,
  ) {}

  async publishVersion(ctx: RequestContext, input: PublishVersionRequest): Promise<FunctionConfiguration> {
    const ref = resolveFunction(ctx, input.FunctionName!);
    return this.functions.serialised(ctx, input.FunctionName!, async () => {
      const latest = await this.store.getFunction(ref.accountId, ref.region, ref.name);
      if (!latest) throw notFound(`arn:aws:lambda:${ref.region}:${ref.accountId}:function:${ref.name}`);
      authorizeFunction(ctx, latest, 'PublishVersion');
      // "Only publish a version if the hash value matches the value that's specified" (PublishVersion CodeSha256).
      if (input.CodeSha256 !== undefined && input.CodeSha256 !== latest.codeSha256) {
        throw invalidParameter(
          `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). Please try again with the current CodeSHA256.`,
        );
      }
      if (input.RevisionId !== undefined && input.RevisionId !== latest.revisionId) {
        throw preconditionFailed(
          'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        );
      }
      // "Lambda doesn't publish a version if the function's configuration and code haven't changed
      // since the last version": the last version is answered instead.
      const last = latest.lastVersion
        ? await this.store.getVersion(ref.accountId, ref.region, ref.name, String(latest.lastVersion))
        : undefined;
      if (last && fingerprint(last) === fingerprint(latest) && last.deadLetterArn === latest.deadLetterArn) return configurationView(last);
      const number = (latest.lastVersion ?? 0) + 1;
      const snapshot: FunctionRecord = {
        ...snapshotOf(latest),
        version: String(number),
        description: input.Description !== undefined ? checkDescription(input.Description) : latest.description,
      };
      const zip = await this.functions.code(latest);
      if (!(await this.store.publishVersion({ ...latest, lastVersion: number }, snapshot, zip))) {
        throw conflict(`Version ${number} of ${latest.arn} could not be published: try again.`);
      }
      return configurationView(snapshot);
    });
  }

  async listVersionsByFunction(ctx: RequestContext, input: ListVersionsByFunctionRequest): Promise<ListVersionsByFunctionResponse> {
    const latest = await this.functions.record(ctx, input.FunctionName!, undefined, 'ListVersionsByFunction');
    const max = input.MaxItems;
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10_000)) {
      throw validation(
        `Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value ${max > 10_000 ? 'less than or equal to 10000' : 'greater than or equal to 1'}`,
      );
    }
    const all = [latest, ...(await this.store.listVersions(latest.accountId, latest.region, latest.name))];
    const limit = Math.min(max ?? 50, 50);
    const start = input.Marker ? all.findIndex((r) => (r.version ?? '$LATEST') === input.Marker) + 1 : 0;
    const page = start <= 0 && input.Marker ? [] : all.slice(start, start + limit);
    const more = start + limit < all.length && page.length > 0;
    return { Versions: page.map(configurationView), ...(more && { NextMarker: page[page.length - 1]!.version ?? '$LATEST' }) };
  }
}

/** What a version keeps of `$LATEST`: code and configuration; not its policies, aliases, settings. */
function snapshotOf(latest: FunctionRecord): FunctionRecord {
  const { lastVersion: _l, aliases: _a, qualifierPolicies: _q, eventInvokeConfigs: _e, reservedConcurrency: _r, ...rest } = latest;
  return { ...rest, policy: [] };
}
