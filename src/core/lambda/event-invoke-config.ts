import type {
  DeleteFunctionEventInvokeConfigRequest,
  DestinationConfig,
  FunctionEventInvokeConfig,
  GetFunctionEventInvokeConfigRequest,
  ListFunctionEventInvokeConfigsRequest,
  ListFunctionEventInvokeConfigsResponse,
  PutFunctionEventInvokeConfigRequest,
  UpdateFunctionEventInvokeConfigRequest,
} from '@aws-sdk/client-lambda';
import type { EventInvokeConfigRecord, FunctionRecord } from '../../storage/ports/lambda-store.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { LambdaErrors } from '../generated/errors.js';
import { invalidParameter, validation } from './errors.js';
import type { LambdaFunctions } from './lambda-service.js';

/**
 * Lambda's asynchronous invocation defaults (invocation-async-error-handling): "by default Lambda
 * attempts to run it two more times" and "retains events in a queue for up to six hours".
 * MaximumRetryAttempts is 0–2 and MaximumEventAgeInSeconds 60–21600 (the API model's shapes).
 */
export const DEFAULT_ASYNC_RETRIES = 2;
export const DEFAULT_ASYNC_MAX_AGE_SECONDS = 21_600;

/** The effective settings of one qualifier: the stored configuration with Lambda's defaults. */
export interface AsyncSettings {
  readonly maxRetryAttempts: number;
  readonly maxEventAgeMs: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
}

export function asyncSettings(r: FunctionRecord, qualifier: string): AsyncSettings {
  const c = r.eventInvokeConfigs?.[qualifier];
  return {
    maxRetryAttempts: c?.maximumRetryAttempts ?? DEFAULT_ASYNC_RETRIES,
    maxEventAgeMs: (c?.maximumEventAgeInSeconds ?? DEFAULT_ASYNC_MAX_AGE_SECONDS) * 1000,
    ...(c?.onSuccess && { onSuccess: c.onSuccess }),
    ...(c?.onFailure && { onFailure: c.onFailure }),
  };
}

/** The services a destination may be (invocation-async-retain-records; S3 is on-failure only and not served here). */
const DESTINATION_SERVICES = new Set(['sqs', 'sns', 'lambda', 'events']);

function checkDestination(arn: string | undefined, which: 'onSuccess' | 'onFailure'): string | undefined {
  if (arn === undefined || arn === '') return undefined;
  const parts = arn.split(':');
  const service = parts[2] ?? '';
  if (parts[0] !== 'arn' || parts.length < 6 || !DESTINATION_SERVICES.has(service)) {
    throw invalidParameter(
      `The provided destination config DestinationConfig.${which === 'onSuccess' ? 'OnSuccess' : 'OnFailure'} is invalid: ${arn} is not an Amazon SQS queue, Amazon SNS topic, Lambda function or EventBridge event bus ARN.`,
    );
  }
  if (service === 'events' && !(parts[5] ?? '').startsWith('event-bus/'))
    throw invalidParameter(`The provided destination ${arn} is not an EventBridge event bus ARN.`);
  return arn;
}

/** An integer member within [min, max], in Lambda's ValidationException words; undefined stays undefined. */
export function checkRange(value: number | undefined, member: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min)
    throw validation(
      `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  if (value > max)
    throw validation(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return value;
}

type ConfigInput = Pick<PutFunctionEventInvokeConfigRequest, 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | 'DestinationConfig'>;

/** Put replaces the whole configuration ("If you exclude any settings, they are removed"); Update merges. */
function build(input: ConfigInput, base: EventInvokeConfigRecord | undefined, now: number): EventInvokeConfigRecord {
  const retries = checkRange(input.MaximumRetryAttempts, 'maximumRetryAttempts', 0, 2) ?? base?.maximumRetryAttempts;
  const age = checkRange(input.MaximumEventAgeInSeconds, 'maximumEventAgeInSeconds', 60, 21_600) ?? base?.maximumEventAgeInSeconds;
  const d: DestinationConfig | undefined = input.DestinationConfig;
  const onSuccess = d?.OnSuccess !== undefined ? checkDestination(d.OnSuccess.Destination, 'onSuccess') : base?.onSuccess;
  const onFailure = d?.OnFailure !== undefined ? checkDestination(d.OnFailure.Destination, 'onFailure') : base?.onFailure;
  return {
    ...(retries !== undefined && { maximumRetryAttempts: retries }),
    ...(age !== undefined && { maximumEventAgeInSeconds: age }),
    ...(onSuccess && { onSuccess }),
    ...(onFailure && { onFailure }),
    lastModified: now,
  };
}

export function eventInvokeConfigView(r: FunctionRecord, qualifier: string, c: EventInvokeConfigRecord): FunctionEventInvokeConfig {
  return {
    // LastModified is a timestamp (epoch seconds on the wire); the SDK reads it as a Date.
    LastModified: new Date(c.lastModified),
    FunctionArn: `${r.arn}:${qualifier}`,
    ...(c.maximumRetryAttempts !== undefined && { MaximumRetryAttempts: c.maximumRetryAttempts }),
    ...(c.maximumEventAgeInSeconds !== undefined && { MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds }),
    DestinationConfig: {
      OnSuccess: c.onSuccess ? { Destination: c.onSuccess } : {},
      OnFailure: c.onFailure ? { Destination: c.onFailure } : {},
    },
  };
}

/**
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s): a function's asynchronous invocation
 * settings, kept in its record per qualifier, so they go wherever the function goes (deleted
 * with it, restored with the store).
 */
export class EventInvokeConfigs {
  constructor(
    private readonly functions: LambdaFunctions,
    private readonly clock: Clock,
  ) {}

  async putFunctionEventInvokeConfig(ctx: RequestContext, input: PutFunctionEventInvokeConfigRequest): Promise<FunctionEventInvokeConfig> {
    return this.write(ctx, 'PutFunctionEventInvokeConfig', input.FunctionName!, input.Qualifier, (_current) =>
      build(input, undefined, this.clock.now()),
    );
  }

  async updateFunctionEventInvokeConfig(
    ctx: RequestContext,
    input: UpdateFunctionEventInvokeConfigRequest,
  ): Promise<FunctionEventInvokeConfig> {
    return this.write(ctx, 'UpdateFunctionEventInvokeConfig', input.FunctionName!, input.Qualifier, (current, arn) => {
      if (!current) throw missing(arn);
      return build(input, current, this.clock.now());
    });
  }

  async getFunctionEventInvokeConfig(ctx: RequestContext, input: GetFunctionEventInvokeConfigRequest): Promise<FunctionEventInvokeConfig> {
    const { latest: r, qualifier: q } = await this.functions.resolved(
      ctx,
      input.FunctionName!,
      input.Qualifier,
      'GetFunctionEventInvokeConfig',
    );
    const c = r.eventInvokeConfigs?.[q];
    if (!c) throw missing(`${r.arn}:${q}`);
    return eventInvokeConfigView(r, q, c);
  }

  async deleteFunctionEventInvokeConfig(ctx: RequestContext, input: DeleteFunctionEventInvokeConfigRequest): Promise<void> {
    await this.write(ctx, 'DeleteFunctionEventInvokeConfig', input.FunctionName!, input.Qualifier, (current, arn) => {
      if (!current) throw missing(arn);
      return null;
    });
  }

  async listFunctionEventInvokeConfigs(
    ctx: RequestContext,
    input: ListFunctionEventInvokeConfigsRequest,
  ): Promise<ListFunctionEventInvokeConfigsResponse> {
    const r = (await this.functions.resolved(ctx, input.FunctionName!, undefined, 'ListFunctionEventInvokeConfigs')).latest;
    const all = Object.entries(r.eventInvokeConfigs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const limit = checkRange(input.MaxItems, 'maxItems', 1, 50) ?? 50;
    const start = input.Marker ? all.findIndex(([q]) => q > input.Marker!) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const more = start >= 0 && start + limit < all.length;
    return {
      FunctionEventInvokeConfigs: page.map(([q, c]) => eventInvokeConfigView(r, q, c)),
      ...(more && { NextMarker: page[page.length - 1]![0] }),
    };
  }

  /** One read-modify-write of a qualifier's configuration; `change` returns null to delete it. */
  private async write(
    ctx: RequestContext,
    action: string,
    name: string,
    qualifier: string | undefined,
    change: (current: EventInvokeConfigRecord | undefined, arn: string) => EventInvokeConfigRecord | null,
  ): Promise<FunctionEventInvokeConfig> {
    const q = (await this.functions.resolved(ctx, name, qualifier, action)).qualifier;
    let view: FunctionEventInvokeConfig = {};
    await this.functions.modify(ctx, action, name, (r) => {
      const configs = { ...(r.eventInvokeConfigs ?? {}) };
      const next = change(configs[q], `${r.arn}:${q}`);
      if (next === null) delete configs[q];
      else {
        configs[q] = next;
        view = eventInvokeConfigView(r, q, next);
      }
      return { ...r, eventInvokeConfigs: configs };
    });
    return view;
  }
}

/** Lambda's answer for a qualifier without a configuration. */
const missing = (qualifiedArn: string) =>
  LambdaErrors.ResourceNotFoundException(`The function ${qualifiedArn} doesn't have an EventInvokeConfig`);
