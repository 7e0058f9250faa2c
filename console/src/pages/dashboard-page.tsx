import { useEffect, useState } from 'preact/hooks';
import { series, type Series } from '../api/metrics.js';
import { session } from '../api/session.js';
import { allBusNames, listRules } from '../api/eventbridge.js';
import { Chart } from '../components/chart.js';
import { ErrorNotice } from '../components/ui.js';

/** The charts: EventBridge's own metric names (AWS/Events), per bus and optionally per rule. */
const charts = [
  { name: 'MatchedEvents', unit: 'events' },
  { name: 'Invocations', unit: 'invocations' },
  { name: 'FailedInvocations', unit: 'invocations' },
  { name: 'InvocationsSentToDlq', unit: 'events' },
  { name: 'IngestionToInvocationSuccessLatency', unit: 'ms (average)' },
] as const;

/** The last 15 minutes of the delivery metrics, refreshed every 5 s. */
export function DashboardPage() {
  const [buses, setBuses] = useState<string[]>(['default']);
  const [rules, setRules] = useState<string[]>([]);
  const [bus, setBus] = useState('default');
  const [rule, setRule] = useState('');
  const [data, setData] = useState<Record<string, Series>>({});
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void allBusNames().then(setBuses, setError), []);
  useEffect(() => {
    setRule('');
    listRules(bus).then((r) => setRules((r.Rules ?? []).map((x) => x.Name)), setError);
  }, [bus]);
  useEffect(() => {
    const load = () =>
      Promise.all(charts.map(async (c) => [c.name, await series(c.name, bus, rule)] as const)).then((all) => {
        setData(Object.fromEntries(all));
        setError(null);
      }, setError);
    void load();
    const t = setInterval(() => void load(), 5000);
    return () => clearInterval(t);
  }, [bus, rule]);
  return (
    <div>
      <h1>Dashboard</h1>
      <p class="sub">
        The last 15 minutes of EventBridge's metrics (AWS/Events) in {session().region}, 10-second points, refreshed every 5 s. Point at a
        chart for the value at that time.
      </p>
      <div class="toolbar">
        <label>
          Event bus{' '}
          <select aria-label="Dashboard bus" value={bus} onChange={(e) => setBus((e.target as HTMLSelectElement).value)}>
            {buses.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label>
          Rule{' '}
          <select aria-label="Dashboard rule" value={rule} onChange={(e) => setRule((e.target as HTMLSelectElement).value)}>
            <option value="">All rules</option>
            {rules.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={error} />
      <div class="grid2">
        {charts.map((c) => (
          <Chart key={`${c.name}-${bus}-${rule}`} title={c.name} unit={c.unit} points={data[c.name]?.points ?? []} />
        ))}
      </div>
    </div>
  );
}
