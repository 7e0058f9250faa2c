import { Fragment } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useChanges } from '../../api/changes.js';
import { describeImages, type Image } from '../../api/ec2.js';
import { ResourceLink } from '../../components/resource-link.js';
import { Badge, ErrorNotice } from '../../components/ui.js';
import { useHistory } from './use-history.js';
import { DetailHeader } from './detail-header.js';
import { EventList, TagTable } from './resource-parts.js';

/** Shown first, in this order; every other field DescribeImages answers follows. */
const main = [
  'imageId',
  'name',
  'description',
  'imageState',
  'creationDate',
  'imageOwnerId',
  'architecture',
  'imageType',
  'platformDetails',
  'rootDeviceType',
  'rootDeviceName',
  'imageLocation',
  'sourceImageId',
  'sourceRegion',
  'deprecationTime',
];

/**
 * One image: its fields, tags and block devices, and the "EC2 AMI State Change" events it
 * caused (the event history searched for its id), kept current by the change stream.
 */
export function ImagePage({ id }: { id: string }) {
  const [image, setImage] = useState<Image | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setImage((await describeImages({ imageIds: [id] })).images[0] ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => void load(), [load]);
  useChanges('ec2', ['image'], load);
  const history = useHistory({ pattern: JSON.stringify({ source: ['aws.ec2'], detail: { ImageId: [id] } }) });
  const fields = image
    ? [
        ...main.filter((k) => image.fields[k] !== undefined),
        ...Object.keys(image.fields)
          .filter((k) => !main.includes(k))
          .sort(),
      ]
    : [];
  return (
    <div>
      <DetailHeader list="AMIs" listHref="#/amis" name={image?.name || id} />
      <ErrorNotice error={error} />
      {image === undefined && !error && <p class="loading-line">Loading image…</p>}
      {image === null && <p class="notice bad">No image {id} in this region (it may be deregistered and gone, or in another region).</p>}
      {image && (
        <>
          <section class="panel">
            <p>
              <Badge state={image.state} /> {image.stateReason && <span class="error">{image.stateReason}</span>}
            </p>
            <dl class="kv" data-testid="image-fields">
              {fields.map((k) => (
                <Fragment key={k}>
                  <dt>{k}</dt>
                  <dd class="wrap">{k === 'sourceImageId' ? <ResourceLink value={image.fields[k]!} /> : image.fields[k]}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
          <section class="panel">
            <h2>Tags</h2>
            <TagTable tags={image.tags} testId="image-tags" />
            <h2>Block devices</h2>
            {image.blockDevices.length === 0 ? (
              <p class="hint">None.</p>
            ) : (
              <table data-testid="image-block-devices">
                <thead>
                  <tr>
                    <th>Device</th>
                    <th>Snapshot</th>
                    <th>Size (GiB)</th>
                    <th>Type</th>
                    <th>Delete on termination</th>
                    <th>Encrypted</th>
                  </tr>
                </thead>
                <tbody>
                  {image.blockDevices.map((b) => (
                    <tr key={b.deviceName}>
                      <td class="mono">{b.deviceName}</td>
                      <td class="mono">{b.snapshotId ? <ResourceLink value={b.snapshotId} /> : (b.virtualName ?? '-')}</td>
                      <td>{b.volumeSize ?? '-'}</td>
                      <td>{b.volumeType ?? '-'}</td>
                      <td>{b.deleteOnTermination ?? '-'}</td>
                      <td>{b.encrypted ?? '-'}</td>
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
        state={(e) => String(e.event.detail?.State ?? '')}
        empty="No event yet: an image sends one when it becomes available, fails, or is deregistered."
        testId="image-event"
      />
    </div>
  );
}
