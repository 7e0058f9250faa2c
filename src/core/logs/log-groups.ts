import type {
  CreateLogGroupRequest,
  CreateLogStreamRequest,
  DeleteLogGroupRequest,
  DeleteLogStreamRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  LogGroup,
  PutRetentionPolicyRequest,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogGroupRecord, LogsStore, LogStreamRecord } from '../../storage/ports/logs-store.js';
import { LogsErrors } from '../generated/errors.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { groupArn, groupNameOf, page, RETENTION_DAYS, streamView } from './log-views.js';

const groupMissing = () => LogsErrors.ResourceNotFoundException('The specified log group does not exist.');
/** Tags per log group (CloudWatch Logs quotas). */
const MAX_TAGS = 50;

/**
 * Log groups and streams: create, describe, delete, retention, tags — one method per AWS
 * operation with the SDK's types. Texts are CloudWatch Logs' own.
 */
export class LogGroups {
  constructor(private readonly o: { store: LogsStore; clock: Clock }) {}

  async group(ctx: RequestContext, name: string | undefined): Promise<LogGroupRecord> {
    const g = await this.o.store.getGroup(ctx, name ?? '');
    if (!g) throw groupMissing();
    return g;
  }

  async createLogGroup(ctx: RequestContext, input: CreateLogGroupRequest): Promise<void> {
    if (await this.o.store.getGroup(ctx, input.logGroupName!))
      throw LogsErrors.ResourceAlreadyExistsException('The specified log group already exists');
    checkTags(input.tags ?? {});
    await this.o.store.putGroup({
      accountId: ctx.accountId,
      region: ctx.region,
      name: input.logGroupName!,
      creationTime: this.o.clock.now(),
      retentionInDays: null,
      tags: { ...input.tags },
    });
  }

  async deleteLogGroup(ctx: RequestContext, input: DeleteLogGroupRequest): Promise<void> {
    if (!(await this.o.store.deleteGroup(ctx, input.logGroupName!))) throw groupMissing();
  }

  async describeLogGroups(ctx: RequestContext, input: DescribeLogGroupsRequest): Promise<DescribeLogGroupsResponse> {
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw LogsErrors.InvalidParameterException('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    }
    const pattern = input.logGroupNamePattern?.toLowerCase();
    const groups = (await this.o.store.listGroups(ctx)).filter(
      (g) =>
        (input.logGroupNamePrefix === undefined || g.name.startsWith(input.logGroupNamePrefix)) &&
        (pattern === undefined || g.name.toLowerCase().includes(pattern)),
    );
    const { items, nextToken } = page(groups, (g) => g.name, input.limit ?? 50, input.nextToken);
    const logGroups: LogGroup[] = await Promise.all(items.map(async (g) => this.view(g)));
    return { logGroups, ...(nextToken && { nextToken }) };
  }

  private async view(g: LogGroupRecord): Promise<LogGroup> {
    const streams = await this.o.store.listStreams(g, g.name);
    return {
      logGroupName: g.name,
      creationTime: g.creationTime,
      ...(g.retentionInDays !== null && { retentionInDays: g.retentionInDays }),
      metricFilterCount: 0,
      arn: `${groupArn(g)}:*`,
      storedBytes: streams.reduce((n, s) => n + s.storedBytes, 0),
      logGroupClass: 'STANDARD',
      logGroupArn: groupArn(g),
      deletionProtectionEnabled: false,
    };
  }

  async createLogStream(ctx: RequestContext, input: CreateLogStreamRequest): Promise<void> {
    const g = await this.group(ctx, input.logGroupName);
    if (await this.o.store.getStream(ctx, g.name, input.logStreamName!))
      throw LogsErrors.ResourceAlreadyExistsException('The specified log stream already exists');
    await this.o.store.putStream(newStream(g, input.logStreamName!, this.o.clock.now()));
  }

  async deleteLogStream(ctx: RequestContext, input: DeleteLogStreamRequest): Promise<void> {
    const g = await this.group(ctx, input.logGroupName);
    if (!(await this.o.store.deleteStream(ctx, g.name, input.logStreamName!)))
      throw LogsErrors.ResourceNotFoundException('The specified log stream does not exist.');
  }

  async describeLogStreams(ctx: RequestContext, input: DescribeLogStreamsRequest): Promise<DescribeLogStreamsResponse> {
    const g = await this.group(ctx, groupNameOf(input.logGroupName, input.logGroupIdentifier));
    const byTime = input.orderBy === 'LastEventTime';
    if (byTime && input.logStreamNamePrefix !== undefined)
      throw LogsErrors.InvalidParameterException('Cannot order by LastEventTime with a logStreamNamePrefix.');
    let streams = (await this.o.store.listStreams(ctx, g.name)).filter(
      (s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix),
    );
    if (byTime) streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || (a.name < b.name ? -1 : 1));
    if (input.descending) streams = streams.reverse();
    const sortKey = (s: LogStreamRecord, i: number) => (byTime || input.descending ? String(i).padStart(10, '0') : s.name);
    const { items, nextToken } = page(
      streams.map((s, i) => ({ s, i })),
      (x) => sortKey(x.s, x.i),
      input.limit ?? 50,
      input.nextToken,
    );
    return { logStreams: items.map((x) => streamView(g, x.s)), ...(nextToken && { nextToken }) };
  }

  async putRetentionPolicy(ctx: RequestContext, input: PutRetentionPolicyRequest): Promise<void> {
    const days = input.retentionInDays;
    if (days === undefined || !RETENTION_DAYS.includes(days)) {
      throw LogsErrors.InvalidParameterException(
        `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    }
    const g = await this.group(ctx, input.logGroupName);
    await this.o.store.putGroup({ ...g, retentionInDays: days });
  }

  async deleteRetentionPolicy(ctx: RequestContext, input: DeleteRetentionPolicyRequest): Promise<void> {
    const g = await this.group(ctx, input.logGroupName);
    await this.o.store.putGroup({ ...g, retentionInDays: null });
  }

  async tagLogGroup(ctx: RequestContext, input: TagLogGroupRequest): Promise<void> {
    await this.addTags(await this.group(ctx, input.logGroupName), input.tags ?? {});
  }
  async untagLogGroup(ctx: RequestContext, input: UntagLogGroupRequest): Promise<void> {
    await this.removeTags(await this.group(ctx, input.logGroupName), input.tags ?? []);
  }
  async listTagsLogGroup(ctx: RequestContext, input: ListTagsLogGroupRequest): Promise<ListTagsLogGroupResponse> {
    return { tags: { ...(await this.group(ctx, input.logGroupName)).tags } };
  }
  async tagResource(ctx: RequestContext, input: TagResourceRequest): Promise<void> {
    await this.addTags(await this.byArn(ctx, input.resourceArn!), input.tags ?? {});
  }
  async untagResource(ctx: RequestContext, input: UntagResourceRequest): Promise<void> {
    await this.removeTags(await this.byArn(ctx, input.resourceArn!), input.tagKeys ?? []);
  }
  async listTagsForResource(ctx: RequestContext, input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse> {
    return { tags: { ...(await this.byArn(ctx, input.resourceArn!)).tags } };
  }

  /** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (with or without the trailing `:*`). */
  private async byArn(ctx: RequestContext, arn: string): Promise<LogGroupRecord> {
    const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(:\*)?$/.exec(arn);
    if (!m)
      throw LogsErrors.InvalidParameterException(
        `Invalid resource ARN: ${arn}. CloudWatch Logs tags log groups (arn:aws:logs:REGION:ACCOUNT:log-group:NAME).`,
      );
    const g = await this.o.store.getGroup({ region: m[1]!, accountId: m[2]! }, m[3]!);
    if (!g || g.accountId !== ctx.accountId) throw LogsErrors.ResourceNotFoundException(`The specified resource does not exist: ${arn}`);
    return g;
  }

  private async addTags(g: LogGroupRecord, tags: Record<string, string>): Promise<void> {
    const merged = { ...g.tags, ...tags };
    checkTags(merged);
    await this.o.store.putGroup({ ...g, tags: merged });
  }

  private async removeTags(g: LogGroupRecord, keys: readonly string[]): Promise<void> {
    const tags = { ...g.tags };
    for (const k of keys) delete tags[k];
    await this.o.store.putGroup({ ...g, tags });
  }
}

function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw LogsErrors.TooManyTagsException(`A resource can have no more than ${MAX_TAGS} tags.`);
  for (const k of Object.keys(tags))
    if (k.toLowerCase().startsWith('aws:')) throw LogsErrors.InvalidParameterException(`Tag keys beginning with 'aws:' are reserved: ${k}`);
}

export function newStream(g: LogGroupRecord, name: string, now: number): LogStreamRecord {
  return {
    accountId: g.accountId,
    region: g.region,
    group: g.name,
    name,
    creationTime: now,
    firstEventTimestamp: null,
    lastEventTimestamp: null,
    lastIngestionTime: null,
    storedBytes: 0,
  };
}
