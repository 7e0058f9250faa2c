import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { describeSnapshots, type Snapshot } from '../../api/ec2-resources.js';
import { useSession } from '../../api/session.js';
import { Badge, ErrorNotice } from '../../components/ui.js';
import { DetailHeader } from './detail-header.js';
import { EventList, FieldList, TagTable } from './resource-parts.js';
import { useHistory } from './use-history.js';

const main = ['snapshotId', 'description', 'volumeId', 'volumeSize', 'startTime', 'completionTime', 'progress', 'ownerId', 'encrypted'];

/**
 * One EBS snapshot: its fields and tags, and its "EBS Snapshot Notification" events (found by
 * the snapshot's ARN as EBS writes it), kept current by the change stream.
 */
export function SnapshotPage({ id }: { id: string }) {
  const { region } = useSession();
  const [snapshot, setSnapshot] = useState<Snapshot | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setSnapshot((await describeSnapshots([id]))[0] ?? null);
      setError(null);
    } catch (e) {
      if ((e as { code?: string }).code === 'InvalidSnapshot.NotFound') setSnapshot(null);
      else setError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useChanges('ec2', ['snapshot'], load);
  const arn = `arn:aws:ec2::${region}:snapshot/${id}`;
  const history = useHistory({ pattern: JSON.stringify({ source: ['aws.ec2'], detail: { snapshot_id: [arn] } }) });
  return (
    <div>
      <DetailHeader list="Snapshots" listHref="#/snapshots" name={snapshot?.tags.Name || id} />
      <ErrorNotice error={error} />
      {snapshot === undefined && !error && <p class="loading-line">Loading snapshot…</p>}
      {snapshot === null && <p class="notice bad">No snapshot {id} of this account in this region (it may be deleted).</p>}
      {snapshot && (
        <>
          <section class="panel">
            <p>
              <Badge state={snapshot.state} /> {snapshot.state === 'pending' && <span class="hint">{snapshot.progress}</span>}
              {snapshot.stateMessage && <span class="error"> {snapshot.stateMessage}</span>}
            </p>
            <FieldList fields={snapshot.fields} main={main} testId="snapshot-fields" />
          </section>
          <section class="panel">
            <h2>Tags</h2>
            <TagTable tags={snapshot.tags} testId="snapshot-tags" />
          </section>
        </>
      )}
      <EventList
        history={history}
        state={(e) => String(e.event.detail?.result ?? '')}
        empty="No event yet: a snapshot sends one when it completes or fails."
        testId="snapshot-event"
      />
    </div>
  );
}
