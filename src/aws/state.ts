// Reads the part of an account a plan touches (groups with their rules, clusters,
// instances), as AWS returns it: the journal keeps it verbatim so a backout can restore
// the exact old rules, descriptions included.

import type { AwsDBCluster, AwsDBInstance, AwsIpPermission, AwsSecurityGroup, AwsSecurityGroupRule } from '../model/awsShapes';
import { awsProtocol } from '../model/protocol';
import { ruleKey, securityGroupFromAws } from '../model/fromAws';
import type { Rule } from '../model/types';
import { endpointOf, type ClientPool } from './clients';
import { toAwsError } from './errors';
import { FILTER_VALUES_MAX, PAGE_SIZE, chunk } from './loader';
import { ec2Sdk, rdsSdk } from './sdk';

export interface StateSnapshot {
  securityGroups: AwsSecurityGroup[];
  securityGroupRules: AwsSecurityGroupRule[];
  dbClusters: AwsDBCluster[];
  dbInstances: AwsDBInstance[];
}

export interface StateQuery {
  groupIds?: string[];
  clusterIds?: string[];
  instanceIds?: string[];
  /** Groups looked up by name within a VPC (create-security-group's groupAbsent check). */
  groupNames?: { groupName: string; vpcId: string }[];
}

export function emptySnapshot(): StateSnapshot {
  return { securityGroups: [], securityGroupRules: [], dbClusters: [], dbInstances: [] };
}

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Reads what the query names, all calls side by side, each paginated. */
export async function readState(pool: ClientPool, profile: string, region: string, query: StateQuery): Promise<StateSnapshot> {
  const ec2 = await ec2Sdk();
  const rds = await rdsSdk();
  const groupIds = unique((query.groupIds ?? []).filter((id) => id.startsWith('sg-')));
  const clusterIds = unique(query.clusterIds ?? []);
  const instanceIds = unique(query.instanceIds ?? []);
  const wrap = async <T>(service: 'ec2' | 'rds', action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toAwsError(error, { profile, region, action: `${service}:${action}`, endpoint: endpointOf(service, region, pool.options.endpointUrl) });
    }
  };
  const all = async <P>(iterable: AsyncIterable<P>): Promise<P[]> => {
    const pages: P[] = [];
    for await (const page of iterable) pages.push(page);
    return pages;
  };

  const [groups, rules, byName, clusters, instances] = await Promise.all([
    wrap('ec2', 'DescribeSecurityGroups', async () => {
      const client = await pool.ec2(profile, region);
      const pages = await Promise.all(chunk(groupIds, FILTER_VALUES_MAX).map((ids) => all(ec2.paginateDescribeSecurityGroups({ client, pageSize: PAGE_SIZE.DescribeSecurityGroups }, { Filters: [{ Name: 'group-id', Values: ids }] }))));
      return pages.flat().flatMap((p) => p.SecurityGroups ?? []) as AwsSecurityGroup[];
    }),
    wrap('ec2', 'DescribeSecurityGroupRules', async () => {
      const client = await pool.ec2(profile, region);
      const pages = await Promise.all(chunk(groupIds, FILTER_VALUES_MAX).map((ids) => all(ec2.paginateDescribeSecurityGroupRules({ client, pageSize: PAGE_SIZE.DescribeSecurityGroupRules }, { Filters: [{ Name: 'group-id', Values: ids }] }))));
      return pages.flat().flatMap((p) => p.SecurityGroupRules ?? []) as AwsSecurityGroupRule[];
    }),
    wrap('ec2', 'DescribeSecurityGroups', async () => {
      if (!query.groupNames?.length) return [];
      const client = await pool.ec2(profile, region);
      const pages = await Promise.all(query.groupNames.map(({ groupName, vpcId }) => all(ec2.paginateDescribeSecurityGroups({ client, pageSize: PAGE_SIZE.DescribeSecurityGroups }, {
        Filters: [{ Name: 'group-name', Values: [groupName] }, { Name: 'vpc-id', Values: [vpcId] }],
      }))));
      return pages.flat().flatMap((p) => p.SecurityGroups ?? []) as AwsSecurityGroup[];
    }),
    wrap('rds', 'DescribeDBClusters', async () => {
      if (!clusterIds.length) return [];
      const client = await pool.rds(profile, region);
      const pages = await all(rds.paginateDescribeDBClusters({ client, pageSize: PAGE_SIZE.DescribeDBClusters }, { Filters: [{ Name: 'db-cluster-id', Values: clusterIds }] }));
      return pages.flatMap((p) => p.DBClusters ?? []) as AwsDBCluster[];
    }),
    wrap('rds', 'DescribeDBInstances', async () => {
      if (!instanceIds.length) return [];
      const client = await pool.rds(profile, region);
      const pages = await all(rds.paginateDescribeDBInstances({ client, pageSize: PAGE_SIZE.DescribeDBInstances }, { Filters: [{ Name: 'db-instance-id', Values: instanceIds }] }));
      return pages.flatMap((p) => p.DBInstances ?? []) as AwsDBInstance[];
    }),
  ]);
  const seen = new Set(groups.map((g) => g.GroupId));
  for (const group of byName) if (!seen.has(group.GroupId)) { groups.push(group); seen.add(group.GroupId); }
  // Filters by id are exact in AWS; re-check so a lenient endpoint cannot widen the snapshot.
  return {
    securityGroups: groups,
    securityGroupRules: rules,
    dbClusters: clusters.filter((c) => c.DBClusterIdentifier && clusterIds.includes(c.DBClusterIdentifier)),
    dbInstances: instances.filter((i) => i.DBInstanceIdentifier && instanceIds.includes(i.DBInstanceIdentifier)),
  };
}

/** The model's rules of a group in a snapshot, or undefined when the group is not there. */
export function rulesOfGroup(snapshot: StateSnapshot, groupId: string): Rule[] | undefined {
  const raw = snapshot.securityGroups.find((g) => g.GroupId === groupId);
  if (!raw) return undefined;
  return securityGroupFromAws(raw, [], { notes: [] })?.rules ?? [];
}

/** The groups a cluster uses now (not those being removed). */
export function clusterGroupIds(cluster: AwsDBCluster): string[] {
  return (cluster.VpcSecurityGroups ?? [])
    .filter((m) => m.VpcSecurityGroupId && (m.Status ?? 'active') !== 'inactive' && m.Status !== 'removing')
    .map((m) => m.VpcSecurityGroupId as string);
}

/** The IpPermissions entry that holds exactly this rule (description included when asked: an exact restore). */
export function permissionOfRule(rule: Rule, withDescription: boolean): AwsIpPermission {
  const permission: AwsIpPermission = { IpProtocol: awsProtocol(rule.protocol) };
  if (rule.protocol !== 'all') {
    if (rule.fromPort !== undefined) permission.FromPort = rule.fromPort;
    if (rule.toPort !== undefined) permission.ToPort = rule.toPort;
  }
  const description = withDescription && rule.description !== undefined ? { Description: rule.description } : {};
  const { source } = rule;
  if (source.kind === 'cidr4') permission.IpRanges = [{ CidrIp: source.value, ...description }];
  else if (source.kind === 'cidr6') permission.Ipv6Ranges = [{ CidrIpv6: source.value, ...description }];
  else if (source.kind === 'prefixList') permission.PrefixListIds = [{ PrefixListId: source.value, ...description }];
  else {
    permission.UserIdGroupPairs = [{
      GroupId: source.value,
      ...(source.ownerId ? { UserId: source.ownerId } : {}),
      ...(source.vpcId ? { VpcId: source.vpcId } : {}),
      ...description,
    }];
  }
  return permission;
}

/**
 * A comparable picture of a snapshot: each group's rules as sorted identity keys with
 * their descriptions (rule ids left out: a restored rule gets a new sgr- id), each
 * cluster's group set, each instance's public flag.
 */
export function normaliseSnapshot(snapshot: StateSnapshot): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const raw of snapshot.securityGroups) {
    const group = securityGroupFromAws(raw, [], { notes: [] });
    if (!group) continue;
    out[`group ${group.groupId} (${group.groupName})`] = group.rules.map((r) => `${ruleKey(r)}|${r.description ?? ''}`).sort();
  }
  for (const cluster of snapshot.dbClusters) out[`cluster ${cluster.DBClusterIdentifier}`] = clusterGroupIds(cluster).sort();
  for (const instance of snapshot.dbInstances) out[`instance ${instance.DBInstanceIdentifier}`] = [`publiclyAccessible=${instance.PubliclyAccessible === true}`];
  return out;
}

/** What differs between two normalised pictures, one line per difference. */
export function diffNormalised(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  const lines: string[] = [];
  for (const key of unique([...Object.keys(before), ...Object.keys(after)]).sort()) {
    const a = before[key];
    const b = after[key];
    if (!a) { lines.push(`${key} is new`); continue; }
    if (!b) { lines.push(`${key} is gone`); continue; }
    for (const item of a) if (!b.includes(item)) lines.push(`${key}: lost ${item}`);
    for (const item of b) if (!a.includes(item)) lines.push(`${key}: gained ${item}`);
  }
  return lines;
}
