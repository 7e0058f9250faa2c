import { useState } from 'preact/hooks';
import { ec2 } from '../api/ec2.js';
import { describeInstances, type Instance } from '../api/ec2-resources.js';
import { useSession } from '../api/session.js';
import { ResourceLink } from '../components/resource-link.js';
import { useAction } from '../components/use-action.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { useEc2List } from './use-ec2-list.js';

const newestFirst = (a: Instance, b: Instance): number =>
  (b.launchTime ?? '').localeCompare(a.launchTime ?? '') || a.instanceId.localeCompare(b.instanceId);

/**
 * The region's instances with their states (each change sends an "EC2 Instance State-change
 * Notification" to the default bus): stop, start and terminate them; launch them with the AWS
 * CLI or an SDK (a page per instance shows its volumes, snapshots them, and lists its events).
 */
export function InstancesPage() {
  const { region } = useSession();
  const [notice, setNotice] = useState<string | null>(null);
  const list = useEc2List(region, ['instance'], () => describeInstances(), newestFirst);
  const { error, run } = useAction(() => list.reload());
  const act = (action: 'StopInstances' | 'StartInstances' | 'TerminateInstances', i: Instance) => {
    if (action === 'TerminateInstances' && !confirm(`Terminate ${i.instanceId}?`)) return;
    void run(async () => {
      await ec2(action, { InstanceId: [i.instanceId] });
      setNotice(`${action} ${i.instanceId}: done.`);
    });
  };
  return (
    <div>
      <h1>Instances</h1>
      <p class="sub">
        Instances of this account in {region}. Every change of state sends an "EC2 Instance State-change Notification" to the default bus.
        Launch one with <code>aws ec2 run-instances</code> (an image of yours or a public one, <code>--owners amazon</code>).
      </p>
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="instances" />}
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {list.items?.length === 0 ? (
        <div class="panel">
          <Empty title={`No instances in ${region}`}>
            <p>Launch one with the AWS CLI or an SDK: it appears here at once, pending, then running.</p>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Instance ID</th>
                <th>Name</th>
                <th>State</th>
                <th>Type</th>
                <th>Image</th>
                <th>Launched</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {(list.items ?? []).map((i) => (
                <tr key={i.instanceId} data-testid={`instance-${i.instanceId}`}>
                  <td>
                    <ResourceLink value={i.instanceId} />
                  </td>
                  <td>{i.tags.Name ?? ''}</td>
                  <td>
                    <Badge state={i.state} />
                    {i.stateReason && <div class="hint">{i.stateReason}</div>}
                  </td>
                  <td>{i.instanceType}</td>
                  <td>
                    <ResourceLink value={i.imageId} />
                  </td>
                  <td>{i.launchTime ? new Date(i.launchTime).toLocaleString() : ''}</td>
                  <td>
                    <div class="toolbar">
                      {i.state === 'running' && <button onClick={() => act('StopInstances', i)}>Stop</button>}
                      {i.state === 'stopped' && <button onClick={() => act('StartInstances', i)}>Start</button>}
                      {i.state !== 'terminated' && i.state !== 'shutting-down' && (
                        <button class="danger" onClick={() => act('TerminateInstances', i)}>
                          Terminate
                        </button>
                      )}
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
