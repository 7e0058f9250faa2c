// Realistic rules and ~1 KB AWS events for the matcher benchmark. Deterministic (seeded), so
// runs compare like with like.

export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
const ACCOUNTS = 500;
const account = (i) => String(100000000000 + i);
const amiId = (i) => `ami-${(0x10000000 + i).toString(16)}${'0'.repeat(9)}`;
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const STATES = ['available', 'failed', 'deregistered'];

/** Event `i`: AMI state changes (half), instance state changes, S3 objects, custom app events. */
export function makeEvent(r, i) {
  const region = pick(r, REGIONS);
  const acct = account(Math.floor(r() * ACCOUNTS));
  const time = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`;
  const base = { version: '0', id: `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`, account: acct, time, region };
  const kind = r();
  if (kind < 0.5) {
    const img = amiId(Math.floor(r() * 20000));
    const state = pick(r, STATES);
    return {
      ...base,
      'detail-type': 'EC2 AMI State Change',
      source: 'aws.ec2',
      resources: [`arn:aws:ec2:${region}::image/${img}`],
      detail: {
        RequestId: `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
        ImageId: img,
        State: state,
        ErrorMessage: state === 'failed' ? 'Snapshot quota exceeded for the account in this Region; request a limit increase' : '',
        Name: `golden-${pick(r, ['al2023', 'ubuntu-24.04', 'rhel-9', 'windows-2022'])}-${hex(r, 6)}`,
        Architecture: pick(r, ['x86_64', 'arm64']),
        SizeGiB: Math.floor(r() * 200) + 8,
        Tags: [
          { Key: 'team', Value: pick(r, ['platform', 'data', 'web', 'ml']) },
          { Key: 'pipeline', Value: `build-${Math.floor(r() * 900)}` },
        ],
        Description: 'Golden image built by the image pipeline with the latest security patches applied and CIS hardening.',
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { SnapshotId: `snap-${hex(r, 17)}`, VolumeSize: 30, VolumeType: 'gp3', Encrypted: true } },
        ],
        Platform: 'Linux/UNIX',
        Hypervisor: 'xen',
        VirtualizationType: 'hvm',
        RootDeviceType: 'ebs',
        SourceInstanceId: `i-${hex(r, 17)}`,
        CreationDate: time,
      },
    };
  }
  if (kind < 0.7) {
    return {
      ...base,
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      resources: [`arn:aws:ec2:${region}:${acct}:instance/i-${hex(r, 17)}`],
      detail: {
        'instance-id': `i-${hex(r, 17)}`,
        state: pick(r, ['pending', 'running', 'stopping', 'stopped', 'terminated']),
        'instance-type': pick(r, ['t3.micro', 'm7g.large', 'c7i.2xlarge']),
        'launch-time': time,
        'private-ip': `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
        'image-id': amiId(Math.floor(r() * 20000)),
        'availability-zone': `${region}a`,
        tags: { Name: `web-${hex(r, 4)}`, env: pick(r, ['prod', 'staging', 'dev']), owner: 'platform-team@example.com' },
        note: 'Instance state transition reported by the EC2 control plane for the monitored fleet.',
        'vpc-id': `vpc-${hex(r, 17)}`,
        'subnet-id': `subnet-${hex(r, 17)}`,
        'security-groups': [`sg-${hex(r, 17)}`, `sg-${hex(r, 17)}`],
        'iam-instance-profile': `arn:aws:iam::${acct}:instance-profile/fleet-${hex(r, 6)}`,
        monitoring: { state: 'enabled' },
      },
    };
  }
  if (kind < 0.85) {
    return {
      ...base,
      'detail-type': 'Object Created',
      source: 'aws.s3',
      resources: [`arn:aws:s3:::ami-exports-${hex(r, 6)}`],
      detail: {
        version: '0',
        bucket: { name: `ami-exports-${hex(r, 6)}` },
        object: {
          key: `exports/${hex(r, 8)}/${amiId(Math.floor(r() * 20000))}.bin`,
          size: Math.floor(r() * 5e9),
          etag: hex(r, 32),
          sequencer: hex(r, 18),
        },
        'request-id': hex(r, 16),
        requester: acct,
        'source-ip-address': `192.168.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
        reason: 'PutObject',
        note: 'Export of an AMI to S3 for long-term archival by the image pipeline.',
        'storage-class': pick(r, ['STANDARD', 'GLACIER_IR', 'DEEP_ARCHIVE']),
        'version-id': hex(r, 32),
        encryption: {
          algorithm: 'aws:kms',
          'key-id': `arn:aws:kms:${region}:${acct}:key/${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
        },
      },
    };
  }
  return {
    ...base,
    'detail-type': pick(r, ['Order Created', 'Order Shipped', 'Build Finished']),
    source: `com.example.app${Math.floor(r() * 50)}`,
    resources: [],
    detail: {
      orderId: `o-${hex(r, 10)}`,
      amount: Math.round(r() * 100000) / 100,
      currency: pick(r, ['USD', 'EUR', 'JPY']),
      customer: { id: `c-${hex(r, 8)}`, tier: pick(r, ['gold', 'silver', 'bronze']), country: pick(r, ['US', 'DE', 'JP', 'BR']) },
      items: [
        { sku: `sku-${hex(r, 5)}`, qty: Math.floor(r() * 5) + 1 },
        { sku: `sku-${hex(r, 5)}`, qty: 1 },
      ],
      channel: pick(r, ['web', 'mobile', 'partner']),
      note: 'Order lifecycle event from the storefront.',
      shipping: {
        method: pick(r, ['ground', 'express', 'pickup']),
        address: { city: pick(r, ['Seattle', 'Berlin', 'Osaka', 'Recife']), postcode: hex(r, 5) },
      },
      payment: { method: pick(r, ['card', 'invoice', 'wallet']), reference: `pay-${hex(r, 16)}`, captured: r() < 0.9 },
      trace: { 'request-id': `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`, 'span-id': hex(r, 16) },
    },
  };
}

/**
 * Rule `i`: the shapes the issue names (source / detail-type / detail.State / ImageId / prefix /
 * numeric / anything-but / $or), each made selective the way real rules are — by image, by
 * name prefix, by app, by account — so that an event matches a few rules, not thousands.
 */
export function makeRule(r, i) {
  const img = () => amiId(Math.floor(r() * 20000));
  const acct = account(Math.floor(r() * ACCOUNTS));
  switch (i % 10) {
    case 0:
      return { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { State: [pick(r, STATES)], ImageId: [img()] } };
    case 1:
      return { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { ImageId: [img(), img(), img()] } };
    case 2:
      return {
        source: ['aws.ec2'],
        'detail-type': ['EC2 AMI State Change'],
        detail: { ImageId: [img()], State: [{ 'anything-but': ['deregistered'] }] },
      };
    case 3:
      return {
        source: ['aws.ec2'],
        'detail-type': ['EC2 AMI State Change'],
        detail: { Name: [{ prefix: `golden-${pick(r, ['al2023', 'ubuntu-24.04', 'rhel-9', 'windows-2022'])}-${hex(r, 3)}` }] },
      };
    case 4:
      return {
        source: ['aws.s3'],
        detail: { object: { key: [{ prefix: `exports/${hex(r, 3)}` }], size: [{ numeric: ['>', Math.floor(r() * 4e9)] }] } },
      };
    case 5:
      return {
        source: [`com.example.app${Math.floor(r() * 50)}`],
        'detail-type': ['Order Created'],
        detail: { amount: [{ numeric: ['>=', 100, '<', 101 + Math.floor(r() * 900)] }], customer: { tier: ['gold'] } },
      };
    case 6:
      return {
        source: ['aws.ec2'],
        $or: [{ detail: { ImageId: [img()] } }, { resources: [`arn:aws:ec2:${pick(r, REGIONS)}::image/${img()}`] }],
      };
    case 7:
      return { account: [acct], source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { State: ['available', 'failed'] } };
    case 8:
      return { account: [acct], source: [{ prefix: 'com.example.' }], 'detail-type': [{ 'equals-ignore-case': 'order shipped' }] };
    default:
      return {
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
        detail: { 'image-id': [img()], 'instance-type': [{ suffix: '.large' }] },
      };
  }
}
