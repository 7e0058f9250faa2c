import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { getFunction, type FunctionConfig } from '../../api/lambda.js';
import { useSession } from '../../api/session.js';
import { ErrorNotice } from '../../components/ui.js';
import { FunctionDetail } from '../functions-page.js';
import { DetailHeader } from './detail-header.js';

/** One Lambda function: its configuration, a test invocation and its recent logs. */
export function FunctionPage({ name }: { name: string }) {
  const { region } = useSession();
  const [fn, setFn] = useState<FunctionConfig | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => getFunction(name).then((f) => (setFn(f.Configuration), setError(null)), setError), [name]);
  useEffect(() => void load(), [load]);
  useChanges('lambda', ['function'], load);
  return (
    <div>
      <DetailHeader list="Lambda functions" listHref="#/functions" name={name} />
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
            <h2>Test</h2>
            <FunctionDetail fn={fn} region={region} />
          </section>
        </>
      )}
    </div>
  );
}
