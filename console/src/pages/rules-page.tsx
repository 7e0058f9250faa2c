import { useEffect, useState } from 'preact/hooks';
import { allBusNames, eventbridge, listRules, listTargets, type Rule } from '../api/eventbridge.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { usePaged } from '../components/use-paged.js';
import { ResourceLink } from '../components/resource-link.js';
import { go } from '../router.js';

/** Rules of one bus: state, pattern, targets; enable, disable, edit, delete; "Create rule". */
export function RulesPage({ bus = 'default' }: { bus?: string | undefined }) {
  const [buses, setBuses] = useState<string[]>([bus]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void allBusNames().then(setBuses, setError), []);
  const list = usePaged(
    async (token) => {
      const page = await listRules(bus, token);
      const rules = await Promise.all(
        (page.Rules ?? []).map(async (r) => ({ rule: r, targets: (await listTargets(bus, r.Name)).Targets ?? [] })),
      );
      return { items: rules, ...(page.NextToken && { next: page.NextToken }) };
    },
    [bus],
    { service: 'events', kinds: ['rule'] },
  );
  const act = async (op: string, rule: Rule) => {
    try {
      if (op === 'DeleteRule') {
        if (!confirm(`Delete rule ${rule.Name}? Its targets are removed first.`)) return;
        const targets = (await listTargets(bus, rule.Name)).Targets ?? [];
        if (targets.length) await eventbridge('RemoveTargets', { Rule: rule.Name, EventBusName: bus, Ids: targets.map((t) => t.Id) });
      }
      await eventbridge(op, { Name: rule.Name, EventBusName: bus });
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <h1>Rules</h1>
      <p class="sub">A rule watches events on an event bus and sends the ones that match its pattern to its targets.</p>
      <div class="toolbar">
        <label>
          Event bus{' '}
          <select value={bus} onChange={(e) => go('rules', (e.target as HTMLSelectElement).value)}>
            {[...new Set([bus, ...buses])].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <span class="grow" />
        <a class="button primary" href="#/rules/new">
          Create rule
        </a>
      </div>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="rules" />}
      {list.items && list.items.length === 0 ? (
        <div class="panel">
          <Empty title={`No rules on event bus ${bus}`}>
            <p>
              Create one to react to AMI events: choose <b>Create rule</b>, then the EC2 AMI State Change event type and an SNS topic as
              target.
            </p>
            <a class="button primary" href="#/rules/new">
              Create rule
            </a>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>State</th>
                <th>Event pattern / schedule</th>
                <th>Targets</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {(list.items ?? []).map(({ rule, targets }) => (
                <tr key={rule.Arn} data-testid={`rule-${rule.Name}`}>
                  <td>
                    <b>
                      <a href={`#/rule/${encodeURIComponent(bus)}/${encodeURIComponent(rule.Name)}`}>{rule.Name}</a>
                    </b>
                    {rule.Description && <div class="hint">{rule.Description}</div>}
                  </td>
                  <td>
                    <Badge state={rule.State === 'DISABLED' ? 'Disabled' : 'Enabled'} />
                  </td>
                  <td>
                    <code class="wrap">{rule.EventPattern ?? rule.ScheduleExpression}</code>
                  </td>
                  <td class="wrap">
                    {targets.length === 0 ? (
                      <span class="hint">none</span>
                    ) : (
                      targets.map((t) => (
                        <div key={t.Id}>
                          <ResourceLink value={t.Arn} />
                        </div>
                      ))
                    )}
                  </td>
                  <td>
                    <div class="toolbar">
                      {rule.State === 'DISABLED' ? (
                        <button onClick={() => void act('EnableRule', rule)}>Enable</button>
                      ) : (
                        <button onClick={() => void act('DisableRule', rule)}>Disable</button>
                      )}
                      <a class="button" href={`#/rules/edit/${encodeURIComponent(bus)}/${encodeURIComponent(rule.Name)}`}>
                        Edit
                      </a>
                      <button class="danger" onClick={() => void act('DeleteRule', rule)}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}
