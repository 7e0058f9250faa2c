import { useState } from 'preact/hooks';
import { ec2 } from '../api/ec2.js';
import { describeSnapshots, type Snapshot } from '../api/ec2-resources.js';
import { useSession } from '../api/session.js';
import { ResourceLink } from '../components/resource-link.js';
import { useAction } from '../components/use-action.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { useEc2List } from './use-ec2-list.js';

const newestFirst = (a: Snapshot, b: Snapshot): number =>
  (b.startTime ?? '').localeCompare(a.startTime ?? '') || a.snapshotId.localeCompare(b.snapshotId);

/**
 * The account's EBS snapshots in the region: those CreateImage made for AMIs, and those of
 * CreateSnapshot and CopySnapshot; each sends an "EBS Snapshot Notification" when it completes.
 * Delete one (refused while an image uses it, as on AWS).
 */
export function SnapshotsPage() {
  const { region } = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  const list = useEc2List(region, ['snapshot'], () => describeSnapshots(), newestFirst);
  const { error, run } = useAction(() => list.reload());
  const remove = (s: Snapshot) => {
    if (!confirm(`Delete ${s.snapshotId}?`)) return;
    void run(async () => {
      await ec2('DeleteSnapshot', { SnapshotId: s.snapshotId });
      setNotice(`DeleteSnapshot ${s.snapshotId}: done.`);
    });
  };
  return (
    <div>
      <h1>Snapshots</h1>
      <p class="sub">
        EBS snapshots of this account in {region}. Each one leaving pending sends an "EBS Snapshot Notification" (createSnapshot or
        copySnapshot) to the default bus.
      </p>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="snapshots" />}
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {list.items?.length === 0 ? (
        <div class="panel">
          <Empty title={`No snapshots in ${region}`}>
            <p>Creating an AMI makes one per volume; an instance's page snapshots a volume directly.</p>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Snapshot ID</th>
                <th>Name</th>
                <th>State</th>
                <th>Volume</th>
                <th>Size (GiB)</th>
                <th>Description</th>
                <th>Started</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {(list.items ?? []).map((s) => (
                <tr key={s.snapshotId} data-testid={`snapshot-${s.snapshotId}`} class={s.state === 'error' ? 'row-failed' : ''}>
                  <td>
                    <ResourceLink value={s.snapshotId} />
                  </td>
                  <td>{s.tags.Name ?? ''}</td>
                  <td>
                    <Badge state={s.state} /> {s.state === 'pending' && <span class="hint">{s.progress}</span>}
                    {s.stateMessage && <div class="error">{s.stateMessage}</div>}
                  </td>
                  <td class="mono">{s.volumeId}</td>
                  <td>{s.volumeSize}</td>
                  <td class="wrap">{s.description}</td>
                  <td>{s.startTime ? new Date(s.startTime).toLocaleString() : ''}</td>
                  <td>
                    <button class="danger" onClick={() => remove(s)}>
                      Delete
                    </button>
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
