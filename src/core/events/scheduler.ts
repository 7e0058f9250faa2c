import type { NewEvent, Store } from '../../storage/store.js';
import type { Clock } from '../shared/clock.js';
import { isoSeconds } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { EventFeed } from './event-feed.js';
import type { EventsState } from './events-state.js';
import { parseSchedule, type Schedule } from './schedule-expression.js';

/**
 * Fires scheduled rules. Each enabled rule with a ScheduleExpression produces, at every tick of
 * its schedule, AWS's "Scheduled Event" (source aws.events, detail-type "Scheduled Event",
 * resources = [rule ARN], detail {}) delivered to that rule's targets only. The event and its
 * deliveries go through the same single store write as PutEvents.
 *
 * Time is the injected clock: `fireDue(now)` is what the server's timer calls and what tests call
 * with a ManualClock. A tick missed while the server was down is not replayed (AWS does not
 * backfill either); the next one fires.
 */
export class RuleScheduler {
  /** Next firing time per rule ARN, for the schedule text it was computed from. */
  private readonly next = new Map<string, { expression: string; schedule: Schedule; at: number | null }>();

  constructor(
    private readonly state: EventsState,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly feed: EventFeed,
  ) {}

  /** Fires every rule whose tick is due at `now`; returns how many events were put. */
  async fireDue(now = this.clock.now()): Promise<number> {
    const batch: NewEvent[] = [];
    const live = new Set<string>();
    for (const bus of this.state.allBuses()) {
      for (const { doc, targetJson } of bus.rules.values()) {
        if (doc.scheduleExpression === undefined || doc.state === 'DISABLED') continue;
        live.add(doc.arn);
        let entry = this.next.get(doc.arn);
        if (!entry || entry.expression !== doc.scheduleExpression) {
          const schedule = parseSchedule(doc.scheduleExpression);
          entry = { expression: doc.scheduleExpression, schedule, at: schedule.next(now) };
          this.next.set(doc.arn, entry);
          continue;
        }
        if (entry.at === null || entry.at > now) continue;
        const event = {
          version: '0',
          id: this.random.uuid(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: doc.account,
          time: isoSeconds(entry.at),
          region: doc.region,
          resources: [doc.arn],
          detail: {},
        };
        batch.push({
          eventId: event.id,
          busArn: bus.doc.arn,
          ingestedAt: now,
          body: JSON.stringify(event),
          rules: [doc.name],
          deliveries: targetJson.map((target) => ({ ruleArn: doc.arn, target, dueAt: now })),
          // Ticks are aligned to the epoch, so every node of a cluster computes the same one: the
          // store keeps the first node's event and drops the others' (fires once per period).
          idempotencyKey: `schedule:${doc.arn}:${entry.at}`,
        });
        entry.at = entry.schedule.next(now);
      }
    }
    for (const arn of this.next.keys()) if (!live.has(arn)) this.next.delete(arn);
    if (batch.length > 0) {
      await this.store.appendEvents(batch);
      this.feed.publishEvents(batch);
    }
    return batch.length;
  }

  /** The earliest upcoming tick, for the server's timer (null: nothing scheduled yet). */
  nextTick(): number | null {
    let min: number | null = null;
    for (const e of this.next.values()) if (e.at !== null && (min === null || e.at < min)) min = e.at;
    return min;
  }
}
