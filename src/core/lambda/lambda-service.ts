import type {
  AddPermissionRequest,
  AddPermissionResponse,
  CreateFunctionRequest,
  DeleteFunctionRequest,
  FunctionConfiguration,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  GetPolicyRequest,
  GetPolicyResponse,
  ListFunctionsRequest,
  ListFunctionsResponse,
  RemovePermissionRequest,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import type { FunctionRecord, LambdaStore } from '../../storage/ports/lambda-store.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { RequestContext } from '../shared/request-context.js';
import { checkZip } from './code-package.js';
import { authorizeFunction } from './function-access.js';
import { conflict, invalidParameter, notFound, preconditionFailed, validation } from './errors.js';
import {
  checkDeadLetterArn,
  checkDescription,
  checkEnvironment,
  checkHandler,
  checkMemory,
  checkRole,
  checkTimeout,
  configurationView,
  lastModified,
} from './function-config.js';
import { policyDocument, statementFor } from './function-policy.js';
import { functionArn, newFunctionRef, resolveFunction, splitQualifier, type FunctionRef } from './names.js';
import { resolveQualified, VERSION, type Resolved } from './qualifiers.js';
import { checkRuntime } from './runtimes.js';
import type { FunctionRunner } from './runner.js';
import { LambdaErrors } from '../generated/errors.js';

export interface LambdaFunctionsOptions {
  readonly store: LambdaStore;
  readonly runner: FunctionRunner;
  readonly clock: Clock;
  readonly random: Random;
  /** The Node.js that runs the functions (named in the unsupported-runtime error). */
  readonly nodeVersion: string;
  /** Told when a function is deleted (its log goes with it). */
  readonly onDeleted?: (arn: string) => void;
}

/**
 * Lambda's function resources: create, read, list, update, delete, and the resource policy, one
 * method per AWS operation taking `(ctx, input)` with the SDK's Request types (FunctionName may be
 * a name, a partial ARN or an ARN; the wire layer fills it from the path).
 * Writes to one function are serialised (a read-modify-write per call), so two AddPermission
 * calls racing on one function both land. Invocation is in `invocations.ts`.
 */
export class LambdaFunctions {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly o: LambdaFunctionsOptions) {}

  async createFunction(ctx: RequestContext, input: CreateFunctionRequest): Promise<FunctionConfiguration> {
    const { name, accountId, region } = newFunctionRef(ctx, input.FunctionName);
    if (input.PackageType === 'Image')
      throw invalidParameter('amiwatch runs .zip packages only (PackageType Zip): container images are not supported.');
    const runtime = checkRuntime(input.Runtime, this.o.nodeVersion);
    const handler = checkHandler(input.Handler);
    const role = checkRole(input.Role);
    const timeoutSeconds = checkTimeout(input.Timeout);
    const memoryMb = checkMemory(input.MemorySize);
    const environment = checkEnvironment(input.Environment?.Variables);
    const code = checkZip(input.Code?.ZipFile, { S3Bucket: input.Code?.S3Bucket, ImageUri: input.Code?.ImageUri }, 'CreateFunction');
    const record: FunctionRecord = {
      accountId,
      region,
      name,
      arn: functionArn(region, accountId, name),
      runtime,
      handler,
      role,
      description: checkDescription(input.Description),
      timeoutSeconds,
      memoryMb,
      environment,
      architectures: input.Architectures ?? ['x86_64'],
      codeSha256: code.sha256,
      codeSize: code.size,
      lastModified: lastModified(this.o.clock.now()),
      revisionId: this.o.random.uuid(),
      tags: input.Tags ?? {},
      policy: [],
      ...(checkDeadLetterArn(input.DeadLetterConfig?.TargetArn) && { deadLetterArn: input.DeadLetterConfig!.TargetArn! }),
    };
    if (!(await this.o.store.createFunction(record, code.zip))) throw conflict(`Function already exist: ${name}`);
    return configurationView(record);
  }

  async getFunction(ctx: RequestContext, input: GetFunctionRequest): Promise<GetFunctionResponse> {
    const r = (await this.resolved(ctx, input.FunctionName!, input.Qualifier, 'GetFunction')).run;
    return {
      Configuration: configurationView(r),
      // There is no S3 presigned URL to give; the control API serves the zip itself.
      Code: { RepositoryType: 'S3', Location: `/_amiwatch/functions/${r.name}/code?account=${r.accountId}&region=${r.region}` },
      ...(Object.keys(r.tags).length > 0 && { Tags: r.tags }),
      ...(r.reservedConcurrency !== undefined && { Concurrency: { ReservedConcurrentExecutions: r.reservedConcurrency } }),
    };
  }

  async getFunctionConfiguration(ctx: RequestContext, input: GetFunctionConfigurationRequest): Promise<FunctionConfiguration> {
    return configurationView((await this.resolved(ctx, input.FunctionName!, input.Qualifier, 'GetFunctionConfiguration')).run);
  }

  async listFunctions(ctx: RequestContext, input: ListFunctionsRequest): Promise<ListFunctionsResponse> {
    const { Marker: marker, MaxItems: maxItems } = input;
    // MaxItems is 1–10,000 (the API model's MaxListItems); a page holds at most 50 however many are asked for.
    if (maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)) {
      throw validation(
        `Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems > 10_000 ? 'less than or equal to 10000' : 'greater than or equal to 1'}`,
      );
    }
    const limit = Math.min(maxItems ?? 50, 50);
    const page = await this.o.store.listFunctions(ctx.accountId, ctx.region, marker || undefined, limit + 1);
    const more = page.length > limit;
    const functions = page.slice(0, limit);
    return { Functions: functions.map(configurationView), ...(more && { NextMarker: functions[functions.length - 1]!.name }) };
  }

  async deleteFunction(ctx: RequestContext, input: DeleteFunctionRequest): Promise<void> {
    const { ref, qualifier } = splitQualifier(ctx, input.FunctionName!, input.Qualifier);
    // The caller first (a version of another account's function is refused before anything is looked up).
    const found = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
    if (!found) throw notFound(arnOf(ref) + (qualifier && qualifier !== '$LATEST' ? `:${qualifier}` : ''));
    authorizeFunction(ctx, found, 'DeleteFunction', qualifier);
    if (qualifier !== undefined && qualifier !== '$LATEST') return this.deleteVersion(ref, qualifier);
    if (qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    await this.locked(ref, async () => {
      const versions = await this.o.store.listVersions(ref.accountId, ref.region, ref.name);
      if (!(await this.o.store.deleteFunction(ref.accountId, ref.region, ref.name))) throw notFound(arnOf(ref));
      this.o.runner.retire(arnOf(ref));
      // Each published version runs in processes of its own: they go with the function.
      for (const v of versions) this.o.runner.retire(`${arnOf(ref)}:${v.version}`);
      this.o.onDeleted?.(arnOf(ref));
    });
  }

  async updateFunctionCode(ctx: RequestContext, input: UpdateFunctionCodeRequest): Promise<FunctionConfiguration> {
    const code = checkZip(input.ZipFile, { S3Bucket: input.S3Bucket, ImageUri: input.ImageUri }, 'UpdateFunctionCode');
    return this.update(
      ctx,
      'UpdateFunctionCode',
      input.FunctionName!,
      input.RevisionId,
      (r) => ({ ...r, codeSha256: code.sha256, codeSize: code.size }),
      code.zip,
    );
  }

  async updateFunctionConfiguration(ctx: RequestContext, input: UpdateFunctionConfigurationRequest): Promise<FunctionConfiguration> {
    return this.update(ctx, 'UpdateFunctionConfiguration', input.FunctionName!, input.RevisionId, (r) => ({
      ...r,
      ...(input.Runtime !== undefined && { runtime: checkRuntime(input.Runtime, this.o.nodeVersion) }),
      ...(input.Handler !== undefined && { handler: checkHandler(input.Handler) }),
      ...(input.Role !== undefined && { role: checkRole(input.Role) }),
      ...(input.Timeout !== undefined && { timeoutSeconds: checkTimeout(input.Timeout) }),
      ...(input.MemorySize !== undefined && { memoryMb: checkMemory(input.MemorySize) }),
      ...(input.Environment !== undefined && { environment: checkEnvironment(input.Environment.Variables) }),
      ...(input.Description !== undefined && { description: checkDescription(input.Description) }),
      ...(input.DeadLetterConfig !== undefined && { deadLetterArn: checkDeadLetterArn(input.DeadLetterConfig.TargetArn) }),
    }));
  }

  async addPermission(ctx: RequestContext, input: AddPermissionRequest): Promise<AddPermissionResponse> {
    let statement = '';
    const q = await this.policyQualifier(ctx, 'AddPermission', input.FunctionName!, input.Qualifier);
    if (q !== undefined) {
      await this.update(ctx, 'AddPermission', input.FunctionName!, input.RevisionId, (r) => {
        const own = r.qualifierPolicies?.[q] ?? [];
        const s = statementFor({ ...r, arn: `${r.arn}:${q}`, policy: own }, input);
        statement = JSON.stringify(s);
        return { ...r, qualifierPolicies: { ...r.qualifierPolicies, [q]: [...own, s] } };
      });
      return { Statement: statement };
    }
    await this.update(ctx, 'AddPermission', input.FunctionName!, input.RevisionId, (r) => {
      const s = statementFor(r, input);
      statement = JSON.stringify(s);
      return { ...r, policy: [...r.policy, s] };
    });
    return { Statement: statement };
  }

  async removePermission(ctx: RequestContext, input: RemovePermissionRequest): Promise<void> {
    const { StatementId: statementId, RevisionId: revisionId } = input;
    const q = await this.policyQualifier(ctx, 'RemovePermission', input.FunctionName!, input.Qualifier);
    if (q !== undefined) {
      await this.update(ctx, 'RemovePermission', input.FunctionName!, revisionId, (r) => {
        const own = r.qualifierPolicies?.[q] ?? [];
        if (!own.some((s) => s.Sid === statementId))
          throw LambdaErrors.ResourceNotFoundException(`Statement ${statementId} is not found in resource policy.`);
        return { ...r, qualifierPolicies: { ...r.qualifierPolicies, [q]: own.filter((s) => s.Sid !== statementId) } };
      });
      return;
    }
    await this.update(ctx, 'RemovePermission', input.FunctionName!, revisionId, (r) => {
      if (!r.policy.some((s) => s.Sid === statementId))
        throw LambdaErrors.ResourceNotFoundException(`Statement ${statementId} is not found in resource policy.`);
      return { ...r, policy: r.policy.filter((s) => s.Sid !== statementId) };
    });
  }

  async getPolicy(ctx: RequestContext, input: GetPolicyRequest): Promise<GetPolicyResponse> {
    const { latest, qualifier } = await this.resolved(ctx, input.FunctionName!, input.Qualifier, 'GetPolicy');
    const r = qualifier === '$LATEST' ? latest : { ...latest, policy: latest.qualifierPolicies?.[qualifier] ?? [] };
    if (r.policy.length === 0) throw LambdaErrors.ResourceNotFoundException('The resource you requested does not exist.');
    return { Policy: JSON.stringify(policyDocument(r.policy)), RevisionId: r.revisionId };
  }

  /**
   * What a possibly qualified name runs: `$LATEST`, a version, or an alias's version (`random`
   * routes an alias with a RoutingConfig; omitted, its primary version).
   */
  async resolved(
    ctx: { accountId: string; region: string },
    nameOrArn: string,
    qualifier: string | undefined,
    action: string,
    random?: Random,
  ): Promise<Resolved> {
    const split = splitQualifier(ctx, nameOrArn, qualifier);
    const latest = await this.o.store.getFunction(split.ref.accountId, split.ref.region, split.ref.name);
    if (!latest) throw notFound(arnOf(split.ref) + (split.qualifier && split.qualifier !== '$LATEST' ? `:${split.qualifier}` : ''));
    // The caller is checked before the qualifier is looked up: another account learns nothing of
    // a function's versions and aliases unless a policy lets it in (function-access.ts).
    authorizeFunction(ctx, latest, action, split.qualifier);
    return resolveQualified(this.o.store, latest, split.qualifier, random);
  }

  /** A published version's code (its own zip, kept when $LATEST's changes). */
  versionCode(r: FunctionRecord): Promise<Buffer> {
    return this.o.store.getVersionCode(r.accountId, r.region, r.name, r.version!).then((zip) => {
      if (!zip) throw notFound(`${r.arn}:${r.version}`);
      return zip;
    });
  }

  /** The version or alias a permission call names (checked to exist), or undefined for the function itself. */
  private async policyQualifier(
    ctx: RequestContext,
    action: string,
    name: string,
    qualifier: string | undefined,
  ): Promise<string | undefined> {
    const q = (await this.resolved(ctx, name, qualifier, action)).qualifier;
    return q === '$LATEST' ? undefined : q;
  }

  /** DeleteFunction with a version qualifier: that version goes, unless an alias points at it. */
  private async deleteVersion(ref: FunctionRef, qualifier: string): Promise<void> {
    await this.locked(ref, async () => {
      const latest = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
      if (!latest) throw notFound(arnOf(ref));
      if (!VERSION.test(qualifier))
        throw invalidParameter(
          `Deletion of aliases is not supported through DeleteFunction: use DeleteAlias for ${arnOf(ref)}:${qualifier}.`,
        );
      const users = Object.values(latest.aliases ?? {}).filter(
        (a) => a.functionVersion === qualifier || a.additionalVersionWeights?.[qualifier] !== undefined,
      );
      if (users.length > 0)
        throw conflict(`Unable to delete version because the following aliases reference it: [${users.map((a) => a.name).join(', ')}]`);
      if (!(await this.o.store.deleteVersion(ref.accountId, ref.region, ref.name, qualifier))) throw notFound(`${arnOf(ref)}:${qualifier}`);
      this.o.runner.retire(`${arnOf(ref)}:${qualifier}`);
      if (latest.eventInvokeConfigs?.[qualifier] || latest.qualifierPolicies?.[qualifier]) {
        const { [qualifier]: _c, ...configs } = latest.eventInvokeConfigs ?? {};
        const { [qualifier]: _p, ...policies } = latest.qualifierPolicies ?? {};
        await this.o.store.updateFunction({ ...latest, eventInvokeConfigs: configs, qualifierPolicies: policies });
      }
    });
  }

  /** Runs `work` serialised with the function's other writes (PublishVersion, aliases). */
  serialised<T>(ctx: { accountId: string; region: string }, nameOrArn: string, work: () => Promise<T>): Promise<T> {
    // Only the lock: `work` reads the record through record()/resolved(), which authorize the caller.
    return this.locked(resolveFunction(ctx, nameOrArn), work);
  }

  /**
   * The stored record, if the caller may do `action` (the IAM action's name, e.g. `GetFunction`)
   * on it (function-access.ts); NotFound in Lambda's words when there is none.
   */
  async record(
    ctx: { accountId: string; region: string },
    nameOrArn: string,
    qualifier: string | undefined,
    action: string,
  ): Promise<FunctionRecord> {
    const ref = resolveFunction(ctx, nameOrArn, qualifier);
    const r = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
    if (!r) throw notFound(arnOf(ref));
    return authorizeFunction(ctx, r, action);
  }

  code(r: FunctionRecord): Promise<Buffer> {
    return this.o.store.getCode(r.accountId, r.region, r.name).then((zip) => {
      if (!zip) throw notFound(r.arn);
      return zip;
    });
  }

  /**
   * A read-modify-write of the record for the function's other settings (event invoke
   * configuration, reserved concurrency): serialised with the function's other writes, the
   * RevisionId changes as on Lambda; `change` may throw to refuse. Resolves the new record.
   */
  async modify(
    ctx: { accountId: string; region: string },
    action: string,
    nameOrArn: string,
    change: (r: FunctionRecord) => FunctionRecord,
  ): Promise<FunctionRecord> {
    const { ref, qualifier } = splitQualifier(ctx, nameOrArn);
    return this.locked(ref, async () => {
      const found = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
      if (!found) throw notFound(arnOf(ref));
      const current = authorizeFunction(ctx, found, action, qualifier);
      const next = { ...change(current), revisionId: this.o.random.uuid() };
      if (!(await this.o.store.updateFunction(next))) throw notFound(arnOf(ref));
      return next;
    });
  }

  /** One read-modify-write: a new RevisionId and LastModified; running processes of the old revision retire. */
  private async update(
    ctx: RequestContext,
    action: string,
    nameOrArn: string,
    expectedRevision: string | undefined,
    change: (r: FunctionRecord) => FunctionRecord,
    zip?: Buffer,
  ): Promise<FunctionConfiguration> {
    const ref = splitQualifier(ctx, nameOrArn).ref;
    return this.locked(ref, async () => {
      const found = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
      if (!found) throw notFound(arnOf(ref));
      const current = authorizeFunction(ctx, found, action);
      if (expectedRevision !== undefined && expectedRevision !== current.revisionId) {
        throw preconditionFailed(
          'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
        );
      }
      const next = { ...change(current), lastModified: lastModified(this.o.clock.now()), revisionId: this.o.random.uuid() };
      if (!(await this.o.store.updateFunction(next, zip))) throw notFound(arnOf(ref));
      // A policy change leaves the running code as it is; anything else retires its processes.
      if (fingerprint(next) !== fingerprint(current)) this.o.runner.retire(current.arn);
      return configurationView(next);
    });
  }

  private async locked<T>(ref: FunctionRef, work: () => Promise<T>): Promise<T> {
    const key = arnOf(ref);
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
}

const arnOf = (ref: FunctionRef) => functionArn(ref.region, ref.accountId, ref.name);

/** What a running process depends on: code and the configuration it was started with. */
export const fingerprint = (r: FunctionRecord) =>
  `${r.codeSha256}|${r.runtime}|${r.handler}|${r.timeoutSeconds}|${r.memoryMb}|${JSON.stringify(r.environment)}`;
