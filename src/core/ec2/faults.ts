import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { ServiceError } from '../shared/service-error.js';
import type { Ec2Store, FaultRuleRecord, TagRecord } from '../../storage/ports/ec2-store.js';
import { wildcardMatches } from './wildcard.js';
import { Ec2Errors } from '../generated/errors.js';

/**
 * Fault injection, so users can exercise their `failed` handling. A rule names an operation (or
 * `*`), optionally an image-name wildcard and/or a tag, and the error message. On the four create
 * operations a matching rule makes the image go `pending` → `failed` (StateReason = the message);
 * on DeregisterImage, EnableImage and DisableImage it makes the call itself fail, so no event is
 * emitted. Independently, a request that tags the new image `amiwatch:fail` = <message> fails
 * that image with that message.
 */
export const failTagKey = 'amiwatch:fail';

export const faultOperations = [
  'CreateImage',
  'CopyImage',
  'RegisterImage',
  'CreateRestoreImageTask',
  'CreateStoreImageTask',
  'DeregisterImage',
  'EnableImage',
  'DisableImage',
  'RunInstances',
  'StopInstances',
  'CreateSnapshot',
  'CopySnapshot',
] as const;
export type FaultOperation = (typeof faultOperations)[number];

/**
 * Instance faults: a RunInstances rule makes the launch fail (pending → shutting-down →
 * terminated, StateReason = the rule's code and message, as AWS reports
 * `Server.InternalError: Internal error on launch`); a StopInstances rule makes the stop slow
 * (`delayMs` in `stopping`; StopInstances with Force cuts it short). Their name pattern matches
 * the instance's `Name` tag. `*` rules stay with the image operations they always meant.
 */
const instanceOperations: readonly string[] = ['RunInstances', 'StopInstances', 'CreateSnapshot', 'CopySnapshot'];

export interface FaultRuleInput {
  operation?: string;
  namePattern?: string;
  tagKey?: string;
  tagValue?: string;
  errorMessage?: string;
  errorCode?: string;
  delayMs?: number;
}

/** What a create operation should do instead of succeeding. */
export interface PlannedFailure {
  code?: string;
  message: string;
  delayMs?: number;
}

const invalid = (message: string): ServiceError => Ec2Errors.ValidationError(message);

export class FaultService {
  constructor(
    private readonly store: Ec2Store,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async add(input: FaultRuleInput): Promise<FaultRuleRecord> {
    const operation = input.operation ?? '*';
    if (operation !== '*' && !(faultOperations as readonly string[]).includes(operation)) {
      throw invalid(`operation must be '*' or one of ${faultOperations.join(', ')}`);
    }
    const slowStop = operation === 'StopInstances';
    if (slowStop && input.delayMs === undefined) throw invalid('delayMs is required for StopInstances (how long the stop takes)');
    if (!slowStop && (typeof input.errorMessage !== 'string' || input.errorMessage.length === 0)) {
      throw invalid('errorMessage is required');
    }
    if (input.delayMs !== undefined && (!Number.isInteger(input.delayMs) || input.delayMs < 0)) {
      throw invalid('delayMs must be a non-negative integer');
    }
    for (const [k, v] of Object.entries({
      namePattern: input.namePattern,
      tagKey: input.tagKey,
      tagValue: input.tagValue,
      errorCode: input.errorCode,
    })) {
      if (v !== undefined && typeof v !== 'string') throw invalid(`${k} must be a string`);
    }
    if (input.tagValue !== undefined && input.tagKey === undefined) throw invalid('tagValue needs tagKey');
    const rule: FaultRuleRecord = {
      id: `fault-${this.random.hex(12)}`,
      operation,
      errorMessage: input.errorMessage ?? 'Slow stop',
      createdAt: this.clock.now(),
      ...(input.namePattern !== undefined && { namePattern: input.namePattern }),
      ...(input.tagKey !== undefined && { tagKey: input.tagKey }),
      ...(input.tagValue !== undefined && { tagValue: input.tagValue }),
      ...(input.errorCode !== undefined && { errorCode: input.errorCode }),
      ...(input.delayMs !== undefined && { delayMs: input.delayMs }),
    };
    await this.store.putFaultRule(rule);
    return rule;
  }

  list(): Promise<FaultRuleRecord[]> {
    return this.store.listFaultRules();
  }

  remove(id: string): Promise<boolean> {
    return this.store.deleteFaultRule(id);
  }

  async clear(): Promise<number> {
    const rules = await this.store.listFaultRules();
    for (const r of rules) await this.store.deleteFaultRule(r.id);
    return rules.length;
  }

  /** The first rule (oldest) that matches, if any. */
  async match(operation: FaultOperation, name: string, tags: readonly TagRecord[]): Promise<FaultRuleRecord | undefined> {
    const rules = await this.store.listFaultRules();
    return rules.find((r) => ruleMatches(r, operation, name, tags));
  }

  /** The failure planned for a new image: the request's `amiwatch:fail` tag first, then rules. */
  async planFailure(operation: FaultOperation, name: string, tags: readonly TagRecord[]): Promise<PlannedFailure | undefined> {
    const tagged = tags.find((t) => t.key === failTagKey);
    if (tagged) return { message: tagged.value || `Failed on request (${failTagKey} tag)` };
    const rule = await this.match(operation, name, tags);
    if (!rule) return undefined;
    return {
      message: rule.errorMessage,
      ...(rule.errorCode !== undefined && { code: rule.errorCode }),
      ...(rule.delayMs !== undefined && { delayMs: rule.delayMs }),
    };
  }

  /** A launch that should fail: the instance's `amiwatch:fail` tag first, then RunInstances rules. */
  async planLaunchFailure(tags: readonly TagRecord[]): Promise<PlannedFailure | undefined> {
    const tagged = tags.find((t) => t.key === failTagKey);
    if (tagged) return { code: 'Server.InternalError', message: tagged.value || 'Server.InternalError: Internal error on launch' };
    const rule = await this.match('RunInstances', nameTag(tags), tags);
    return (
      rule && {
        code: rule.errorCode ?? 'Server.InternalError',
        message: rule.errorMessage,
        ...(rule.delayMs !== undefined && { delayMs: rule.delayMs }),
      }
    );
  }

  /**
   * A snapshot that should end in `error`: its `amiwatch:fail` tag first, then CreateSnapshot or
   * CopySnapshot rules (their name pattern matches the snapshot's `Name` tag).
   */
  planSnapshotFailure(operation: 'CreateSnapshot' | 'CopySnapshot', tags: readonly TagRecord[]): Promise<PlannedFailure | undefined> {
    return this.planFailure(operation, nameTag(tags), tags);
  }

  /** How long a stop takes when a StopInstances rule matches the instance, if one does. */
  async stopDelay(tags: readonly TagRecord[]): Promise<number | undefined> {
    return (await this.match('StopInstances', nameTag(tags), tags))?.delayMs;
  }
}

const nameTag = (tags: readonly TagRecord[]): string => tags.find((t) => t.key === 'Name')?.value ?? '';

function ruleMatches(rule: FaultRuleRecord, operation: string, name: string, tags: readonly TagRecord[]): boolean {
  if (rule.operation === '*' ? instanceOperations.includes(operation) : rule.operation !== operation) return false;
  if (rule.namePattern !== undefined && !wildcardMatches(rule.namePattern, name)) return false;
  if (rule.tagKey !== undefined) {
    const tag = tags.find((t) => t.key === rule.tagKey);
    if (!tag || (rule.tagValue !== undefined && tag.value !== rule.tagValue)) return false;
  }
  return true;
}
