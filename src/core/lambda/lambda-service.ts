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
import { conflict, invalidParameter, notFound, preconditionFailed, validation } from './errors.js';
import { checkDeadLetterArn, checkDescription, checkEnvironment, checkHandler, checkMemory, checkRole, checkTimeout, configurationView, lastModified } from './function-config.js';
import { policyDocument, statementFor } from './function-policy.js';
import { functionArn, newFunctionRef, resolveFunction, type FunctionRef } from './names.js';
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
    if (input.PackageType === 'Image') throw invalidParameter('amiwatch runs .zip packages only (PackageType Zip): container images are not supported.');
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
    const r = await this.record(ctx, input.FunctionName!, input.Qualifier);
    return {
      Configuration: configurationView(r),
      // There is no S3 presigned URL to give; the control API serves the zip itself.
      Code: { RepositoryType: 'S3', Location: `/_amiwatch/functions/${r.name}/code?account=${r.accountId}&region=${r.region}` },
      ...(Object.keys(r.tags).length > 0 && { Tags: r.tags }),
      ...(r.reservedConcurrency !== undefined && { Concurrency: { ReservedConcurrentExecutions: r.reservedConcurrency } }),
    };
  }

  async getFunctionConfiguration(ctx: RequestContext, input: GetFunctionConfigurationRequest): Promise<FunctionConfiguration> {
    return configurationView(await this.record(ctx, input.FunctionName!, input.Qualifier));
  }

  async listFunctions(ctx: RequestContext, input: ListFunctionsRequest): Promise<ListFunctionsResponse> {
    const { Marker: marker, MaxItems: maxItems } = input;
    // MaxItems is 1–10,000 (the API model's MaxListItems); a page holds at most 50 however many are asked for.
    if (maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000)) {
      throw validation(`Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems > 10_000 ? 'less than or equal to 10000' : 'greater than or equal to 1'}`);
    }
    const limit = Math.min(maxItems ?? 50, 50);
    const page = await this.o.store.listFunctions(ctx.accountId, ctx.region, marker || undefined, limit + 1);
    const more = page.length > limit;
    const functions = page.slice(0, limit);
    return { Functions: functions.map(configurationView), ...(more && { NextMarker: functions[functions.length - 1]!.name }) };
  }

  async deleteFunction(ctx: RequestContext, input: DeleteFunctionRequest): Promise<void> {
    const ref = resolveFunction(ctx, input.FunctionName!, input.Qualifier);
    await this.locked(ref, async () => {
      if (!(await this.o.store.deleteFunction(ref.accountId, ref.region, ref.name))) throw notFound(arnOf(ref));
      this.o.runner.retire(arnOf(ref));
      this.o.onDeleted?.(arnOf(ref));
    });
  }

  async updateFunctionCode(ctx: RequestContext, input: UpdateFunctionCodeRequest): Promise<FunctionConfiguration> {
    const code = checkZip(input.ZipFile, { S3Bucket: input.S3Bucket, ImageUri: input.ImageUri }, 'UpdateFunctionCode');
    return this.update(ctx, input.FunctionName!, input.RevisionId, (r) => ({ ...r, codeSha256: code.sha256, codeSize: code.size }), code.zip);
  }

  async updateFunctionConfiguration(ctx: RequestContext, input: UpdateFunctionConfigurationRequest): Promise<FunctionConfiguration> {
    return this.update(ctx, input.FunctionName!, input.RevisionId, (r) => ({
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
    await this.update(ctx, input.FunctionName!, input.RevisionId, (r) => {
      const s = statementFor(r, input);
      statement = JSON.stringify(s);
      return { ...r, policy: [...r.policy, s] };
    }, undefined, input.Qualifier);
    return { Statement: statement };
  }

  async removePermission(ctx: RequestContext, input: RemovePermissionRequest): Promise<void> {
    const { StatementId: statementId, Qualifier: qualifier, RevisionId: revisionId } = input;
    await this.update(ctx, input.FunctionName!, revisionId, (r) => {
      if (!r.policy.some((s) => s.Sid === statementId)) throw LambdaErrors.ResourceNotFoundException(`Statement ${statementId} is not found in resource policy.`);
      return { ...r, policy: r.policy.filter((s) => s.Sid !== statementId) };
    }, undefined, qualifier);
  }

  async getPolicy(ctx: RequestContext, input: GetPolicyRequest): Promise<GetPolicyResponse> {
    const r = await this.record(ctx, input.FunctionName!, input.Qualifier);
    if (r.policy.length === 0) throw LambdaErrors.ResourceNotFoundException('The resource you requested does not exist.');
    return { Policy: JSON.stringify(policyDocument(r.policy)), RevisionId: r.revisionId };
  }

  /** The stored record; NotFound in Lambda's words when there is none. */
  async record(ctx: { accountId: string; region: string }, nameOrArn: string, qualifier?: string): Promise<FunctionRecord> {
    const ref = resolveFunction(ctx, nameOrArn, qualifier);
    const r = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
    if (!r) throw notFound(arnOf(ref));
    return r;
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
  async modify(ctx: { accountId: string; region: string }, nameOrArn: string, change: (r: FunctionRecord) => FunctionRecord): Promise<FunctionRecord> {
    const ref = resolveFunction(ctx, nameOrArn);
    return this.locked(ref, async () => {
      const current = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
      if (!current) throw notFound(arnOf(ref));
      const next = { ...change(current), revisionId: this.o.random.uuid() };
      if (!(await this.o.store.updateFunction(next))) throw notFound(arnOf(ref));
      return next;
    });
  }

  /** One read-modify-write: a new RevisionId and LastModified; running processes of the old revision retire. */
  private async update(ctx: RequestContext, nameOrArn: string, expectedRevision: string | undefined, change: (r: FunctionRecord) => FunctionRecord, zip?: Buffer, qualifier?: string): Promise<FunctionConfiguration> {
    const ref = resolveFunction(ctx, nameOrArn, qualifier);
    return this.locked(ref, async () => {
      const current = await this.o.store.getFunction(ref.accountId, ref.region, ref.name);
      if (!current) throw notFound(arnOf(ref));
      if (expectedRevision !== undefined && expectedRevision !== current.revisionId) {
        throw preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
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
