import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-eventbridge';
import { parseArn } from '../shared/arn.js';
import type { RequestContext } from '../shared/request-context.js';
import type { EventsState } from './events-state.js';
import type { BusDoc, RuleDoc } from './model.js';
import { DEFAULT_BUS } from './names.js';
import { EventsErrors } from '../generated/errors.js';

/** "Maximum number of tags per resource: 50" (tagging quotas). */
const MAX_TAGS = 50;

type Tagged = { kind: 'bus'; doc: BusDoc } | { kind: 'rule'; doc: RuleDoc };

export class EventTags {
  constructor(private readonly state: EventsState) {}

  tagResource(ctx: RequestContext, input: TagResourceRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const res = this.find(ctx, input.ResourceARN!);
      const byKey = new Map(res.doc.tags.map((t) => [t.Key!, t]));
      for (const t of input.Tags ?? []) byKey.set(t.Key!, t);
      if (byKey.size > MAX_TAGS) throw EventsErrors.LimitExceededException('The requested resource exceeds the maximum number allowed.');
      await this.save(res, [...byKey.values()]);
      return {};
    });
  }

  untagResource(ctx: RequestContext, input: UntagResourceRequest): Promise<Record<string, never>> {
    return this.state.exclusive(async () => {
      const res = this.find(ctx, input.ResourceARN!);
      const drop = new Set(input.TagKeys ?? []);
      await this.save(
        res,
        res.doc.tags.filter((t) => !drop.has(t.Key!)),
      );
      return {};
    });
  }

  async listTagsForResource(ctx: RequestContext, input: ListTagsForResourceRequest): Promise<ListTagsForResourceResponse> {
    return { Tags: this.find(ctx, input.ResourceARN!).doc.tags };
  }

  private async save(res: Tagged, tags: Tag[]): Promise<void> {
    if (res.kind === 'bus') await this.state.commit({ putBus: { ...res.doc, tags } });
    else await this.state.commit({ putRules: [{ ...res.doc, tags }] });
  }

  /** Event buses (`event-bus/<name>`) and rules (`rule/<name>`, `rule/<bus>/<name>`) carry tags. */
  private find(ctx: RequestContext, arnText: string): Tagged {
    const arn = parseArn(arnText);
    if (!arn || arn.service !== 'events') {
      throw EventsErrors.ValidationException(`Parameter ${arnText} is not valid. Reason: Provided Arn is not in correct format.`);
    }
    const [type, ...path] = arn.resource.split('/');
    const notFound = () => EventsErrors.ResourceNotFoundException(`Resource ${arnText} does not exist.`);
    if (arn.account !== ctx.accountId || arn.region !== ctx.region) throw notFound();
    if (type === 'event-bus' && path.length === 1) {
      const bus = this.state.bus(arn.account, arn.region, path[0]!);
      if (!bus) throw EventsErrors.ResourceNotFoundException(`Event bus ${path[0]} does not exist.`);
      return { kind: 'bus', doc: bus.doc };
    }
    if (type === 'rule' && (path.length === 1 || path.length === 2)) {
      const [busName, ruleName] = path.length === 1 ? [DEFAULT_BUS, path[0]!] : [path[0]!, path[1]!];
      const bus = this.state.bus(arn.account, arn.region, busName);
      const rule = bus?.rules.get(ruleName);
      if (!rule) throw EventsErrors.ResourceNotFoundException(`Rule ${ruleName} does not exist on EventBus ${busName}.`);
      return { kind: 'rule', doc: rule.doc };
    }
    throw notFound();
  }
}
