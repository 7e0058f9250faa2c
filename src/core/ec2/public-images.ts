import { createHash } from 'node:crypto';
import type { ImageRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Store } from '../../storage/ports/ec2-store.js';

/**
 * A few public images owned by `amazon` in every region, so a new account has something to
 * launch — named as AWS names them (Amazon Linux 2023 and 2, Windows Server), owned by the
 * accounts AWS publishes them from (137112412989 for Amazon Linux, 801119661308 for Windows),
 * alias `amazon`. Ids are derived from region and name, so they are the same on every start and
 * in every store; the images are written into a region's store the first time the region is used.
 */
interface Entry {
  name: string;
  description: string;
  owner: string;
  architecture: 'x86_64' | 'arm64';
  platform?: 'windows';
  platformDetails: string;
  usageOperation: string;
  rootDeviceName: string;
  volumeSize: number;
  volumeType: string;
  creationDate: string;
  bootMode?: string;
}

const amazonLinux = '137112412989';
const windows = '801119661308';

export const publicCatalogue: readonly Entry[] = [
  {
    name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1',
    owner: amazonLinux,
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    volumeType: 'gp3',
    creationDate: '2024-12-13T19:45:37.000Z',
    bootMode: 'uefi-preferred',
  },
  {
    name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-arm64',
    description: 'Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1',
    owner: amazonLinux,
    architecture: 'arm64',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    volumeType: 'gp3',
    creationDate: '2024-12-13T19:45:38.000Z',
    bootMode: 'uefi',
  },
  {
    name: 'amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2',
    description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20241217.0 x86_64 HVM gp2',
    owner: amazonLinux,
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    volumeType: 'gp2',
    creationDate: '2024-12-18T01:02:03.000Z',
  },
  {
    name: 'Windows_Server-2022-English-Full-Base-2024.12.13',
    description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    owner: windows,
    architecture: 'x86_64',
    platform: 'windows',
    platformDetails: 'Windows',
    usageOperation: 'RunInstances:0002',
    rootDeviceName: '/dev/sda1',
    volumeSize: 30,
    volumeType: 'gp2',
    creationDate: '2024-12-13T05:06:07.000Z',
  },
];

const derived = (prefix: string, ...parts: string[]): string =>
  `${prefix}-${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 17)}`;

export function publicImage(region: string, e: Entry): ImageRecord {
  return {
    imageId: derived('ami', region, e.name),
    accountId: e.owner,
    ownerAlias: 'amazon',
    region,
    name: e.name,
    description: e.description,
    state: 'available',
    origin: 'RegisterImage',
    requestId: '',
    creationDate: e.creationDate,
    imageLocation: `amazon/${e.name}`,
    imageType: 'machine',
    architecture: e.architecture,
    ...(e.platform && { platform: e.platform }),
    platformDetails: e.platformDetails,
    usageOperation: e.usageOperation,
    rootDeviceType: 'ebs',
    rootDeviceName: e.rootDeviceName,
    blockDeviceMappings: [
      {
        deviceName: e.rootDeviceName,
        ebs: {
          snapshotId: derived('snap', region, e.name),
          volumeSize: e.volumeSize,
          volumeType: e.volumeType,
          deleteOnTermination: true,
          encrypted: false,
        },
      },
    ],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    sriovNetSupport: 'simple',
    ...(e.bootMode && { bootMode: e.bootMode }),
    imdsSupport: 'v2.0',
    deregistrationProtection: 'disabled',
    launchPermissions: [{ group: 'all' }],
    tags: [],
  };
}

/** Writes a region's public images the first time the region is used (once per process and region). */
export class PublicImages {
  private readonly seeded = new Set<string>();
  constructor(private readonly store: Ec2Store) {}

  async ensure(region: string): Promise<void> {
    if (this.seeded.has(region)) return;
    for (const entry of publicCatalogue) {
      const image = publicImage(region, entry);
      if (!(await this.store.getImage(region, image.imageId))) await this.store.putImage(image);
    }
    this.seeded.add(region);
  }
}
