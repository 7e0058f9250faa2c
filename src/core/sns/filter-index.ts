import { Matcher } from '@amiwatch/event-pattern';
import { attributesEvent, bodyEvent, FILTER_LIMITS, snsPattern } from './filter-policy.js';
import { messageFor } from './message-format.js';
import type { Notification, SubscriptionDoc } from './model.js';

/** One topic's filter policies compiled together: one automaton per scope. */
interface TopicFilters {
  readonly attributes: Matcher;
  readonly body: Matcher;
  /** Subscription ARN → the scope and policy its entry was compiled from. */
  readonly compiled: Map<string, string>;
}

/**
 * The filter policies of every topic's subscriptions, each topic's in ONE compiled automaton per
 * scope (issue 20: "a subscription's filter is matched in the same compiled automaton as its
 * topic's other subscriptions"): a publish costs one match of the attributes event and one per
 * distinct body, however many subscriptions filter. Entries follow the subscriptions lazily: a
 * policy set, changed or removed is seen at the next publish to its topic.
 */
export class FilterIndex {
  private readonly topics = new Map<string, TopicFilters>();

  /** The subscriptions (of one topic) whose filter policy lets `n` through; those without one pass. */
  passing(topicArn: string, subs: readonly SubscriptionDoc[], n: Notification): SubscriptionDoc[] {
    const filtered = subs.filter((s) => s.attributes.FilterPolicy);
    if (filtered.length === 0) {
      this.topics.delete(topicArn);
      return [...subs];
    }
    const t = this.sync(topicArn, filtered);
    const byAttributes = t.attributes.size > 0 ? new Set(t.attributes.match(attributesEvent(n.attributes))) : new Set<string>();
    const byBody = new Map<string, Set<string>>();
    const bodyMatches = (text: string): Set<string> => {
      let set = byBody.get(text);
      if (!set) {
        const event = bodyEvent(text);
        set = new Set(event && t.body.size > 0 ? t.body.match(event) : []);
        byBody.set(text, set);
      }
      return set;
    };
    return subs.filter((s) => {
      if (!s.attributes.FilterPolicy) return true;
      return isBodyScope(s) ? bodyMatches(messageFor(n, s.protocol)).has(s.arn) : byAttributes.has(s.arn);
    });
  }

  /** Brings a topic's automatons in line with its subscriptions' current policies. */
  private sync(topicArn: string, subs: readonly SubscriptionDoc[]): TopicFilters {
    let t = this.topics.get(topicArn);
    if (!t) {
      t = { attributes: new Matcher({ limits: FILTER_LIMITS }), body: new Matcher({ limits: FILTER_LIMITS }), compiled: new Map() };
      this.topics.set(topicArn, t);
    }
    const present = new Set<string>();
    for (const s of subs) {
      present.add(s.arn);
      const key = `${isBodyScope(s) ? 'body' : 'attributes'}\n${s.attributes.FilterPolicy}`;
      if (t.compiled.get(s.arn) === key) continue;
      t.attributes.remove(s.arn);
      t.body.remove(s.arn);
      t.compiled.set(s.arn, key);
      try {
        (isBodyScope(s) ? t.body : t.attributes).add(s.arn, snsPattern(JSON.parse(s.attributes.FilterPolicy!) as Record<string, unknown>));
      } catch {
        // A policy stored before it was checked as strictly as now matches nothing, as a broken filter would.
      }
    }
    for (const arn of [...t.compiled.keys()]) {
      if (present.has(arn)) continue;
      t.attributes.remove(arn);
      t.body.remove(arn);
      t.compiled.delete(arn);
    }
    return t;
  }
}

const isBodyScope = (s: SubscriptionDoc): boolean => s.attributes.FilterPolicyScope === 'MessageBody';
