import type { Delivery } from '../api/control.js';
import { ResourceLink } from './resource-link.js';
import { Badge } from './ui.js';

/**
 * One delivery as table cells — target (linked, with its last error and next attempt), status,
 * attempts — on the Events page and on a rule's page. `rule` names the rule in front of the
 * target where the table mixes rules.
 */
export function DeliveryCells({ d, rule }: { d: Delivery; rule?: string }) {
  return (
    <>
      <td class="wrap">
        {rule && <b>{rule} → </b>}
        {d.targetId} → <ResourceLink value={d.targetArn} />
        {d.lastError && <div class="error">{d.lastError}</div>}
        {d.nextAttemptAt && <div class="hint">next attempt {new Date(d.nextAttemptAt).toLocaleTimeString()}</div>}
      </td>
      <td>
        <Badge state={d.status} />
      </td>
      <td>{d.attempts}</td>
    </>
  );
}
