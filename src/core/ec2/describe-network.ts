import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { Ec2Deps } from './ec2-context.js';
import { defaultNetwork, type DefaultSubnet } from './default-network.js';
import { ec2Errors } from './errors.js';
import { checkMaxResults, paginate } from './paging.js';
import { compileFilters } from './simple-filters.js';

/**
 * What a new AWS account has without asking, read-only: the default VPC and its subnets (one per
 * zone), the region's availability zones, and the regions. Derived from account and region
 * (default-network.ts), so they need no storage.
 */

/** The regions enabled by default in a new account (no opt-in), as DescribeRegions lists them. */
export const defaultRegions = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

const tagless = <T>(x: T): T & { Tags: [] } => ({ ...x, Tags: [] });

function idsChecked<T>(items: T[], ids: readonly string[] | undefined, idOf: (t: T) => string, notFound: (id: string) => Error): T[] {
  if (!ids || ids.length === 0) return items;
  for (const id of ids) if (!items.some((i) => idOf(i) === id)) throw notFound(id);
  return items.filter((i) => ids.includes(idOf(i)));
}

export async function describeVpcs(_deps: Ec2Deps, ctx: RequestContext, input: EC2.DescribeVpcsRequest): Promise<EC2.DescribeVpcsResult> {
  const net = defaultNetwork(ctx.accountId, ctx.region);
  const vpc: EC2.Vpc = tagless({
    VpcId: net.vpcId,
    OwnerId: ctx.accountId,
    State: 'available',
    CidrBlock: net.cidrBlock,
    DhcpOptionsId: 'default',
    InstanceTenancy: 'default',
    IsDefault: true,
    CidrBlockAssociationSet: [
      { AssociationId: `vpc-cidr-assoc-${net.vpcId.slice(4)}`, CidrBlock: net.cidrBlock, CidrBlockState: { State: 'associated' } },
    ],
  });
  const matches = compileFilters(
    input.Filters,
    {
      'vpc-id': (v: EC2.Vpc) => [v.VpcId],
      'is-default': (v) => [String(v.IsDefault)],
      'cidr-block': (v) => [v.CidrBlock],
      cidr: (v) => [v.CidrBlock],
      state: (v) => [v.State],
      'owner-id': (v) => [v.OwnerId],
    },
    (name) => (name.startsWith('tag:') ? () => [] : undefined),
  );
  checkMaxResults(input.MaxResults, 5, 1000);
  if (input.DryRun) throw ec2Errors.dryRun();
  const vpcs = idsChecked(
    [vpc],
    input.VpcIds,
    (v) => v.VpcId!,
    (id) => ec2Errors.vpcNotFound(id),
  ).filter(matches);
  return { Vpcs: vpcs };
}

function subnetOf(ctx: RequestContext, vpcId: string, s: DefaultSubnet): EC2.Subnet {
  return tagless({
    SubnetId: s.subnetId,
    VpcId: vpcId,
    OwnerId: ctx.accountId,
    State: 'available',
    CidrBlock: s.cidrBlock,
    AvailabilityZone: s.availabilityZone,
    AvailabilityZoneId: zoneId(ctx.region, s.availabilityZone),
    AvailableIpAddressCount: 4091,
    DefaultForAz: true,
    MapPublicIpOnLaunch: true,
    SubnetArn: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:subnet/${s.subnetId}`,
  });
}

export async function describeSubnets(
  _deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeSubnetsRequest,
): Promise<EC2.DescribeSubnetsResult> {
  const net = defaultNetwork(ctx.accountId, ctx.region);
  const maxResults = checkMaxResults(input.MaxResults, 5, 1000);
  const matches = compileFilters(
    input.Filters,
    {
      'subnet-id': (s: EC2.Subnet) => [s.SubnetId],
      'vpc-id': (s) => [s.VpcId],
      'availability-zone': (s) => [s.AvailabilityZone],
      'availability-zone-id': (s) => [s.AvailabilityZoneId],
      'default-for-az': (s) => [String(s.DefaultForAz)],
      defaultForAz: (s) => [String(s.DefaultForAz)],
      'cidr-block': (s) => [s.CidrBlock],
      state: (s) => [s.State],
      'owner-id': (s) => [s.OwnerId],
      'map-public-ip-on-launch': (s) => [String(s.MapPublicIpOnLaunch)],
    },
    (name) => (name.startsWith('tag:') ? () => [] : undefined),
  );
  if (input.DryRun) throw ec2Errors.dryRun();
  const all = net.subnets.map((s) => subnetOf(ctx, net.vpcId, s));
  const chosen = idsChecked(
    all,
    input.SubnetIds,
    (s) => s.SubnetId!,
    (id) => ec2Errors.subnetNotFound(id),
  ).filter(matches);
  const page = paginate(chosen, (s) => s.SubnetId!, maxResults, input.NextToken);
  return { Subnets: page.items, ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
}

/** `use1-az1`-style zone ids: the region's initials and the zone's number. */
function zoneId(region: string, zone: string): string {
  const [area = '', direction = '', n = ''] = region.split('-');
  return `${area.slice(0, 2)}${direction.slice(0, 1)}${n}-az${zone.charCodeAt(zone.length - 1) - 96}`;
}

export async function describeAvailabilityZones(
  _deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeAvailabilityZonesRequest,
): Promise<EC2.DescribeAvailabilityZonesResult> {
  const zones: EC2.AvailabilityZone[] = defaultNetwork(ctx.accountId, ctx.region).subnets.map((s) => ({
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: ctx.region,
    ZoneName: s.availabilityZone,
    ZoneId: zoneId(ctx.region, s.availabilityZone),
    GroupName: ctx.region,
    NetworkBorderGroup: ctx.region,
    ZoneType: 'availability-zone',
  }));
  const matches = compileFilters(input.Filters, {
    'zone-name': (z: EC2.AvailabilityZone) => [z.ZoneName],
    'zone-id': (z) => [z.ZoneId],
    state: (z) => [z.State],
    'region-name': (z) => [z.RegionName],
    'zone-type': (z) => [z.ZoneType],
    'group-name': (z) => [z.GroupName],
    'opt-in-status': (z) => [z.OptInStatus],
  });
  if (input.DryRun) throw ec2Errors.dryRun();
  const byName = idsChecked(
    zones,
    input.ZoneNames,
    (z) => z.ZoneName!,
    (id) => ec2Errors.invalidParameterValue(`The zone '${id}' does not exist.`),
  );
  return {
    AvailabilityZones: idsChecked(
      byName,
      input.ZoneIds,
      (z) => z.ZoneId!,
      (id) => ec2Errors.invalidParameterValue(`The zone '${id}' does not exist.`),
    ).filter(matches),
  };
}

export async function describeRegions(
  _deps: Ec2Deps,
  _ctx: RequestContext,
  input: EC2.DescribeRegionsRequest,
): Promise<EC2.DescribeRegionsResult> {
  const regions: EC2.Region[] = defaultRegions.map((r) => ({
    RegionName: r,
    Endpoint: `ec2.${r}.amazonaws.com`,
    OptInStatus: 'opt-in-not-required',
  }));
  const matches = compileFilters(input.Filters, {
    'region-name': (r: EC2.Region) => [r.RegionName],
    endpoint: (r) => [r.Endpoint],
    'opt-in-status': (r) => [r.OptInStatus],
  });
  if (input.DryRun) throw ec2Errors.dryRun();
  const named = idsChecked(
    regions,
    input.RegionNames,
    (r) => r.RegionName!,
    (id) => ec2Errors.invalidParameterValue(`Invalid region: ${id}`),
  );
  return { Regions: named.filter(matches) };
}
