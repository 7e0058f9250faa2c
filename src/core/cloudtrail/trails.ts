import type {
  CreateTrailRequest,
  CreateTrailResponse,
  DeleteTrailRequest,
  DeleteTrailResponse,
  DescribeTrailsRequest,
  DescribeTrailsResponse,
  GetTrailRequest,
  GetTrailResponse,
  GetTrailStatusRequest,
  GetTrailStatusResponse,
  ListTrailsRequest,
  ListTrailsResponse,
  StartLoggingRequest,
  StartLoggingResponse,
  StopLoggingRequest,
  StopLoggingResponse,
  Trail,
  UpdateTrailRequest,
  UpdateTrailResponse,
} from '@aws-sdk/client-cloudtrail';
import type { CloudTrailStore, TrailRecord } from '../../storage/ports/cloudtrail-store.js';
import { CloudtrailErrors } from '../generated/errors.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { checkBucketName, checkTrailName, trailArn, trailRef } from './trail-names.js';
import type { TrailSet } from './trail-set.js';

/** "Trails per region: 5" (CloudTrail quotas). */
export const MAX_TRAILS_PER_REGION = 5;

/**
 * Trails and their logging state. amiwatch has no S3: a trail's bucket name is checked against
 * S3's naming rules, kept and shown back, and no log files are written — the records go to the
 * event history (LookupEvents) and to the default bus, which is what automations use.
 */
export class Trails {
  constructor(
    private readonly store: CloudTrailStore,
    private readonly set: TrailSet,
    private readonly clock: Clock,
  ) {}

  createTrail(ctx: RequestContext, input: CreateTrailRequest): Promise<CreateTrailResponse> {
    return this.set.exclusive(async () => {
      const name = checkTrailName(input.Name);
      const bucket = checkBucketName(input.S3BucketName);
      if (this.set.find(ctx.accountId, ctx.region, name)) {
        throw CloudtrailErrors.TrailAlreadyExistsException(`Trail ${name} already exists for customer: ${ctx.accountId}`);
      }
      if (this.set.inRegion(ctx.accountId, ctx.region).filter((t) => t.region === ctx.region).length >= MAX_TRAILS_PER_REGION) {
        throw CloudtrailErrors.MaximumNumberOfTrailsExceededException(
          `User: ${ctx.accountId} already has ${MAX_TRAILS_PER_REGION} trails in ${ctx.region}.`,
        );
      }
      if (input.IsOrganizationTrail)
        throw CloudtrailErrors.OrganizationsNotInUseException('This account is not a member of an organization.');
      const trail: TrailRecord = {
        accountId: ctx.accountId,
        region: ctx.region,
        name,
        arn: trailArn(ctx.region, ctx.accountId, name),
        s3BucketName: bucket,
        ...optional(input),
        includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
        isMultiRegionTrail: input.IsMultiRegionTrail ?? false,
        isOrganizationTrail: false,
        logFileValidationEnabled: input.EnableLogFileValidation ?? false,
        tags: (input.TagsList ?? []).map((t) => ({ Key: t.Key!, ...(t.Value !== undefined && { Value: t.Value }) })),
        isLogging: false,
      };
      checkGlobal(trail);
      if (!(await this.store.createTrail(trail)))
        throw CloudtrailErrors.TrailAlreadyExistsException(`Trail ${name} already exists for customer: ${ctx.accountId}`);
      this.set.put(trail);
      const { HomeRegion: _h, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...view } = trailView(trail);
      return view;
    });
  }

  updateTrail(ctx: RequestContext, input: UpdateTrailRequest): Promise<UpdateTrailResponse> {
    return this.set.exclusive(async () => {
      const trail = this.home(ctx, input.Name);
      const next: TrailRecord = {
        ...trail,
        ...optional(input),
        ...(input.S3BucketName !== undefined && { s3BucketName: checkBucketName(input.S3BucketName) }),
        ...(input.IncludeGlobalServiceEvents !== undefined && { includeGlobalServiceEvents: input.IncludeGlobalServiceEvents }),
        ...(input.IsMultiRegionTrail !== undefined && { isMultiRegionTrail: input.IsMultiRegionTrail }),
        ...(input.EnableLogFileValidation !== undefined && { logFileValidationEnabled: input.EnableLogFileValidation }),
      };
      if (input.IsOrganizationTrail)
        throw CloudtrailErrors.OrganizationsNotInUseException('This account is not a member of an organization.');
      checkGlobal(next);
      await this.write(next, trail);
      const { HomeRegion: _h, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...view } = trailView(next);
      return view;
    });
  }

  deleteTrail(ctx: RequestContext, input: DeleteTrailRequest): Promise<DeleteTrailResponse> {
    return this.set.exclusive(async () => {
      const trail = this.home(ctx, input.Name);
      await this.store.deleteTrail(trail.accountId, trail.region, trail.name);
      this.set.remove(trail);
      return {};
    });
  }

  startLogging(ctx: RequestContext, input: StartLoggingRequest): Promise<StartLoggingResponse> {
    return this.logging(ctx, input.Name, true);
  }

  stopLogging(ctx: RequestContext, input: StopLoggingRequest): Promise<StopLoggingResponse> {
    return this.logging(ctx, input.Name, false);
  }

  async describeTrails(ctx: RequestContext, input: DescribeTrailsRequest): Promise<DescribeTrailsResponse> {
    const shadows = input.includeShadowTrails ?? true;
    let trails = this.set.inRegion(ctx.accountId, ctx.region).filter((t) => shadows || t.region === ctx.region);
    const names = input.trailNameList ?? [];
    // Names that match nothing are left out, as CloudTrail does; an ARN matches its trail only.
    if (names.length > 0) trails = trails.filter((t) => names.includes(t.name) || names.includes(t.arn));
    return { trailList: trails.map(trailView) };
  }

  async getTrail(ctx: RequestContext, input: GetTrailRequest): Promise<GetTrailResponse> {
    return { Trail: trailView(this.visible(ctx, input.Name)) };
  }

  async listTrails(ctx: RequestContext, _input: ListTrailsRequest): Promise<ListTrailsResponse> {
    return { Trails: this.set.ofAccount(ctx.accountId).map((t) => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.region })) };
  }

  async getTrailStatus(ctx: RequestContext, input: GetTrailStatusRequest): Promise<GetTrailStatusResponse> {
    const t = this.visible(ctx, input.Name);
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    return {
      IsLogging: t.isLogging,
      ...(t.startLoggingTime !== undefined && {
        StartLoggingTime: new Date(t.startLoggingTime),
        TimeLoggingStarted: iso(t.startLoggingTime),
      }),
      ...(t.stopLoggingTime !== undefined && { StopLoggingTime: new Date(t.stopLoggingTime), TimeLoggingStopped: iso(t.stopLoggingTime) }),
    };
  }

  private logging(ctx: RequestContext, nameOrArn: string | undefined, on: boolean): Promise<object> {
    return this.set.exclusive(async () => {
      const trail = this.home(ctx, nameOrArn);
      const now = this.clock.now();
      await this.write({ ...trail, isLogging: on, ...(on ? { startLoggingTime: now } : { stopLoggingTime: now }) }, trail);
      return {};
    });
  }

  private async write(next: TrailRecord, prev: TrailRecord): Promise<void> {
    if (!(await this.store.updateTrail(next))) throw notFound(prev.arn, prev.accountId);
    this.set.put(next);
  }

  /** The trail as seen from the caller's region: its own, or a multi-region trail's shadow. */
  private visible(ctx: RequestContext, nameOrArn: string | undefined): TrailRecord {
    const ref = trailRef(ctx, nameOrArn);
    const found = ref.accountId === ctx.accountId ? this.set.find(ref.accountId, ref.region ?? ctx.region, ref.name) : undefined;
    if (!found || (found.region !== ctx.region && !found.isMultiRegionTrail)) throw notFound(nameOrArn!, ctx.accountId);
    return found;
  }

  /** A trail changed only from its home region (InvalidHomeRegionException elsewhere). */
  private home(ctx: RequestContext, nameOrArn: string | undefined): TrailRecord {
    const trail = this.visible(ctx, nameOrArn);
    if (trail.region !== ctx.region) {
      throw CloudtrailErrors.InvalidHomeRegionException(
        `This operation is not allowed in region ${ctx.region}: the trail's home region is ${trail.region}.`,
      );
    }
    return trail;
  }
}

const notFound = (nameOrArn: string, accountId: string) =>
  CloudtrailErrors.TrailNotFoundException(`Unknown trail: ${nameOrArn} for the user: ${accountId}`);

/** A multi-region trail must include global service events (CloudTrail's InvalidParameterCombinationException). */
function checkGlobal(t: TrailRecord): void {
  if (t.isMultiRegionTrail && !t.includeGlobalServiceEvents) {
    throw CloudtrailErrors.InvalidParameterCombinationException('Multi-Region trail must include global service events.');
  }
}

function optional(input: CreateTrailRequest | UpdateTrailRequest): Partial<TrailRecord> {
  return {
    ...(input.S3KeyPrefix !== undefined && { s3KeyPrefix: input.S3KeyPrefix }),
    ...(input.SnsTopicName !== undefined && { snsTopicName: input.SnsTopicName }),
    ...(input.CloudWatchLogsLogGroupArn !== undefined && { cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn }),
    ...(input.CloudWatchLogsRoleArn !== undefined && { cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn }),
    ...(input.KmsKeyId !== undefined && { kmsKeyId: input.KmsKeyId }),
  };
}

export function trailView(t: TrailRecord): Trail {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...(t.s3KeyPrefix !== undefined && { S3KeyPrefix: t.s3KeyPrefix }),
    ...(t.snsTopicName !== undefined && {
      SnsTopicName: t.snsTopicName,
      SnsTopicARN: `arn:aws:sns:${t.region}:${t.accountId}:${t.snsTopicName}`,
    }),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    HomeRegion: t.region,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...(t.cloudWatchLogsLogGroupArn !== undefined && { CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn }),
    ...(t.cloudWatchLogsRoleArn !== undefined && { CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn }),
    ...(t.kmsKeyId !== undefined && { KmsKeyId: t.kmsKeyId }),
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}
