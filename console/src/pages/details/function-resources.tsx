import { useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import {
  createMapping,
  deleteMapping,
  listAliases,
  listMappings,
  listVersions,
  publishVersion,
  setMappingEnabled,
} from '../../api/lambda-resources.js';
import { useSession } from '../../api/session.js';
import { ResourceLink } from '../../components/resource-link.js';
import { Badge, ErrorNotice, Loading } from '../../components/ui.js';
import { useReloading } from '../../components/use-reloading.js';

/** Mapping states Lambda moves out of by itself: the page reads again every second meanwhile. */
const TRANSITIONAL = ['Creating', 'Enabling', 'Disabling', 'Deleting', 'Updating'];

/**
 * A function's triggers (SQS event source mappings: add one, enable, disable, delete), its
 * published versions (publish one) and its aliases, as the Lambda console's Configuration and
 * Versions / Aliases tabs show them.
 */
export function FunctionResources({ name }: { name: string }) {
  const { account, region } = useSession();
  const [source, setSource] = useState('');
  const [batchSize, setBatchSize] = useState('10');
  const [description, setDescription] = useState('');
  const data = useReloading(
    async () => {
      const [mappings, versions, aliases] = await Promise.all([listMappings(name), listVersions(name), listAliases(name)]);
      return { mappings, versions, aliases };
    },
    (d) => d.mappings.some((m) => TRANSITIONAL.includes(m.State ?? '')),
  );
  useChanges('lambda', ['esm', 'function', 'version', 'alias'], data.reload);
  // A queue's name is this account's and region's queue (as the rule wizard reads target names).
  const sourceArn = source.startsWith('arn:') ? source : `arn:aws:sqs:${region}:${account}:${source}`;
  const d = data.data;
  return (
    <>
      <section class="panel">
        <h2>Triggers</h2>
        <ErrorNotice error={data.error} />
        {!d && !data.error && <Loading what="triggers" />}
        {d?.mappings.length === 0 && (
          <p class="hint">No triggers: an SQS queue added here invokes the function with batches of its messages.</p>
        )}
        {d && d.mappings.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Source</th>
                  <th>State</th>
                  <th>Batch size</th>
                  <th>Last result</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.mappings.map((m) => (
                  <tr key={m.UUID} data-testid="trigger">
                    <td>{m.EventSourceArn && <ResourceLink value={m.EventSourceArn} />}</td>
                    <td>
                      <Badge state={m.State ?? ''} />
                    </td>
                    <td>{m.BatchSize}</td>
                    <td>{m.LastProcessingResult}</td>
                    <td class="actions">
                      <button onClick={() => void data.run(() => setMappingEnabled(m.UUID, m.State === 'Disabled'))}>
                        {m.State === 'Disabled' ? 'Enable' : 'Disable'}
                      </button>{' '}
                      <button class="danger" onClick={() => confirm('Delete this trigger?') && void data.run(() => deleteMapping(m.UUID))}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            void data
              .run(() => createMapping({ FunctionName: name, EventSourceArn: sourceArn, BatchSize: Number(batchSize), Enabled: true }))
              .then((ok) => ok && setSource(''));
          }}
        >
          <input
            class="grow mono"
            aria-label="SQS queue"
            placeholder="SQS queue name or ARN"
            value={source}
            onInput={(e) => setSource((e.target as HTMLInputElement).value)}
          />
          <label>
            Batch size{' '}
            <input
              type="number"
              min={1}
              max={10000}
              aria-label="Batch size"
              value={batchSize}
              onInput={(e) => setBatchSize((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" disabled={!source}>
            Add trigger
          </button>
        </form>
      </section>
      <section class="panel">
        <h2>Versions and aliases</h2>
        {d && (
          <dl class="kv" data-testid="function-versions">
            {d.versions.map((v) => [
              <dt key={`${v.Version}-t`}>Version {v.Version}</dt>,
              <dd key={`${v.Version}-d`}>
                {v.Description || <span class="hint">no description</span>}
                {d.aliases
                  .filter((a) => a.FunctionVersion === v.Version)
                  .map((a) => (
                    <span key={a.Name} class="badge ok" title={a.AliasArn}>
                      alias {a.Name}
                    </span>
                  ))}
              </dd>,
            ])}
          </dl>
        )}
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            void data.run(() => publishVersion(name, description)).then((ok) => ok && setDescription(''));
          }}
        >
          <input
            class="grow"
            aria-label="Version description"
            placeholder="description (optional)"
            value={description}
            onInput={(e) => setDescription((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Publish new version</button>
        </form>
      </section>
    </>
  );
}
