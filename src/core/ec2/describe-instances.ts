import type * as EC2 from '@aws-sdk/client-ec2';
import type { RequestContext } from '../shared/request-context.js';
import type { InstanceRecord } from '../../storage/ports/ec2-store.js';
import type { Ec2Deps } from './ec2-context.js';
import { ec2Errors } from './errors.js';
import { ownInstances } from './instance-access.js';
import { stateCodes } from './instance-state.js';
import { privateDnsName, toReservations } from './instance-view.js';
import { checkMaxResults, paginate } from './paging.js';
import { compileFilters } from './simple-filters.js';

type I = InstanceRecord;

/** DescribeInstances' common filters (names as the API reference lists them). */
const instanceFilters: Record<string, (i: I) => readonly (string | undefined)[]> = {
  'instance-id': (i) => [i.instanceId],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(stateCodes[i.state])],
  'image-id': (i) => [i.imageId],
  'instance-type': (i) => [i.instanceType],
  'key-name': (i) => [i.keyName],
  'vpc-id': (i) => [i.vpcId],
  'subnet-id': (i) => [i.subnetId],
  'availability-zone': (i) => [i.availabilityZone],
  'reservation-id': (i) => [i.reservationId],
  'owner-id': (i) => [i.accountId],
  'private-ip-address': (i) => [i.privateIpAddress],
  'private-dns-name': (i) => [privateDnsName(i.privateIpAddress, i.region)],
  'launch-index': (i) => [String(i.amiLaunchIndex)],
  architecture: (i) => [i.architecture],
  'root-device-name': (i) => [i.rootDeviceName],
  'root-device-type': () => ['ebs'],
  'client-token': (i) => [i.clientToken],
  'instance.group-id': (i) => i.securityGroupIds,
  'group-id': (i) => i.securityGroupIds,
  'iam-instance-profile.arn': (i) => [i.iamInstanceProfileArn],
  'block-device-mapping.volume-id': (i) => i.volumes.map((v) => v.volumeId),
  'block-device-mapping.device-name': (i) => i.volumes.map((v) => v.deviceName),
  'tag-key': (i) => i.tags.map((t) => t.key),
  'tag-value': (i) => i.tags.map((t) => t.value),
  'state-reason-code': (i) => [i.stateReason?.code],
};

const tagFilter = (name: string) =>
  name.startsWith('tag:') ? (i: I) => i.tags.filter((t) => t.key === name.slice(4)).map((t) => t.value) : undefined;

/** The caller's instances in the region: the ids asked for (each must exist), filtered, by id. */
async function selected(
  deps: Ec2Deps,
  ctx: RequestContext,
  ids: readonly string[] | undefined,
  filters: readonly EC2.Filter[] | undefined,
  table = instanceFilters,
): Promise<I[]> {
  const matches = compileFilters(filters, table, tagFilter);
  const scope =
    ids && ids.length > 0
      ? await ownInstances(deps, ctx, ids)
      : (await deps.store.listInstances(ctx.region)).filter((i) => i.accountId === ctx.accountId);
  return scope.filter(matches).sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
}

function checkIdsAndMax(ids: readonly string[] | undefined, maxResults: number | undefined): void {
  if (ids && ids.length > 0 && maxResults !== undefined) {
    throw ec2Errors.invalidCombination('The parameter instancesSet cannot be used with the parameter maxResults');
  }
}

/** DescribeInstances: pages count instances (5–1000 per page); each page groups its instances by reservation. */
export async function describeInstances(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeInstancesRequest,
): Promise<EC2.DescribeInstancesResult> {
  checkIdsAndMax(input.InstanceIds, input.MaxResults);
  const maxResults = checkMaxResults(input.MaxResults, 5, 1000);
  const all = await selected(deps, ctx, input.InstanceIds, input.Filters);
  if (input.DryRun) throw ec2Errors.dryRun();
  const page = paginate(all, (i) => i.instanceId, maxResults, input.NextToken);
  return { Reservations: toReservations(page.items), ...(page.nextToken !== undefined && { NextToken: page.nextToken }) };
}

const statusOf = (i: I): EC2.SummaryStatus => (i.state === 'running' ? 'ok' : 'not-applicable');

const statusFilters: Record<string, (i: I) => readonly (string | undefined)[]> = {
  'availability-zone': (i) => [i.availabilityZone],
  'instance-state-name': (i) => [i.state],
  'instance-state-code': (i) => [String(stateCodes[i.state])],
  'instance-status.status': (i) => [statusOf(i)],
  'instance-status.reachability': (i) => [i.state === 'running' ? 'passed' : undefined],
  'system-status.status': (i) => [statusOf(i)],
  'system-status.reachability': (i) => [i.state === 'running' ? 'passed' : undefined],
};

/**
 * DescribeInstanceStatus: running instances only unless IncludeAllInstances; a running instance's
 * checks are `ok`/`passed` (no impaired hardware here), others `not-applicable`.
 */
export async function describeInstanceStatus(
  deps: Ec2Deps,
  ctx: RequestContext,
  input: EC2.DescribeInstanceStatusRequest,
): Promise<EC2.DescribeInstanceStatusResult> {
  checkIdsAndMax(input.InstanceIds, input.MaxResults);
  const maxResults = checkMaxResults(input.MaxResults, 5, 1000);
  const all = (await selected(deps, ctx, input.InstanceIds, input.Filters, statusFilters)).filter(
    (i) => input.IncludeAllInstances || i.state === 'running',
  );
  if (input.DryRun) throw ec2Errors.dryRun();
  const page = paginate(all, (i) => i.instanceId, maxResults, input.NextToken);
  return {
    InstanceStatuses: page.items.map((i) => {
      const summary = {
        Status: statusOf(i),
        Details: i.state === 'running' ? [{ Name: 'reachability' as const, Status: 'passed' as const }] : [],
      };
      return {
        InstanceId: i.instanceId,
        AvailabilityZone: i.availabilityZone,
        InstanceState: { Code: stateCodes[i.state], Name: i.state },
        InstanceStatus: summary,
        SystemStatus: summary,
      };
    }),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
}
