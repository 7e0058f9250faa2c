import { createHash } from 'node:crypto';

/**
 * The network every AWS account has in every region without asking: a default VPC
 * (172.31.0.0/16), one default subnet per availability zone (a /20 each), and the VPC's `default`
 * security group. Their ids are derived from account and region, so they are the same on every
 * start and need no storage.
 */
export interface DefaultSubnet {
  subnetId: string;
  availabilityZone: string;
  cidrBlock: string;
  /** Third octet base of the subnet's addresses (172.31.<base>.x). */
  octet: number;
}

export interface DefaultNetwork {
  vpcId: string;
  cidrBlock: string;
  securityGroupId: string;
  subnets: DefaultSubnet[];
}

const derivedId = (prefix: string, ...parts: string[]): string =>
  `${prefix}-${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 17)}`;

/** Three zones per region (`a`, `b`, `c`), as most regions have at least. */
export const zoneLetters = ['a', 'b', 'c'] as const;

export function defaultNetwork(accountId: string, region: string): DefaultNetwork {
  return {
    vpcId: derivedId('vpc', accountId, region, 'default-vpc'),
    cidrBlock: '172.31.0.0/16',
    securityGroupId: derivedId('sg', accountId, region, 'default-sg'),
    subnets: zoneLetters.map((letter, n) => ({
      subnetId: derivedId('subnet', accountId, region, letter),
      availabilityZone: `${region}${letter}`,
      cidrBlock: `172.31.${n * 16}.0/20`,
      octet: n * 16,
    })),
  };
}
