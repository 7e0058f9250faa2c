import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { functionPolicy, getFunction, type FunctionConfig } from '../../api/lambda.js';
import { functionLogGroup } from '../../api/logs.js';
import { functionSeries } from '../../api/metrics.js';
import { useSession } from '../../api/session.js';
import { MetricCharts } from '../../components/metric-charts.js';
import { ErrorNotice } from '../../components/ui.js';
import { FunctionDetail } from '../functions-page.js';
import { groupHref } from '../logs/log-routes.js';
import { DetailHeader } from './detail-header.js';
import { FunctionResources } from './function-resources.js';
import { PolicyView } from './policy-view.js';

/** Lambda's own metric names (AWS/Lambda), as its console's Monitoring tab charts them. */
const metrics = [
  { name: 'Invocations', unit: 'invocations' },
  { name: 'Errors', unit: 'invocations' },
  { name: 'Duration', unit: 'ms (average)' },
  { name: 'Throttles', unit: 'invocations' },
] as const;

/** One Lambda function: its configuration, its resource-based policy, a link to its log group, a test invocation, its recent logs and its metrics in the session's region. */
export function FunctionPage({ name }: { name: string }) {
  const { region } = useSession();
  const [fn, setFn] = useState<FunctionConfig | null>(null);
  const [policy, setPolicy] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  // The region is part of what is shown: the selector moves the page to that region's function of this name.
  const load = useCallback(
    () =>
      Promise.all([getFunction(name), functionPolicy(name, region)]).then(
        ([f, p]) => (setFn(f.Configuration), setPolicy(p), setError(null)),
        (e: unknown) => (setFn(null), setError(e)),
      ),
    [name, region],
  );
  useEffect(() => void load(), [load]);
  useChanges('lambda', ['function'], load);
  return (
    <div>
      <DetailHeader list="Lambda functions" listHref="#/functions" name={name}>
        <a class="button" href={groupHref(functionLogGroup(name))}>
          View logs
        </a>
      </DetailHeader>
      <ErrorNotice error={error} />
      {fn && (
        <>
          <section class="panel">
            <dl class="kv">
              {Object.entries(fn)
                .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
                .map(([k, v]) => [
                  <dt key={`${k}-t`}>{k}</dt>,
                  <dd key={`${k}-d`} class="wrap">
                    {String(v)}
                  </dd>,
                ])}
            </dl>
          </section>
          <section class="panel">
            <h2>Resource-based policy</h2>
            <PolicyView
              policy={policy}
              none="No resource-based policy: only this account can invoke the function. A rule's target adds one (AddPermission) when it is saved."
            />
          </section>
          <FunctionResources key={`${region}/${name}`} name={name} />
          <section class="panel">
            <h2>Test</h2>
            <FunctionDetail fn={fn} region={region} />
          </section>
          <h2>Monitoring</h2>
          <MetricCharts charts={metrics} load={(m) => functionSeries(m, name)} resource={name} />
        </>
      )}
    </div>
  );
}
