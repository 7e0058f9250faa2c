import { check } from '@amiwatch/event-pattern';
import type {
  Archive,
  CreateArchiveRequest,
  CreateArchiveResponse,
  DeleteArchiveRequest,
  DeleteArchiveResponse,
  DescribeArchiveRequest,
  DescribeArchiveResponse,
  ListArchivesRequest,
  ListArchivesResponse,
  UpdateArchiveRequest,
  UpdateArchiveResponse,
} from '@aws-sdk/client-eventbridge';
import type { ArchiveStore } from '../../storage/ports/archive-store.js';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import type { RequestContext } from '../shared/request-context.js';
import { ARCHIVE_KIND, MANAGED_BY, archiveArn, archiveRuleName, type ArchiveDoc } from './archive-model.js';
import { DocCollection } from './doc-collection.js';
import type { EventsState } from './events-state.js';
import type { RuleDoc } from './model.js';
import { resolveOwnBus, ruleArn } from './names.js';
import { paginate } from './paging.js';
import { invalidPattern } from './rules.js';
import { EventsErrors } from '../generated/errors.js';

const notFound = (name: string) => EventsErrors.ResourceNotFoundException(`Archive ${name} does not exist.`);

/**
 * The managed rule's pattern: the archive's own (or every event) AND "not a replayed event" —
 * "Replayed events are not sent to an archive" (API_CreateArchive). Being an ordinary rule,
 * it is matched by the bus's one automaton and its deliveries ride the durable outbox.
 */
export function archiveRulePattern(pattern: string | undefined): string {
  const base = pattern === undefined ? {} : (JSON.parse(pattern) as Record<string, unknown>);
  return JSON.stringify({ ...base, 'replay-name': [{ exists: false }] });
}

/**
 * CreateArchive … ListArchives. An archive is a document plus its managed rule
 * `Events-Archive-<name>` on the source bus (visible in ListRules with ManagedBy, as on AWS),
 * whose one target is the archive: the archive transport copies each matched event into the
 * ArchiveStore. Retention pruning runs from `pruneExpired`.
 */
export class EventArchives {
  private constructor(
    private readonly state: EventsState,
    readonly docs: DocCollection<ArchiveDoc>,
    private readonly events: ArchiveStore,
    private readonly clock: Clock,
  ) {}

  static async open(state: EventsState, store: Store, events: ArchiveStore, clock: Clock): Promise<EventArchives> {
    return new EventArchives(state, await DocCollection.load<ArchiveDoc>(store, ARCHIVE_KIND, { follow: true }), events, clock);
  }

  createArchive(ctx: RequestContext, input: CreateArchiveRequest): Promise<CreateArchiveResponse> {
    return this.state.exclusive(async () => {
      const bus = this.sourceBus(ctx, input.EventSourceArn!);
      const name = input.ArchiveName!;
      const arn = archiveArn(ctx.region, ctx.accountId, name);
      if (this.docs.get(arn)) throw EventsErrors.ResourceAlreadyExistsException(`Archive ${name} already exists.`);
      checkPattern(input.EventPattern);
      const doc: ArchiveDoc = {
        name,
        arn,
        account: ctx.accountId,
        region: ctx.region,
        busArn: bus.doc.arn,
        retentionDays: input.RetentionDays ?? 0,
        createdAt: this.clock.now(),
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.EventPattern !== undefined && { eventPattern: input.EventPattern }),
        ...(input.KmsKeyIdentifier !== undefined && { kmsKeyIdentifier: input.KmsKeyIdentifier }),
      };
      await this.state.commit({ putRules: [this.managedRule(doc, bus.doc.name)], resources: [this.docs.writeOf(doc)] });
      this.docs.applyPut(doc);
      return { ArchiveArn: arn, State: 'ENABLED', CreationTime: new Date(doc.createdAt) };
    });
  }

  async describeArchive(ctx: RequestContext, input: DescribeArchiveRequest): Promise<DescribeArchiveResponse> {
    const doc = this.require(ctx, input.ArchiveName!);
    return {
      ...(await this.toApi(doc)),
      ArchiveArn: doc.arn,
      ...(doc.description !== undefined && { Description: doc.description }),
      ...(doc.eventPattern !== undefined && { EventPattern: doc.eventPattern }),
      ...(doc.kmsKeyIdentifier !== undefined && { KmsKeyIdentifier: doc.kmsKeyIdentifier }),
    };
  }

  updateArchive(ctx: RequestContext, input: UpdateArchiveRequest): Promise<UpdateArchiveResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.ArchiveName!);
      checkPattern(input.EventPattern);
      // Members not given keep their value (UpdateArchive changes what it is sent).
      const next: ArchiveDoc = {
        ...doc,
        ...(input.Description !== undefined && { description: input.Description }),
        ...(input.EventPattern !== undefined && { eventPattern: input.EventPattern }),
        ...(input.RetentionDays !== undefined && { retentionDays: input.RetentionDays }),
        ...(input.KmsKeyIdentifier !== undefined && { kmsKeyIdentifier: input.KmsKeyIdentifier }),
      };
      const bus = this.state.bus(doc.account, doc.region, busName(doc));
      await this.state.commit({ ...(bus && { putRules: [this.managedRule(next, bus.doc.name)] }), resources: [this.docs.writeOf(next)] });
      this.docs.applyPut(next);
      return { ArchiveArn: doc.arn, State: 'ENABLED', CreationTime: new Date(doc.createdAt) };
    });
  }

  deleteArchive(ctx: RequestContext, input: DeleteArchiveRequest): Promise<DeleteArchiveResponse> {
    return this.state.exclusive(async () => {
      const doc = this.require(ctx, input.ArchiveName!);
      const rule = this.state.bus(doc.account, doc.region, busName(doc))?.rules.get(archiveRuleName(doc.name));
      await this.state.commit({ ...(rule && { deleteRules: [rule.doc] }), resources: [this.docs.deleteOf(doc)] });
      this.docs.applyDelete(doc);
      await this.events.drop(doc.arn);
      return {};
    });
  }

  async listArchives(ctx: RequestContext, input: ListArchivesRequest): Promise<ListArchivesResponse> {
    const mine = this.docs
      .of(ctx)
      .filter((d) => input.NamePrefix === undefined || d.name.startsWith(input.NamePrefix))
      .filter((d) => input.EventSourceArn === undefined || d.busArn === input.EventSourceArn)
      .filter(() => input.State === undefined || input.State === 'ENABLED');
    const page = paginate(mine, (d) => d.name, input.Limit, input.NextToken);
    const Archives = await Promise.all(page.items.map((d) => this.toApi(d)));
    return { Archives, ...(page.nextToken && { NextToken: page.nextToken }) };
  }

  /** The archive transport's entry: keeps a copy (false when the archive is gone). */
  async archive(arn: string, eventId: string, body: string): Promise<boolean> {
    if (!this.docs.get(arn)) return false;
    const time = Date.parse(String((JSON.parse(body) as { time?: unknown }).time));
    const now = this.clock.now();
    await this.events.append([{ archiveArn: arn, eventId, time: Number.isFinite(time) ? time : now, archivedAt: now, body }]);
    return true;
  }

  /** Retention: forgets events older than each archive's RetentionDays (0 keeps them). */
  async pruneExpired(batch = 10_000): Promise<number> {
    let total = 0;
    const now = this.clock.now();
    for (const doc of this.docs.values()) {
      if (doc.retentionDays > 0) total += await this.events.prune(doc.arn, now - doc.retentionDays * 86_400_000, batch);
    }
    return total;
  }

  require(ctx: RequestContext, name: string): ArchiveDoc {
    const doc = this.docs.get(archiveArn(ctx.region, ctx.accountId, name));
    if (!doc) throw notFound(name);
    return doc;
  }

  private sourceBus(ctx: RequestContext, sourceArn: string) {
    const ref = resolveOwnBus(ctx, sourceArn);
    const bus = this.state.bus(ref.account, ref.region, ref.name);
    if (!bus) throw EventsErrors.ResourceNotFoundException(`Event bus ${ref.name} does not exist.`);
    return bus;
  }

  private managedRule(doc: ArchiveDoc, bus: string): RuleDoc {
    const name = archiveRuleName(doc.name);
    return {
      name,
      arn: ruleArn(doc.region, doc.account, bus, name),
      account: doc.account,
      region: doc.region,
      busName: bus,
      eventPattern: archiveRulePattern(doc.eventPattern),
      state: 'ENABLED',
      createdBy: doc.account,
      managedBy: MANAGED_BY,
      tags: [],
      targets: [{ Id: name, Arn: doc.arn }],
      createdAt: doc.createdAt,
    };
  }

  private async toApi(doc: ArchiveDoc): Promise<Archive> {
    const stats = await this.events.stats(doc.arn);
    return {
      ArchiveName: doc.name,
      EventSourceArn: doc.busArn,
      State: 'ENABLED',
      RetentionDays: doc.retentionDays,
      SizeBytes: stats.sizeBytes,
      EventCount: stats.eventCount,
      CreationTime: new Date(doc.createdAt),
    };
  }
}

function checkPattern(pattern: string | undefined): void {
  if (pattern === undefined) return;
  const reason = check(pattern);
  if (reason !== null) throw invalidPattern(reason);
}

const busName = (doc: ArchiveDoc): string => doc.busArn.slice(doc.busArn.indexOf(':event-bus/') + ':event-bus/'.length);
