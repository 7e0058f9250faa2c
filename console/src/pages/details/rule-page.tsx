import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { describeRule, listTags, listTargets, type Rule, type Target } from '../../api/eventbridge.js';
import { series } from '../../api/metrics.js';
import { DeliveryCells } from '../../components/delivery-cells.js';
import { MetricCharts } from '../../components/metric-charts.js';
import { ResourceLink } from '../../components/resource-link.js';
import { Badge, ErrorNotice } from '../../components/ui.js';
import { useHistory } from './use-history.js';
import { DetailHeader } from './detail-header.js';

const metrics = [
  { name: 'MatchedEvents', unit: 'events' },
  { name: 'Invocations', unit: 'invocations' },
  { name: 'FailedInvocations', unit: 'invocations' },
] as const;

/**
 * One rule, as AWS's console shows it: its details and pattern, its targets (each linked), the
 * events it matched lately with every delivery's outcome (failures first to the eye), and its
 * metrics. Kept current: the rule through the change stream, events through the event stream.
 */
export function RulePage({ bus, name }: { bus: string; name: string }) {
  const [rule, setRule] = useState<Rule | null>(null);
  const [targets, setTargets] = useState<Target[]>([]);
  const [tags, setTags] = useState<{ Key: string; Value: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      const r = await describeRule(bus, name);
      const [t, tg] = await Promise.all([listTargets(bus, name), listTags(r.Arn)]);
      setRule(r);
      setTargets(t.Targets ?? []);
      setTags(tg);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [bus, name]);
  useEffect(() => void load(), [load]);
  useChanges('events', ['rule'], load);
  const history = useHistory({ bus, rule: name });
  const deliveries = (history.events ?? []).flatMap((e) => e.deliveries.filter((d) => d.rule === rule?.Arn).map((d) => ({ e, d })));
  return (
    <div>
      <DetailHeader list={`Rules on ${bus}`} listHref={`#/rules/${encodeURIComponent(bus)}`} name={name}>
        <a class="button" href={`#/rules/edit/${encodeURIComponent(bus)}/${encodeURIComponent(name)}`}>
          Edit
        </a>
      </DetailHeader>
      <ErrorNotice error={error} />
      {!rule && !error && <p class="loading-line">Loading rule…</p>}
      {rule && (
        <section class="panel">
          <dl class="kv">
            <dt>State</dt>
            <dd>
              <Badge state={rule.State === 'DISABLED' ? 'Disabled' : 'Enabled'} />
            </dd>
            <dt>Description</dt>
            <dd>{rule.Description || '-'}</dd>
            <dt>Event bus</dt>
            <dd>
              <a href={`#/bus/${encodeURIComponent(bus)}`}>{bus}</a>
            </dd>
            <dt>ARN</dt>
            <dd class="mono">{rule.Arn}</dd>
            <dt>Tags</dt>
            <dd>{tags.length ? tags.map((t) => `${t.Key}=${t.Value}`).join(', ') : '-'}</dd>
          </dl>
          <h2>{rule.EventPattern ? 'Event pattern' : 'Schedule'}</h2>
          <pre data-testid="rule-pattern">
            {rule.EventPattern ? JSON.stringify(JSON.parse(rule.EventPattern), null, 2) : rule.ScheduleExpression}
          </pre>
        </section>
      )}
      <section class="panel">
        <h2>Targets</h2>
        {targets.length === 0 ? (
          <p class="hint">No targets: matched events go nowhere.</p>
        ) : (
          <ul>
            {targets.map((t) => (
              <li key={t.Id} data-testid="rule-target">
                {t.Id}: <ResourceLink value={t.Arn} />
                {t.DeadLetterConfig?.Arn && (
                  <span class="hint">
                    {' '}
                    · dead-letter queue <ResourceLink value={t.DeadLetterConfig.Arn} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel">
        <h2>Deliveries of recent matched events</h2>
        <ErrorNotice error={history.error} />
        {history.events === null ? (
          <p class="loading-line">Loading events…</p>
        ) : deliveries.length === 0 ? (
          <p class="hint">No event matched this rule lately.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Target</th>
                  <th>Status</th>
                  <th>Attempts</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map(({ e, d }) => (
                  <tr key={d.id} class={d.status === 'failed' ? 'row-failed' : ''} data-testid="rule-delivery">
                    <td>
                      {new Date(e.ingestedAt).toLocaleString()}
                      <div class="hint">
                        {e.event['detail-type']} · <span class="mono">{e.id}</span>
                      </div>
                    </td>
                    <DeliveryCells d={d} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <h2>Monitoring</h2>
      <MetricCharts charts={metrics} load={(m) => series(m, bus, name)} resource={`${bus}/${name}`} />
    </div>
  );
}
