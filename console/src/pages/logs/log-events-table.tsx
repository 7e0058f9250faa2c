import type { LogEvent } from '../../api/logs.js';
import { streamHref } from './log-routes.js';

/** Log events, oldest first, each its time and message (and its stream, for a search across streams). */
export function LogEventsTable({ group, events, withStream }: { group: string; events: LogEvent[]; withStream: boolean }) {
  return (
    <div class="table-wrap">
      <table class="log-events">
        <thead>
          <tr>
            <th>Timestamp (UTC)</th>
            {withStream && <th>Log stream</th>}
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={e.eventId ?? `${e.timestamp}-${i}`} data-testid="log-event">
              <td class="time mono">{new Date(e.timestamp).toISOString().replace('T', ' ').replace('Z', '')}</td>
              {withStream && <td class="mono">{e.logStreamName && <a href={streamHref(group, e.logStreamName)}>{e.logStreamName}</a>}</td>}
              <td>
                <pre>{e.message}</pre>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
