import {
  positionBefore,
  type LogEventQuery,
  type LogEventRecord,
  type LogGroupRecord,
  type LogScope,
  type LogsStore,
  type LogStreamRecord,
  type NewLogEvent,
} from '../ports/logs-store.js';

interface GroupState {
  group: LogGroupRecord;
  readonly streams: Map<string, LogStreamRecord>;
  /** Kept in (timestamp, seq) order. */
  events: LogEventRecord[];
}

const key = (s: LogScope, name: string) => `${s.accountId}\u0000${s.region}\u0000${name}`;

/** LogsStore in memory (`--in-memory`, tests). */
export class MemoryLogsStore implements LogsStore {
  private readonly groups = new Map<string, GroupState>();
  private seq = 0;

  async getGroup(scope: LogScope, name: string) {
    return this.groups.get(key(scope, name))?.group;
  }
  async listGroups(scope: LogScope) {
    return [...this.groups.values()]
      .map((g) => g.group)
      .filter((g) => g.accountId === scope.accountId && g.region === scope.region)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  async listRetainedGroups() {
    return [...this.groups.values()].map((g) => g.group).filter((g) => g.retentionInDays !== null);
  }
  async putGroup(group: LogGroupRecord) {
    const state = this.groups.get(key(group, group.name));
    if (state) state.group = group;
    else this.groups.set(key(group, group.name), { group, streams: new Map(), events: [] });
  }
  async deleteGroup(scope: LogScope, name: string) {
    return this.groups.delete(key(scope, name));
  }
  async getStream(scope: LogScope, group: string, name: string) {
    return this.groups.get(key(scope, group))?.streams.get(name);
  }
  async listStreams(scope: LogScope, group: string) {
    return [...(this.groups.get(key(scope, group))?.streams.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  async putStream(stream: LogStreamRecord) {
    this.groups.get(key(stream, stream.group))?.streams.set(stream.name, stream);
  }
  async deleteStream(scope: LogScope, group: string, name: string) {
    const state = this.groups.get(key(scope, group));
    if (!state?.streams.delete(name)) return false;
    state.events = state.events.filter((e) => e.stream !== name);
    return true;
  }
  async appendEvents(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestionTime: number) {
    const state = this.groups.get(key(stream, stream.group));
    if (!state) return;
    state.streams.set(stream.name, stream);
    for (const e of events) {
      const record: LogEventRecord = { timestamp: e.timestamp, message: e.message, stream: stream.name, ingestionTime, seq: ++this.seq };
      // Binary search for the insertion point: events mostly arrive in order, at the end.
      let lo = 0;
      let hi = state.events.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (positionBefore(record, state.events[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      state.events.splice(lo, 0, record);
    }
  }
  async queryEvents(scope: LogScope, q: LogEventQuery) {
    const events = this.groups.get(key(scope, q.group))?.events ?? [];
    const streams = q.streams ? new Set(q.streams) : null;
    const keep = (e: LogEventRecord) =>
      (!streams || streams.has(e.stream)) &&
      (q.start === undefined || e.timestamp >= q.start) &&
      (q.end === undefined || e.timestamp <= q.end) &&
      (!q.after || positionBefore(q.after, e)) &&
      (!q.before || positionBefore(e, q.before));
    const out: LogEventRecord[] = [];
    if (q.descending) {
      for (let i = events.length - 1; i >= 0 && out.length < q.limit; i--) if (keep(events[i]!)) out.push(events[i]!);
    } else {
      for (let i = 0; i < events.length && out.length < q.limit; i++) if (keep(events[i]!)) out.push(events[i]!);
    }
    return out;
  }
  async expireEvents(scope: LogScope, group: string, before: number) {
    const state = this.groups.get(key(scope, group));
    if (!state) return 0;
    const n = state.events.length;
    state.events = state.events.filter((e) => e.timestamp >= before);
    return n - state.events.length;
  }
  close() {}
}
