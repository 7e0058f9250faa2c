import { useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { cloudtrail, trailsWithStatus } from '../../api/cloudtrail.js';
import { Badge, ErrorNotice, Loading } from '../../components/ui.js';
import { useReloading } from '../../components/use-reloading.js';

/**
 * CloudTrail trails of the region (a multi-region trail shows in every region): create one,
 * start and stop its logging, delete it. While a trail logs, every call amiwatch serves is
 * recorded — in the event history below and as "AWS API Call via CloudTrail" events on the
 * default bus.
 */
export function TrailsPanel() {
  const trails = useReloading(trailsWithStatus);
  useChanges('cloudtrail', ['trail'], trails.reload);
  const [name, setName] = useState('');
  const [bucket, setBucket] = useState('');
  const [multiRegion, setMultiRegion] = useState(true);
  return (
    <section class="panel">
      <h2>Trails</h2>
      <ErrorNotice error={trails.error} />
      {trails.data === null && !trails.error && <Loading what="trails" />}
      {trails.data?.length === 0 && <p class="hint">No trails: nothing is recorded until a trail is logging.</p>}
      {trails.data && trails.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Trail</th>
                <th>Home region</th>
                <th>Multi-region</th>
                <th>S3 bucket</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {trails.data.map((t) => (
                <tr key={t.TrailARN} data-testid={`trail-${t.Name}`}>
                  <td title={t.TrailARN}>{t.Name}</td>
                  <td>{t.HomeRegion}</td>
                  <td>{t.IsMultiRegionTrail ? 'yes' : 'no'}</td>
                  <td class="mono">{t.S3BucketName}</td>
                  <td>
                    <Badge state={t.IsLogging ? 'Logging' : 'Not logging'} />
                  </td>
                  <td class="actions">
                    <button
                      onClick={() => void trails.run(() => cloudtrail(t.IsLogging ? 'StopLogging' : 'StartLogging', { Name: t.TrailARN }))}
                    >
                      {t.IsLogging ? 'Stop logging' : 'Start logging'}
                    </button>{' '}
                    <button
                      class="danger"
                      onClick={() =>
                        confirm(`Delete trail ${t.Name}?`) && void trails.run(() => cloudtrail('DeleteTrail', { Name: t.TrailARN }))
                      }
                    >
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
          // CreateTrail leaves a trail stopped; AWS's console starts the one it creates, as this does.
          void trails
            .run(async () => {
              const t = await cloudtrail<{ TrailARN: string }>('CreateTrail', {
                Name: name,
                S3BucketName: bucket,
                IsMultiRegionTrail: multiRegion,
              });
              await cloudtrail('StartLogging', { Name: t.TrailARN });
            })
            .then((ok) => ok && (setName(''), setBucket('')));
        }}
      >
        <input
          aria-label="Trail name"
          placeholder="trail name"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <input
          aria-label="S3 bucket name"
          placeholder="S3 bucket name (kept, not written to)"
          value={bucket}
          onInput={(e) => setBucket((e.target as HTMLInputElement).value)}
        />
        <label class="field inline">
          <input type="checkbox" checked={multiRegion} onChange={(e) => setMultiRegion((e.target as HTMLInputElement).checked)} /> All
          regions
        </label>
        <button class="primary" type="submit" disabled={!name || !bucket}>
          Create trail
        </button>
      </form>
    </section>
  );
}
