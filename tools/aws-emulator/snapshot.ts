// A normalised picture of a region's state, for tests that compare "before" and "after":
// lists sorted, rules in a canonical order, so equal accounts give deep-equal snapshots.

import type { AwsIpPermission } from '../../src/model/awsShapes';
import { type Json, type RegionState, describeGroup, describeRule, ruleIdentity, rulesByGroup } from './state';

export interface SnapshotOptions {
  /** Include sgr ids. A rule revoked and authorized again gets a new id (as on AWS), so backout checks leave them out. */
  ruleIds?: boolean;
}

export interface RegionSnapshot {
  region: string;
  securityGroups: Json[];
  securityGroupRules: Json[];
  dbClusters: Json[];
  dbInstances: Json[];
  networkInterfaces: Json[];
}

const byJson = (a: unknown, b: unknown) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function sortedBy<T extends Json>(items: T[], key: string): T[] {
  return [...items].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}

function normalisePermission(permission: AwsIpPermission): AwsIpPermission {
  return {
    ...permission,
    IpRanges: [...(permission.IpRanges ?? [])].sort(byJson),
    Ipv6Ranges: [...(permission.Ipv6Ranges ?? [])].sort(byJson),
    PrefixListIds: [...(permission.PrefixListIds ?? [])].sort(byJson),
    UserIdGroupPairs: [...(permission.UserIdGroupPairs ?? [])].sort(byJson),
  };
}

function withSortedList(record: Json, listKey: string, idKey: string): Json {
  const list = record[listKey] as Json[] | undefined;
  return list ? { ...record, [listKey]: sortedBy(list, idKey) } : { ...record };
}

export function snapshotRegion(state: RegionState, options: SnapshotOptions = {}): RegionSnapshot {
  const keepIds = options.ruleIds !== false;
  const byGroup = rulesByGroup(state);
  const securityGroups = sortedBy(state.groups, 'GroupId').map((g) => {
    const described = describeGroup(state, g, byGroup);
    return {
      ...described,
      IpPermissions: (described.IpPermissions ?? []).map(normalisePermission).sort(byJson),
      IpPermissionsEgress: (described.IpPermissionsEgress ?? []).map(normalisePermission).sort(byJson),
    } as Json;
  });
  const securityGroupRules = [...state.rules]
    .sort((a, b) => ruleIdentity(a).localeCompare(ruleIdentity(b)))
    .map((r) => {
      const described: Json = describeRule(state, r);
      if (!keepIds) {
        delete described.SecurityGroupRuleId;
        delete described.SecurityGroupRuleArn;
      }
      return described;
    });
  return {
    region: state.region,
    securityGroups,
    securityGroupRules,
    dbClusters: sortedBy(state.clusters, 'DBClusterIdentifier').map((c) => withSortedList(c, 'VpcSecurityGroups', 'VpcSecurityGroupId')),
    dbInstances: sortedBy(state.instances, 'DBInstanceIdentifier').map((i) => withSortedList(i, 'VpcSecurityGroups', 'VpcSecurityGroupId')),
    networkInterfaces: sortedBy(state.networkInterfaces, 'NetworkInterfaceId').map((e) => withSortedList(e, 'Groups', 'GroupId')),
  };
}
