import type { LogsStore } from '../../storage/ports/logs-store.js';
import type { Clock } from '../shared/clock.js';
import { LogEvents } from './log-events.js';
import { LogGroups } from './log-groups.js';

/** CloudWatch Logs: groups and streams (log-groups.ts), events (log-events.ts). */
export class LogsService {
  readonly groups: LogGroups;
  readonly events: LogEvents;

  constructor(o: { store: LogsStore; clock: Clock }) {
    this.groups = new LogGroups(o);
    this.events = new LogEvents({ ...o, groups: this.groups });
  }
}
