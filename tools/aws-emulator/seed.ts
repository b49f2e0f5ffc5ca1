// Reads an evidence folder (the AWS CLI's JSON output saved to files) into a region state.
// Every file is optional; a file that is present but malformed is an error naming the file.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSecurityGroup, AwsSecurityGroupRule } from '../../src/model/awsShapes';
import {
  type Json, type RegionState, type StoredRule, draftsFromPermissions, emptyRegionState, ruleIdentity, seededRuleId,
} from './state';

export const DEFAULT_REGION = 'eu-west-1';
export const DEFAULT_ACCOUNT = '123456789012';

/** The files of a seed folder, as read: the list each one holds (absent files give empty lists). */
export interface Seed {
  dir: string;
  region: string;
  accountId: string;
  securityGroups: AwsSecurityGroup[];
  securityGroupRules: AwsSecurityGroupRule[];
  clusters: Json[];
  instances: Json[];
  subnetGroups: Json[];
  subnets: Json[];
  routeTables: Json[];
  networkAcls: Json[];
  networkInterfaces: Json[];
  vpcs: Json[];
  prefixLists: Json[];
  prefixListEntries: Record<string, Json[]>;
}

export class SeedError extends Error {}

function readList(dir: string, file: string, key: string): Json[] {
  const path = join(dir, file);
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const list = (parsed as Json | null)?.[key];
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(list)) {
    throw new SeedError(`${path}: expected an object with a "${key}" list, as \`aws\` prints it`);
  }
  list.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new SeedError(`${path}: ${key}[${i}] is not an object`);
  });
  return list as Json[];
}

function arnParts(arn: unknown): { region?: string; accountId?: string } {
  const parts = typeof arn === 'string' ? arn.split(':') : [];
  return parts.length >= 6 && parts[0] === 'arn' ? { region: parts[3] || undefined, accountId: parts[4] || undefined } : {};
}

/** Loads a seed folder. Region and account come from the clusters' ARNs when there are any. */
export function loadSeed(dir: string): Seed {
  if (!existsSync(dir)) throw new SeedError(`${dir}: seed folder not found`);
  const clusters = readList(dir, 'describe-db-clusters.json', 'DBClusters');
  const instances = readList(dir, 'describe-db-instances.json', 'DBInstances');
  const securityGroups = readList(dir, 'describe-security-groups.json', 'SecurityGroups') as AwsSecurityGroup[];
  const arns = [...clusters.map((c) => c.DBClusterArn), ...instances.map((i) => i.DBInstanceArn)].map(arnParts);
  const region = arns.find((a) => a.region)?.region ?? DEFAULT_REGION;
  const accountId = arns.find((a) => a.accountId)?.accountId ?? securityGroups.find((g) => g.OwnerId)?.OwnerId ?? DEFAULT_ACCOUNT;

  const prefixListEntries: Record<string, Json[]> = {};
  for (const file of readdirSync(dir).sort()) {
    const match = /^get-managed-prefix-list-entries\.(.+)\.json$/.exec(file);
    if (match) prefixListEntries[match[1]] = readList(dir, file, 'Entries');
  }

  // DB subnet groups: their own file when saved, else the copies embedded in the instances.
  let subnetGroups = readList(dir, 'describe-db-subnet-groups.json', 'DBSubnetGroups');
  if (subnetGroups.length === 0) {
    const byName = new Map<string, Json>();
    for (const instance of instances) {
      const group = instance.DBSubnetGroup as Json | undefined;
      if (group?.DBSubnetGroupName && !byName.has(group.DBSubnetGroupName as string)) byName.set(group.DBSubnetGroupName as string, group);
    }
    subnetGroups = [...byName.values()];
  }

  return {
    dir, region, accountId, clusters, instances, securityGroups, subnetGroups, prefixListEntries,
    securityGroupRules: readList(dir, 'describe-security-group-rules.json', 'SecurityGroupRules') as AwsSecurityGroupRule[],
    subnets: readList(dir, 'describe-subnets.json', 'Subnets'),
    routeTables: readList(dir, 'describe-route-tables.json', 'RouteTables'),
    networkAcls: readList(dir, 'describe-network-acls.json', 'NetworkAcls'),
    networkInterfaces: readList(dir, 'describe-network-interfaces.json', 'NetworkInterfaces'),
    vpcs: readList(dir, 'describe-vpcs.json', 'Vpcs'),
    prefixLists: readList(dir, 'describe-managed-prefix-lists.json', 'PrefixLists'),
  };
}

/** The identity key of a DescribeSecurityGroupRules entry, to find the sgr id of a seeded rule. */
function identityOfListedRule(rule: AwsSecurityGroupRule): string | undefined {
  const base = { groupId: rule.GroupId ?? '', egress: Boolean(rule.IsEgress) };
  const [draft] = draftsFromPermissions(base.groupId, base.egress, [{
    IpProtocol: rule.IpProtocol,
    FromPort: rule.FromPort,
    ToPort: rule.ToPort,
    IpRanges: rule.CidrIpv4 ? [{ CidrIp: rule.CidrIpv4 }] : [],
    Ipv6Ranges: rule.CidrIpv6 ? [{ CidrIpv6: rule.CidrIpv6 }] : [],
    PrefixListIds: rule.PrefixListId ? [{ PrefixListId: rule.PrefixListId }] : [],
    UserIdGroupPairs: rule.ReferencedGroupInfo?.GroupId ? [{ GroupId: rule.ReferencedGroupInfo.GroupId }] : [],
  }]);
  return draft ? ruleIdentity(draft) : undefined;
}

/**
 * Replaces the seed's region name (and account id) inside every string, so a copy in another
 * region or account has its own ARNs, zones and owner ids.
 */
function relocate<T>(value: T, moves: [from: string, to: string][]): T {
  let text = JSON.stringify(value);
  for (const [from, to] of moves) if (from !== to) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}

/**
 * A fresh region state holding a copy of the seed, moved to `region` when that is not the
 * seed's own, and to `accountId` (an organization's member account) when given.
 */
export function stateFromSeed(seed: Seed, region: string, accountId = seed.accountId): RegionState {
  const data = relocate({
    clusters: seed.clusters, instances: seed.instances, subnetGroups: seed.subnetGroups, subnets: seed.subnets,
    routeTables: seed.routeTables, networkAcls: seed.networkAcls, networkInterfaces: seed.networkInterfaces, vpcs: seed.vpcs,
    prefixLists: seed.prefixLists, prefixListEntries: seed.prefixListEntries,
    securityGroups: seed.securityGroups, securityGroupRules: seed.securityGroupRules,
  }, [[seed.region, region], [seed.accountId, accountId]]);
  const state = emptyRegionState(region, accountId);
  Object.assign(state, {
    clusters: data.clusters, instances: data.instances, subnetGroups: data.subnetGroups, subnets: data.subnets,
    routeTables: data.routeTables, networkAcls: data.networkAcls, networkInterfaces: data.networkInterfaces, vpcs: data.vpcs,
    prefixLists: data.prefixLists, prefixListEntries: data.prefixListEntries,
  });

  // Prefix lists known only from their entries still exist in the account.
  for (const id of Object.keys(state.prefixListEntries)) {
    if (!state.prefixLists.some((pl) => pl.PrefixListId === id)) {
      const ipv6 = state.prefixListEntries[id].some((e) => String(e.Cidr ?? '').includes(':'));
      state.prefixLists.push({
        PrefixListId: id, AddressFamily: ipv6 ? 'IPv6' : 'IPv4', State: 'create-complete', PrefixListName: id,
        MaxEntries: Math.max(state.prefixListEntries[id].length, 10), Version: 1, Tags: [], OwnerId: accountId,
        PrefixListArn: `arn:aws:ec2:${region}:${accountId}:prefix-list/${id}`,
      });
    }
  }

  const knownIds = new Map<string, AwsSecurityGroupRule>();
  for (const listed of data.securityGroupRules) {
    const key = identityOfListedRule(listed);
    if (key && listed.SecurityGroupRuleId) knownIds.set(key, listed);
  }
  for (const raw of data.securityGroups) {
    const { IpPermissions, IpPermissionsEgress, ...group } = raw;
    if (!group.GroupId) continue;
    state.groups.push(group as Json);
    const drafts = [
      ...draftsFromPermissions(group.GroupId, false, IpPermissions ?? []),
      ...draftsFromPermissions(group.GroupId, true, IpPermissionsEgress ?? []),
    ];
    for (const draft of drafts) {
      const listed = knownIds.get(ruleIdentity(draft));
      const rule: StoredRule = {
        ...draft,
        id: listed?.SecurityGroupRuleId ?? seededRuleId(region, draft),
        tags: ((listed as Json | undefined)?.Tags as StoredRule['tags'] | undefined) ?? [],
      };
      if (!state.rules.some((r) => ruleIdentity(r) === ruleIdentity(rule))) state.rules.push(rule);
    }
  }

  assignInterfacesToClusters(state);
  return state;
}

/**
 * RDS-managed network interfaces carry their cluster's security groups. The evidence does not say
 * which cluster an interface serves, so each one goes to a cluster in its VPC with the same set of
 * groups (at most one interface per cluster member), and follows that cluster's group changes.
 */
function assignInterfacesToClusters(state: RegionState): void {
  const load = new Map<string, number>();
  const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  for (const eni of state.networkInterfaces) {
    const isRds = eni.RequesterId === 'amazon-rds' || /^RDSNetworkInterface/.test(String(eni.Description ?? ''));
    if (!isRds) continue;
    const eniGroups = ((eni.Groups as Json[] | undefined) ?? []).map((g) => String(g.GroupId));
    const cluster = state.clusters.find((c) => {
      const groups = ((c.VpcSecurityGroups as Json[] | undefined) ?? []).map((g) => String(g.VpcSecurityGroupId));
      const members = ((c.DBClusterMembers as Json[] | undefined) ?? []).length || 1;
      const subnetGroup = state.subnetGroups.find((g) => g.DBSubnetGroupName === c.DBSubnetGroup);
      const vpcOk = !subnetGroup?.VpcId || !eni.VpcId || subnetGroup.VpcId === eni.VpcId;
      return vpcOk && sameSet(groups, eniGroups) && (load.get(String(c.DBClusterIdentifier)) ?? 0) < members;
    });
    if (cluster) {
      const id = String(cluster.DBClusterIdentifier);
      load.set(id, (load.get(id) ?? 0) + 1);
      state.eniCluster[String(eni.NetworkInterfaceId)] = id;
    }
  }
}
