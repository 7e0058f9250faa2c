import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { SecurityGroupRecord, SecurityGroupRuleRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { defaultNetwork } from './default-network.js';
import { ec2Errors } from './errors.js';
import { newId } from './ids.js';
import { checkMaxResults, paginate } from './paging.js';
import { compileFilters } from './simple-filters.js';
import { required, tagsFor } from './validation.js';

/**
 * Security groups of the default VPC: its `default` group (there from the start: all egress,
 * ingress from itself) and the ones the account creates; rules added and removed one source at a
 * time, as AWS stores them.
 */
const allEgress: SecurityGroupRuleRecord = { ipProtocol: '-1', cidrIp: '0.0.0.0/0' };

function defaultGroup(ctx: RequestContext): SecurityGroupRecord {
  const net = defaultNetwork(ctx.accountId, ctx.region);
  return {
    accountId: ctx.accountId,
    region: ctx.region,
    groupId: net.securityGroupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId: net.vpcId,
    ingress: [{ ipProtocol: '-1', groupId: net.securityGroupId }],
    egress: [allEgress],
    tags: [],
  };
}

/** The account's groups in the region, the default one included. */
export async function groupsOf(deps: Pick<Ec2Deps, 'store'>, ctx: RequestContext): Promise<SecurityGroupRecord[]> {
  const stored = await deps.store.listSecurityGroups(ctx.accountId, ctx.region);
  const base = defaultGroup(ctx);
  const all = stored.some((g) => g.groupId === base.groupId) ? stored : [...stored, base];
  return all.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
}

/** The group named by id, or by name in the default VPC, or InvalidGroup.NotFound. */
async function findGroup(
  deps: Ec2Deps,
  ctx: RequestContext,
  groupId: string | undefined,
  groupName: string | undefined,
): Promise<SecurityGroupRecord> {
  const groups = await groupsOf(deps, ctx);
  if (groupId !== undefined) {
    const found = groups.find((g) => g.groupId === groupId);
    if (!found) throw ec2Errors.groupNotFound(groupId);
    return found;
  }
  const name = required(groupName, 'GroupId');
  const found = groups.find((g) => g.groupName === name);
  if (!found) throw ec2Errors.groupNameNotFound(name, defaultNetwork(ctx.accountId, ctx.region).vpcId);
  return found;
}

/** RunInstances' SecurityGroupIds / SecurityGroups (names) → ids, each one of the caller's groups. */
export async function resolveGroups(
  deps: Ec2Deps,
  ctx: RequestContext,
  ids: readonly string[],
  names: readonly string[],
): Promise<string[]> {
  const resolved: string[] = [];
  for (const id of ids) resolved.push((await findGroup(deps, ctx, id, undefined)).groupId);
  for (const name of names) resolved.push((await findGroup(deps, ctx, undefined, name)).groupId);
  return [...new Set(resolved)];
}

export async function createSecurityGroup(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.CreateSecurityGroupRequest,
): Promise<EC2.CreateSecurityGroupResult> {
  const name = required(input.GroupName, 'GroupName');
  const description = required(input.Description, 'GroupDescription');
  if (name.length > 255 || name.startsWith('sg-'))
    throw ec2Errors.invalidParameterValue(
      `Invalid value '${name}' for groupName. Length must be at most 255 and it must not start with sg-.`,
    );
  if (name === 'default') throw ec2Errors.groupReserved(name);
  const net = defaultNetwork(ctx.accountId, ctx.region);
  // An empty VpcId (Packer sends `VpcId=`) means the default VPC, as on AWS.
  const vpcId = input.VpcId || net.vpcId;
  if (vpcId !== net.vpcId) throw ec2Errors.vpcNotFound(vpcId);
  if ((await groupsOf(deps, ctx)).some((g) => g.groupName === name)) throw ec2Errors.groupDuplicate(name, vpcId);
  const tags = tagsFor(input.TagSpecifications, 'security-group');
  if (input.DryRun) throw ec2Errors.dryRun();
  const group: SecurityGroupRecord = {
    accountId: ctx.accountId,
    region: ctx.region,
    groupId: newId('sg', deps.random),
    groupName: name,
    description,
    vpcId,
    ingress: [],
    egress: [allEgress],
    tags,
  };
  await deps.store.putSecurityGroup(group);
  return { GroupId: group.groupId, SecurityGroupArn: arn(group), Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) };
}

const arn = (g: SecurityGroupRecord): string => `arn:aws:ec2:${g.region}:${g.accountId}:security-group/${g.groupId}`;

/** DeleteSecurityGroup: not the default group, not while an instance (not terminated) uses it. */
export async function deleteSecurityGroup(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DeleteSecurityGroupRequest,
): Promise<EC2.DeleteSecurityGroupResult> {
  const group = await findGroup(deps, ctx, input.GroupId, input.GroupName);
  if (group.groupName === 'default') throw ec2Errors.groupCannotDelete(group.groupId);
  const users = (await deps.store.listInstances(ctx.region)).filter(
    (i) => i.accountId === ctx.accountId && i.state !== 'terminated' && i.securityGroupIds.includes(group.groupId),
  );
  if (users.length > 0) throw ec2Errors.groupInUse(group.groupId);
  if (input.DryRun) throw ec2Errors.dryRun();
  await deps.store.deleteSecurityGroup(ctx.region, group.groupId);
  return { Return: true, GroupId: group.groupId };
}

/** IpPermissions (or the older CidrIp/IpProtocol/FromPort/ToPort form) → one rule per source. */
function rulesFrom(input: EC2.AuthorizeSecurityGroupIngressRequest): SecurityGroupRuleRecord[] {
  const permissions: EC2.IpPermission[] = input.IpPermissions?.length
    ? input.IpPermissions
    : input.IpProtocol !== undefined
      ? [
          {
            IpProtocol: input.IpProtocol,
            FromPort: input.FromPort,
            ToPort: input.ToPort,
            IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
          },
        ]
      : [];
  if (permissions.length === 0) throw ec2Errors.missingParameter('IpPermissions');
  return permissions.flatMap((p) => {
    const protocol = required(p.IpProtocol, 'IpPermissions.IpProtocol').toLowerCase();
    const ports =
      protocol === '-1' || protocol === 'all'
        ? {}
        : { ...(p.FromPort !== undefined && { fromPort: p.FromPort }), ...(p.ToPort !== undefined && { toPort: p.ToPort }) };
    const base = { ipProtocol: protocol === 'all' ? '-1' : protocol, ...ports };
    const sources: SecurityGroupRuleRecord[] = [
      ...(p.IpRanges ?? []).map((r) => ({
        ...base,
        cidrIp: checkCidr(required(r.CidrIp, 'CidrIp')),
        ...(r.Description !== undefined && { description: r.Description }),
      })),
      ...(p.Ipv6Ranges ?? []).map((r) => ({
        ...base,
        cidrIpv6: required(r.CidrIpv6, 'CidrIpv6'),
        ...(r.Description !== undefined && { description: r.Description }),
      })),
      ...(p.UserIdGroupPairs ?? []).map((g) => ({ ...base, groupId: required(g.GroupId, 'GroupId') })),
    ];
    return sources.length > 0 ? sources : [{ ...base, cidrIp: '0.0.0.0/0' }];
  });
}

function checkCidr(cidr: string): string {
  if (!/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(cidr)) throw ec2Errors.invalidParameterValue(`CIDR block ${cidr} is malformed`);
  return cidr;
}

const sameRule = (a: SecurityGroupRuleRecord, b: SecurityGroupRuleRecord): boolean =>
  a.ipProtocol === b.ipProtocol &&
  a.fromPort === b.fromPort &&
  a.toPort === b.toPort &&
  a.cidrIp === b.cidrIp &&
  a.cidrIpv6 === b.cidrIpv6 &&
  a.groupId === b.groupId;

/** AWS: `the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists`. */
const describeRule = (r: SecurityGroupRuleRecord): string =>
  `peer: ${r.cidrIp ?? r.cidrIpv6 ?? r.groupId}, ${r.ipProtocol === '-1' ? 'ALL' : r.ipProtocol.toUpperCase()}, from port: ${r.fromPort ?? 'any'}, to port: ${r.toPort ?? 'any'}, ALLOW`;

type Direction = 'ingress' | 'egress';

async function authorize(deps: Ec2Deps, ctx: RequestContext, input: EC2.AuthorizeSecurityGroupIngressRequest, direction: Direction) {
  const group = await findGroup(deps, ctx, input.GroupId, input.GroupName);
  const rules = rulesFrom(input);
  for (const r of rules) if (group[direction].some((x) => sameRule(x, r))) throw ec2Errors.permissionDuplicate(describeRule(r));
  if (input.DryRun) throw ec2Errors.dryRun();
  await deps.store.putSecurityGroup({ ...group, [direction]: [...group[direction], ...rules] });
  return {
    Return: true,
    SecurityGroupRules: rules.map((r) => ({
      SecurityGroupRuleId: newId('sgr', deps.random),
      GroupId: group.groupId,
      GroupOwnerId: ctx.accountId,
      IsEgress: direction === 'egress',
      IpProtocol: r.ipProtocol,
      FromPort: r.fromPort ?? -1,
      ToPort: r.toPort ?? -1,
      ...(r.cidrIp && { CidrIpv4: r.cidrIp }),
      ...(r.cidrIpv6 && { CidrIpv6: r.cidrIpv6 }),
      ...(r.groupId && { ReferencedGroupInfo: { GroupId: r.groupId, UserId: ctx.accountId } }),
    })),
  };
}

async function revoke(deps: Ec2Deps, ctx: RequestContext, input: EC2.RevokeSecurityGroupIngressRequest, direction: Direction) {
  const group = await findGroup(deps, ctx, input.GroupId, input.GroupName);
  const rules = rulesFrom(input);
  for (const r of rules) if (!group[direction].some((x) => sameRule(x, r))) throw ec2Errors.permissionNotFound();
  if (input.DryRun) throw ec2Errors.dryRun();
  await deps.store.putSecurityGroup({ ...group, [direction]: group[direction].filter((x) => !rules.some((r) => sameRule(x, r))) });
  return { Return: true };
}

export const authorizeSecurityGroupIngress = (
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.AuthorizeSecurityGroupIngressRequest,
): Promise<EC2.AuthorizeSecurityGroupIngressResult> => authorize(deps, ctx, input, 'ingress');
export const authorizeSecurityGroupEgress = (
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.AuthorizeSecurityGroupEgressRequest,
): Promise<EC2.AuthorizeSecurityGroupEgressResult> => authorize(deps, ctx, input, 'egress');
export const revokeSecurityGroupIngress = (
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.RevokeSecurityGroupIngressRequest,
): Promise<EC2.RevokeSecurityGroupIngressResult> => revoke(deps, ctx, input, 'ingress');
export const revokeSecurityGroupEgress = (
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.RevokeSecurityGroupEgressRequest,
): Promise<EC2.RevokeSecurityGroupEgressResult> => revoke(deps, ctx, input, 'egress');

/** Rules grouped back into IpPermissions (one per protocol and port range), as AWS shows them. */
function permissions(rules: readonly SecurityGroupRuleRecord[]): EC2.IpPermission[] {
  const byKey = new Map<
    string,
    EC2.IpPermission & { IpRanges: EC2.IpRange[]; Ipv6Ranges: EC2.Ipv6Range[]; UserIdGroupPairs: EC2.UserIdGroupPair[] }
  >();
  for (const r of rules) {
    const key = `${r.ipProtocol}/${r.fromPort}/${r.toPort}`;
    let p = byKey.get(key);
    if (!p) {
      p = {
        IpProtocol: r.ipProtocol,
        ...(r.fromPort !== undefined && { FromPort: r.fromPort }),
        ...(r.toPort !== undefined && { ToPort: r.toPort }),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byKey.set(key, p);
    }
    // A range's Description is kept but not shown: the binding's XML names map `Description` to the group's.
    if (r.cidrIp) p.IpRanges.push({ CidrIp: r.cidrIp });
    if (r.cidrIpv6) p.Ipv6Ranges.push({ CidrIpv6: r.cidrIpv6 });
    if (r.groupId) p.UserIdGroupPairs.push({ GroupId: r.groupId });
  }
  return [...byKey.values()];
}

export async function describeSecurityGroups(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeSecurityGroupsRequest,
): Promise<EC2.DescribeSecurityGroupsResult> {
  const maxResults = checkMaxResults(input.MaxResults, 5, 1000);
  const matches = compileFilters(
    input.Filters,
    {
      'group-id': (g: SecurityGroupRecord) => [g.groupId],
      'group-name': (g) => [g.groupName],
      description: (g) => [g.description],
      'vpc-id': (g) => [g.vpcId],
      'owner-id': (g) => [g.accountId],
      'tag-key': (g) => g.tags.map((t) => t.key),
      'ip-permission.from-port': (g) => g.ingress.map((r) => (r.fromPort === undefined ? undefined : String(r.fromPort))),
      'ip-permission.to-port': (g) => g.ingress.map((r) => (r.toPort === undefined ? undefined : String(r.toPort))),
      'ip-permission.cidr': (g) => g.ingress.map((r) => r.cidrIp),
      'ip-permission.protocol': (g) => g.ingress.map((r) => r.ipProtocol),
    },
    (name) =>
      name.startsWith('tag:') ? (g: SecurityGroupRecord) => g.tags.filter((t) => t.key === name.slice(4)).map((t) => t.value) : undefined,
  );
  if (input.DryRun) throw ec2Errors.dryRun();
  let groups = await groupsOf(deps, ctx);
  for (const id of input.GroupIds ?? []) if (!groups.some((g) => g.groupId === id)) throw ec2Errors.groupNotFound(id);
  for (const name of input.GroupNames ?? [])
    if (!groups.some((g) => g.groupName === name)) throw ec2Errors.groupNameNotFound(name, defaultNetwork(ctx.accountId, ctx.region).vpcId);
  if (input.GroupIds?.length) groups = groups.filter((g) => input.GroupIds!.includes(g.groupId));
  if (input.GroupNames?.length) groups = groups.filter((g) => input.GroupNames!.includes(g.groupName));
  const page = paginate(groups.filter(matches), (g) => g.groupId, maxResults, input.NextToken);
  return {
    SecurityGroups: page.items.map((g) => ({
      GroupId: g.groupId,
      GroupName: g.groupName,
      Description: g.description,
      OwnerId: g.accountId,
      VpcId: g.vpcId,
      SecurityGroupArn: arn(g),
      IpPermissions: permissions(g.ingress),
      IpPermissionsEgress: permissions(g.egress),
      Tags: g.tags.map((t) => ({ Key: t.key, Value: t.value })),
    })),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
}
