import { useEffect, useState } from 'preact/hooks';
import { ec2, text, type Image } from '../api/ec2.js';
import { useSession } from '../api/session.js';
import { Badge, Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { useImages } from './use-images.js';
import { FaultRules } from './fault-rules.js';
import { ResourceLink } from '../components/resource-link.js';

/** amiwatch's default pending times (src/core/ec2/options.ts), shown as what to expect. */
type Operation = 'CreateImage' | 'CopyImage' | 'RegisterImage' | 'CreateRestoreImageTask';
const expectedSeconds: Record<Operation, number> = { CreateImage: 4, CopyImage: 5, RegisterImage: 2, CreateRestoreImageTask: 5 };
const fields: Record<Operation, { name: string; label: string; placeholder: string }[]> = {
  CreateImage: [{ name: 'InstanceId', label: 'Instance ID', placeholder: 'i-0123456789abcdef0' }],
  CopyImage: [
    { name: 'SourceImageId', label: 'Source AMI ID', placeholder: 'ami-…' },
    { name: 'SourceRegion', label: 'Source Region', placeholder: 'us-east-1' },
  ],
  RegisterImage: [
    { name: 'SnapshotId', label: 'Root snapshot ID', placeholder: 'snap-0123456789abcdef0 (EBS-backed)' },
    { name: 'ImageLocation', label: 'or image location', placeholder: 'my-bucket/image.manifest.xml (instance store)' },
  ],
  CreateRestoreImageTask: [
    { name: 'Bucket', label: 'S3 bucket', placeholder: 'my-ami-bucket' },
    { name: 'ObjectKey', label: 'Object key', placeholder: 'ami-0123456789example.bin' },
  ],
};

/**
 * The region's images with state badges; a pending image shows how long it has been pending
 * against the usual time. Create, copy, register and restore images; disable, enable and
 * deregister them; fault rules below make the next operation fail on purpose.
 */
export function AmisPage() {
  const { region } = useSession();
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useImages(region);
  const pending = (list.items ?? []).some((i) => i.state === 'pending');
  // A pending image's elapsed time counts up; its state changes arrive through the change stream.
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [pending]);
  const act = async (action: string, image: Image) => {
    try {
      setError(null);
      if (action === 'DeregisterImage' && !confirm(`Deregister ${image.imageId}?`)) return;
      await ec2(action, { ImageId: image.imageId });
      setNotice(`${action} ${image.imageId}: done.`);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <h1>AMIs</h1>
      <p class="sub">
        Images owned by this account in {region}. Each one entering available, failed or deregistered sends an "EC2 AMI State Change" event
        to the default bus.
      </p>
      <CreateImageForm
        onDone={(id, op) => {
          setNotice(`${op} started: ${id} is pending.`);
          void list.reload();
        }}
        onError={setError}
      />
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="images" />}
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {list.items?.length === 0 ? (
        <div class="panel">
          <Empty title={`No images in ${region}`}>
            <p>Create one above: it stays pending for a few seconds, then becomes available and its event appears on the Events page.</p>
          </Empty>
        </div>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>AMI ID</th>
                <th>Name</th>
                <th>State</th>
                <th>Created</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {(list.items ?? []).map((img) => (
                <tr key={img.imageId} data-testid={`ami-${img.name}`} class={img.state === 'failed' ? 'row-failed' : ''}>
                  <td>
                    <ResourceLink value={img.imageId} />
                  </td>
                  <td>
                    {img.name}
                    {img.description && <div class="hint">{img.description}</div>}
                  </td>
                  <td>
                    <Badge state={img.state} />
                    {img.state === 'pending' && img.creationDate && <Elapsed since={img.creationDate} tick={tick} />}
                    {img.stateReason && <div class="error">{img.stateReason}</div>}
                  </td>
                  <td>{img.creationDate ? new Date(img.creationDate).toLocaleString() : ''}</td>
                  <td>
                    <div class="toolbar">
                      {img.state === 'available' && <button onClick={() => void act('DisableImage', img)}>Disable</button>}
                      {img.state === 'disabled' && <button onClick={() => void act('EnableImage', img)}>Enable</button>}
                      {img.state !== 'deregistered' && (
                        <button class="danger" onClick={() => void act('DeregisterImage', img)}>
                          Deregister
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
      <FaultRules />
    </div>
  );
}

function Elapsed({ since, tick }: { since: string; tick: number }) {
  void tick;
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(since)) / 1000));
  return <div class="hint">pending {seconds}s</div>;
}

function CreateImageForm({ onDone, onError }: { onDone: (id: string, op: string) => void; onError: (e: unknown) => void }) {
  const [op, setOp] = useState<Operation>('CreateImage');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const submit = async () => {
    try {
      onError(null);
      const { SnapshotId, ...rest } = Object.fromEntries(fields[op].map((f) => [f.name, values[f.name] ?? '']));
      const input: Parameters<typeof ec2>[1] = { Name: name, ...rest };
      // An EBS-backed image: its root device is mapped to the snapshot (RegisterImage's usual form).
      if (op === 'RegisterImage' && SnapshotId) {
        input.RootDeviceName = '/dev/xvda';
        input.BlockDeviceMapping = [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId } }];
      }
      const root = await ec2(op, input);
      onDone(text(root, 'imageId') ?? '', op);
      setName('');
    } catch (e) {
      onError(e);
    }
  };
  return (
    <form
      class="panel"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>New image</h2>
      <div class="toolbar">
        <label>
          Operation{' '}
          <select aria-label="Operation" value={op} onChange={(e) => setOp((e.target as HTMLSelectElement).value as Operation)}>
            {Object.keys(fields).map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <span class="hint">usually about {expectedSeconds[op]}s pending</span>
      </div>
      <div class="toolbar">
        <input
          aria-label="Image name"
          placeholder="Name, e.g. web-server-v1"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
          required
        />
        {fields[op].map((f) => (
          <input
            key={f.name}
            aria-label={f.label}
            placeholder={f.placeholder}
            value={values[f.name] ?? ''}
            onInput={(e) => setValues({ ...values, [f.name]: (e.target as HTMLInputElement).value })}
          />
        ))}
        <button class="primary" type="submit">
          {op === 'CreateImage'
            ? 'Create image'
            : op === 'CopyImage'
              ? 'Copy image'
              : op === 'RegisterImage'
                ? 'Register image'
                : 'Restore image'}
        </button>
      </div>
    </form>
  );
}
