import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { createSnapshot, describeInstances, type Instance } from '../../api/ec2-resources.js';
import { ResourceLink } from '../../components/resource-link.js';
import { Badge, ErrorNotice } from '../../components/ui.js';
import { DetailHeader } from './detail-header.js';
import { EventList, FieldList, TagTable } from './resource-parts.js';
import { useHistory } from './use-history.js';

const main = ['instanceId', 'instanceType', 'imageId', 'launchTime', 'privateIpAddress', 'subnetId', 'vpcId', 'keyName', 'architecture'];

/**
 * One instance: its fields, tags, volumes (each can be snapshotted: CreateSnapshot), and its
 * "EC2 Instance State-change Notification" events, kept current by the change stream.
 */
export function InstancePage({ id }: { id: string }) {
  const [instance, setInstance] = useState<Instance | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setInstance((await describeInstances([id]))[0] ?? null);
      setError(null);
    } catch (e) {
      // An instance long terminated is gone: EC2 answers InvalidInstanceID.NotFound.
      if ((e as { code?: string }).code === 'InvalidInstanceID.NotFound') setInstance(null);
      else setError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useChanges('ec2', ['instance'], load);
  const history = useHistory({ pattern: JSON.stringify({ source: ['aws.ec2'], detail: { 'instance-id': [id] } }) });
  const snapshot = async (volumeId: string) => {
    try {
      setError(null);
      const snapshotId = await createSnapshot(volumeId, `Snapshot of ${volumeId} (${id}) from the console`);
      setNotice(`CreateSnapshot started: ${snapshotId} is pending.`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <DetailHeader list="Instances" listHref="#/instances" name={instance?.tags.Name || id} />
      <ErrorNotice error={error} />
      {notice && (
        <p class="notice ok" role="status">
          {notice} {notice.match(/snap-[0-9a-f]+/) && <ResourceLink value={notice.match(/snap-[0-9a-f]+/)![0]} />}
        </p>
      )}
      {instance === undefined && !error && <p class="loading-line">Loading instance…</p>}
      {instance === null && <p class="notice bad">No instance {id} in this region (terminated ones are listed for an hour only).</p>}
      {instance && (
        <>
          <section class="panel">
            <p>
              <Badge state={instance.state} /> {instance.stateReason && <span class="hint">{instance.stateReason}</span>}
            </p>
            <FieldList fields={instance.fields} main={main} testId="instance-fields" />
          </section>
          <section class="panel">
            <h2>Tags</h2>
            <TagTable tags={instance.tags} testId="instance-tags" />
            <h2>Volumes</h2>
            {instance.volumes.length === 0 ? (
              <p class="hint">None.</p>
            ) : (
              <table data-testid="instance-volumes">
                <thead>
                  <tr>
                    <th>Device</th>
                    <th>Volume</th>
                    <th>Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {instance.volumes.map((v) => (
                    <tr key={v.volumeId}>
                      <td class="mono">{v.deviceName}</td>
                      <td class="mono">{v.volumeId}</td>
                      <td>
                        {instance.state !== 'terminated' && <button onClick={() => void snapshot(v.volumeId)}>Create snapshot</button>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
      <EventList
        history={history}
        state={(e) => String(e.event.detail?.state ?? '')}
        empty="No event yet: an instance sends one on every change of state."
        testId="instance-event"
      />
    </div>
  );
}
