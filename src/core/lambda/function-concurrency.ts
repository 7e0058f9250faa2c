import type {
  Concurrency,
  DeleteFunctionConcurrencyRequest,
  GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse,
  PutFunctionConcurrencyRequest,
} from '@aws-sdk/client-lambda';
import type { LambdaStore } from '../../storage/ports/lambda-store.js';
import type { RequestContext } from '../shared/request-context.js';
import { LambdaErrors } from '../generated/errors.js';
import { invalidParameter, validation } from './errors.js';
import type { LambdaFunctions } from './lambda-service.js';

/**
 * Lambda's account concurrency (Lambda quotas: 1,000 concurrent executions per Region by
 * default) of which at least 100 stay unreserved: PutFunctionConcurrency refuses a reservation
 * that would leave less, in Lambda's words.
 */
export const ACCOUNT_CONCURRENCY = 1000;
export const MIN_UNRESERVED = 100;

/** Put/Get/DeleteFunctionConcurrency: the function's reserved concurrency, kept in its record. */
export class FunctionConcurrency {
  constructor(
    private readonly functions: LambdaFunctions,
    private readonly store: LambdaStore,
  ) {}

  async putFunctionConcurrency(ctx: RequestContext, input: PutFunctionConcurrencyRequest): Promise<Concurrency> {
    const value = input.ReservedConcurrentExecutions;
    if (value === undefined || !Number.isInteger(value) || value < 0) {
      throw validation(
        `Value '${value}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0`,
      );
    }
    const target = await this.functions.record(ctx, input.FunctionName!, undefined, 'PutFunctionConcurrency');
    const others = await this.reservedByOthers(target.accountId, target.region, target.name);
    if (ACCOUNT_CONCURRENCY - others - value < MIN_UNRESERVED) {
      throw invalidParameter(
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`,
      );
    }
    await this.functions.modify(ctx, 'PutFunctionConcurrency', input.FunctionName!, (r) => ({ ...r, reservedConcurrency: value }));
    return { ReservedConcurrentExecutions: value };
  }

  async getFunctionConcurrency(ctx: RequestContext, input: GetFunctionConcurrencyRequest): Promise<GetFunctionConcurrencyResponse> {
    const r = await this.functions.record(ctx, input.FunctionName!, undefined, 'GetFunctionConcurrency');
    return r.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: r.reservedConcurrency };
  }

  async deleteFunctionConcurrency(ctx: RequestContext, input: DeleteFunctionConcurrencyRequest): Promise<void> {
    await this.functions.modify(ctx, 'DeleteFunctionConcurrency', input.FunctionName!, (r) => {
      const { reservedConcurrency: _gone, ...rest } = r;
      return rest;
    });
  }

  private async reservedByOthers(accountId: string, region: string, name: string): Promise<number> {
    let sum = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.store.listFunctions(accountId, region, after, 500);
      for (const f of page) if (f.name !== name) sum += f.reservedConcurrency ?? 0;
      if (page.length < 500) return sum;
      after = page[page.length - 1]!.name;
    }
  }
}

/**
 * Running invocations per function, against its reserved concurrency: a function with N
 * reserved runs at most N at once (0 stops it). Synchronous calls beyond it are refused with
 * TooManyRequestsException; asynchronous events wait in the queue (Lambda: "Lambda returns the
 * event to the queue and attempts to run the function again for up to 6 hours").
 */
export class ConcurrencyGate {
  private readonly running = new Map<string, number>();

  /** Takes a slot when the limit allows; false when the function is at its limit. */
  tryAcquire(arn: string, limit: number | undefined): boolean {
    const n = this.running.get(arn) ?? 0;
    if (limit !== undefined && n >= limit) return false;
    this.running.set(arn, n + 1);
    return true;
  }

  release(arn: string): void {
    const n = (this.running.get(arn) ?? 1) - 1;
    if (n <= 0) this.running.delete(arn);
    else this.running.set(arn, n);
  }
}

/** Lambda's answer to a synchronous call beyond the function's reserved concurrency. */
export function throttled(): Error {
  const err = LambdaErrors.TooManyRequestsException('Rate Exceeded.');
  err.extra = { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
  return err;
}
