// The emulated account of one region. Records keep the JSON shapes AWS returns (the AWS CLI
// and SDK member names), so describe calls hand them out as they are. Security group rules
// are stored one source per rule, as AWS stores them (each has its sgr id); IpPermissions
// are rebuilt from them on every describe.

import { createHash } from 'node:crypto';
import type {
  AwsIpPermission, AwsSecurityGroup, AwsSecurityGroupRule, AwsTag, AwsUserIdGroupPair,
} from '../../src/model/awsShapes';

export type Json = Record<string, unknown>;

export type SourceKind = 'cidr4' | 'cidr6' | 'prefixList' | 'group';

export interface StoredRule {
  id: string;
  groupId: string;
  egress: boolean;
  /** As AWS reports it: tcp, udp, icmp, icmpv6, -1, or a protocol number. */
  protocol: string;
  /** Absent for protocol -1 and protocols without ports. */
  fromPort?: number;
  toPort?: number;
  kind: SourceKind;
  /** The CIDR, prefix list id or referenced group id. */
  value: string;
  /** For group sources: the pair as AWS reports it, without its description. */
  pair?: AwsUserIdGroupPair;
  description?: string;
  tags: AwsTag[];
}

export interface RegionState {
  region: string;
  accountId: string;
  /** Security groups without their permissions (those come from `rules`). */
  groups: Json[];
  rules: StoredRule[];
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
  /** ENI id -> the cluster whose instances it serves (RDS-managed interfaces follow the cluster's groups). */
  eniCluster: Record<string, string>;
  /** Feeds new ids; kept in the state so a reset replays the same ids. */
  idCounter: number;
}

export function emptyRegionState(region: string, accountId: string): RegionState {
  return {
    region, accountId, groups: [], rules: [], clusters: [], instances: [], subnetGroups: [], subnets: [],
    routeTables: [], networkAcls: [], networkInterfaces: [], vpcs: [], prefixLists: [], prefixListEntries: {}, eniCluster: {},
    idCounter: 0,
  };
}

function hexId(prefix: string, seed: string): string {
  return `${prefix}-${createHash('sha256').update(seed).digest('hex').slice(0, 17)}`;
}

/** A new resource id, deterministic for a given state history (so runs are reproducible). */
export function newId(state: RegionState, prefix: string): string {
  state.idCounter += 1;
  return hexId(prefix, `${state.region}/${prefix}/${state.idCounter}`);
}

/** A stable sgr id for a seeded rule that came without one. */
export function seededRuleId(region: string, rule: Omit<StoredRule, 'id' | 'tags'>): string {
  return hexId('sgr', `${region}/seed/${ruleIdentity(rule)}`);
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

/** The protocol as AWS stores and reports it. */
export function normaliseProtocol(raw: string | number | undefined): string {
  const text = String(raw ?? '').trim().toLowerCase();
  return PROTOCOL_NAMES[text] ?? text;
}

/** Whether FromPort/ToPort mean something for the protocol (ports, or ICMP type and code). */
export function protocolHasPorts(protocol: string): boolean {
  return protocol === 'tcp' || protocol === 'udp' || protocol === 'icmp' || protocol === 'icmpv6';
}

/** What makes two rules the same rule for AWS: everything but the description and tags. */
export function ruleIdentity(rule: Pick<StoredRule, 'groupId' | 'egress' | 'protocol' | 'fromPort' | 'toPort' | 'kind' | 'value'>): string {
  const ports = protocolHasPorts(rule.protocol) ? `${rule.fromPort ?? -1}:${rule.toPort ?? -1}` : '';
  return JSON.stringify([rule.groupId, rule.egress, rule.protocol, ports, rule.kind, rule.value]);
}

type RuleDraft = Omit<StoredRule, 'id' | 'tags'>;

/** Expands IpPermissions into one draft rule per source, in AWS's order of sources. */
export function draftsFromPermissions(groupId: string, egress: boolean, permissions: AwsIpPermission[]): RuleDraft[] {
  const drafts: RuleDraft[] = [];
  for (const permission of permissions) {
    const protocol = normaliseProtocol(permission.IpProtocol);
    const base: Pick<RuleDraft, 'groupId' | 'egress' | 'protocol' | 'fromPort' | 'toPort'> = { groupId, egress, protocol };
    if (protocolHasPorts(protocol)) {
      if (permission.FromPort !== undefined) base.fromPort = permission.FromPort;
      if (permission.ToPort !== undefined) base.toPort = permission.ToPort;
    }
    const add = (kind: SourceKind, value: string, description: string | undefined, pair?: AwsUserIdGroupPair) => {
      const draft: RuleDraft = { ...base, kind, value };
      if (pair) draft.pair = pair;
      if (description !== undefined) draft.description = description;
      drafts.push(draft);
    };
    for (const range of permission.IpRanges ?? []) if (range.CidrIp !== undefined) add('cidr4', range.CidrIp, range.Description);
    for (const range of permission.Ipv6Ranges ?? []) if (range.CidrIpv6 !== undefined) add('cidr6', range.CidrIpv6, range.Description);
    for (const pl of permission.PrefixListIds ?? []) if (pl.PrefixListId !== undefined) add('prefixList', pl.PrefixListId, pl.Description);
    for (const pair of permission.UserIdGroupPairs ?? []) {
      const { Description, ...rest } = pair;
      add('group', pair.GroupId ?? pair.GroupName ?? '', Description, rest);
    }
  }
  return drafts;
}

/** Groups a security group's rules back into IpPermissions, one entry per protocol and port range. */
export function permissionsFromRules(rules: StoredRule[]): AwsIpPermission[] {
  const byKey = new Map<string, Required<Pick<AwsIpPermission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs'>> & AwsIpPermission>();
  for (const rule of rules) {
    const key = JSON.stringify([rule.protocol, rule.fromPort, rule.toPort]);
    let permission = byKey.get(key);
    if (!permission) {
      permission = { IpProtocol: rule.protocol, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
      if (rule.fromPort !== undefined) permission.FromPort = rule.fromPort;
      if (rule.toPort !== undefined) permission.ToPort = rule.toPort;
      byKey.set(key, permission);
    }
    const described = <T extends object>(entry: T): T => (rule.description !== undefined ? { ...entry, Description: rule.description } : entry);
    if (rule.kind === 'cidr4') permission.IpRanges.push(described({ CidrIp: rule.value }));
    else if (rule.kind === 'cidr6') permission.Ipv6Ranges.push(described({ CidrIpv6: rule.value }));
    else if (rule.kind === 'prefixList') permission.PrefixListIds.push(described({ PrefixListId: rule.value }));
    else permission.UserIdGroupPairs.push(described({ ...(rule.pair ?? { GroupId: rule.value }) }));
  }
  return [...byKey.values()];
}

/** The rules of each group, in rule order (one pass, for calls that describe many groups). */
export function rulesByGroup(state: RegionState): Map<string, StoredRule[]> {
  const byGroup = new Map<string, StoredRule[]>();
  for (const rule of state.rules) {
    const list = byGroup.get(rule.groupId);
    if (list) list.push(rule);
    else byGroup.set(rule.groupId, [rule]);
  }
  return byGroup;
}

/** A security group as DescribeSecurityGroups returns it. */
export function describeGroup(state: RegionState, group: Json, byGroup?: Map<string, StoredRule[]>): AwsSecurityGroup {
  const groupId = group.GroupId as string;
  const own = byGroup ? byGroup.get(groupId) ?? [] : state.rules.filter((r) => r.groupId === groupId);
  return {
    ...group,
    IpPermissions: permissionsFromRules(own.filter((r) => !r.egress)),
    IpPermissionsEgress: permissionsFromRules(own.filter((r) => r.egress)),
  } as AwsSecurityGroup;
}

/** A rule as DescribeSecurityGroupRules returns it. */
export function describeRule(state: RegionState, rule: StoredRule): AwsSecurityGroupRule & Json {
  const group = state.groups.find((g) => g.GroupId === rule.groupId);
  const out: AwsSecurityGroupRule & Json = {
    SecurityGroupRuleId: rule.id,
    GroupId: rule.groupId,
    GroupOwnerId: (group?.OwnerId as string | undefined) ?? state.accountId,
    IsEgress: rule.egress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort ?? -1,
    ToPort: rule.toPort ?? -1,
  };
  if (rule.kind === 'cidr4') out.CidrIpv4 = rule.value;
  else if (rule.kind === 'cidr6') out.CidrIpv6 = rule.value;
  else if (rule.kind === 'prefixList') out.PrefixListId = rule.value;
  else {
    const info: Json = { GroupId: rule.pair?.GroupId ?? rule.value };
    if (rule.pair?.UserId) info.UserId = rule.pair.UserId;
    if (rule.pair?.VpcId) info.VpcId = rule.pair.VpcId;
    if (rule.pair?.VpcPeeringConnectionId) info.VpcPeeringConnectionId = rule.pair.VpcPeeringConnectionId;
    if (rule.pair?.PeeringStatus) info.PeeringStatus = rule.pair.PeeringStatus;
    out.ReferencedGroupInfo = info;
  }
  if (rule.description !== undefined) out.Description = rule.description;
  out.Tags = rule.tags;
  out.SecurityGroupRuleArn = `arn:aws:ec2:${state.region}:${out.GroupOwnerId}:security-group-rule/${rule.id}`;
  return out;
}

/** The id of the VPC a cluster lives in, from its DB subnet group. */
export function clusterVpcId(state: RegionState, cluster: Json): string | undefined {
  const name = cluster.DBSubnetGroup as string | undefined;
  const group = state.subnetGroups.find((g) => g.DBSubnetGroupName === name);
  return group?.VpcId as string | undefined;
}
