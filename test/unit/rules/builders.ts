// Small builders for audit tests: AWS-shaped input through the model's own converters, so
// the tests exercise the same path as evidence folders and live accounts.

import type { AwsIpPermission, AwsNetworkAclEntry } from '../../../src/model/awsShapes';
import {
  clusterFromAws, instanceFromAws, linkClustersAndInstances, networkAclFromAws, networkInterfaceFromAws, prefixListFromAws,
  routeTableFromAws, securityGroupFromAws, subnetFromAws, vpcFromAws,
} from '../../../src/model/fromAws';
import {
  createEmptyInventory, type Cluster, type Finding, type Instance, type Inventory, type NetworkAcl, type NetworkInterface, type PrefixList,
  type RouteTable, type RuleId, type SecurityGroup, type Subnet, type Target, type Vpc,
} from '../../../src/model/types';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';
export const REGION = 'eu-west-1';
export const VPC = 'vpc-0a1b2c3d';

/**
 * One IpPermissions entry. Sources by spelling: `sg-...` (optionally `sg-...@account`) is a
 * group, `pl-...` a prefix list, anything with `:` IPv6, anything else IPv4 (even if invalid).
 */
export function permission(protocol: string, fromPort: number | undefined, toPort: number | undefined, ...sources: string[]): AwsIpPermission {
  const p: AwsIpPermission = { IpProtocol: protocol };
  if (fromPort !== undefined) p.FromPort = fromPort;
  if (toPort !== undefined) p.ToPort = toPort;
  for (const source of sources) {
    if (source.startsWith('sg-')) {
      const [groupId, owner] = source.split('@');
      (p.UserIdGroupPairs ??= []).push({ GroupId: groupId, UserId: owner ?? ACCOUNT });
    } else if (source.startsWith('pl-')) (p.PrefixListIds ??= []).push({ PrefixListId: source });
    else if (source.includes(':')) (p.Ipv6Ranges ??= []).push({ CidrIpv6: source });
    else (p.IpRanges ??= []).push({ CidrIp: source });
  }
  return p;
}

export function tcp(port: number | [number, number], ...sources: string[]): AwsIpPermission {
  const [from, to] = Array.isArray(port) ? port : [port, port];
  return permission('tcp', from, to, ...sources);
}

export function allTraffic(...sources: string[]): AwsIpPermission {
  return permission('-1', undefined, undefined, ...sources);
}

export function group(
  groupId: string,
  ingress: AwsIpPermission[],
  options: { name?: string; egress?: AwsIpPermission[]; ownerId?: string; vpcId?: string } = {},
): SecurityGroup {
  const converted = securityGroupFromAws({
    GroupId: groupId,
    GroupName: options.name ?? `${groupId}-name`,
    Description: 'test group',
    VpcId: options.vpcId ?? VPC,
    OwnerId: options.ownerId ?? ACCOUNT,
    IpPermissions: ingress,
    IpPermissionsEgress: options.egress ?? [],
  }, ['SecurityGroups', 0], { notes: [] });
  if (!converted) throw new Error('builder: group did not convert');
  return converted;
}

export function cluster(clusterId: string, port: number, groupIds: string[], memberIds: string[] = []): Cluster {
  const converted = clusterFromAws({
    DBClusterIdentifier: clusterId,
    DBClusterArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${clusterId}`,
    Engine: port === 5432 ? 'aurora-postgresql' : 'aurora-mysql',
    Status: 'available',
    Port: port,
    VpcSecurityGroups: groupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    DBClusterMembers: memberIds.map((id, i) => ({ DBInstanceIdentifier: id, IsClusterWriter: i === 0 })),
  }, ['DBClusters', 0], { notes: [] });
  if (!converted) throw new Error('builder: cluster did not convert');
  return converted;
}

export function instance(instanceId: string, clusterId: string, options: { publiclyAccessible?: boolean; subnetIds?: string[]; networkType?: string } = {}): Instance {
  const converted = instanceFromAws({
    DBInstanceIdentifier: instanceId,
    DBClusterIdentifier: clusterId,
    Engine: 'aurora-mysql',
    DBInstanceStatus: 'available',
    PubliclyAccessible: options.publiclyAccessible ?? false,
    DBSubnetGroup: { DBSubnetGroupName: 'db-subnets', VpcId: VPC, Subnets: (options.subnetIds ?? ['subnet-a']).map((s) => ({ SubnetIdentifier: s })) },
    ...(options.networkType ? { NetworkType: options.networkType } : {}),
  }, ['DBInstances', 0], { notes: [] });
  if (!converted) throw new Error('builder: instance did not convert');
  return converted;
}

export function subnet(subnetId: string, vpcId = VPC): Subnet {
  return subnetFromAws({ SubnetId: subnetId, VpcId: vpcId, CidrBlock: '10.20.1.0/24' })!;
}

/** A route table; routes as [destination, target] or [destination, target, state], e.g. ['0.0.0.0/0', 'igw-1', 'blackhole']. */
export function routeTable(routeTableId: string, options: { main?: boolean; subnetIds?: string[]; routes: ([string, string] | [string, string, string])[]; vpcId?: string }): RouteTable {
  const associations = [
    ...(options.main ? [{ Main: true, RouteTableId: routeTableId }] : []),
    ...(options.subnetIds ?? []).map((s) => ({ Main: false, SubnetId: s, RouteTableId: routeTableId })),
  ];
  return routeTableFromAws({
    RouteTableId: routeTableId,
    VpcId: options.vpcId ?? VPC,
    Associations: associations,
    Routes: [
      { DestinationCidrBlock: '10.20.0.0/16', GatewayId: 'local', State: 'active' },
      ...options.routes.map(([destination, target, state]) => ({
        ...(destination.includes(':') ? { DestinationIpv6CidrBlock: destination } : { DestinationCidrBlock: destination }),
        ...(target.startsWith('nat-') ? { NatGatewayId: target } : target.startsWith('eigw-') ? { EgressOnlyInternetGatewayId: target } : { GatewayId: target }),
        State: state ?? 'active',
      })),
    ],
  })!;
}

export function networkInterface(eniId: string, groupIds: string[], options: { requesterId?: string; description?: string; instanceId?: string } = {}): NetworkInterface {
  return networkInterfaceFromAws({
    NetworkInterfaceId: eniId,
    VpcId: VPC,
    Groups: groupIds.map((g) => ({ GroupId: g })),
    ...(options.requesterId ? { RequesterId: options.requesterId } : {}),
    ...(options.description !== undefined ? { Description: options.description } : {}),
    ...(options.instanceId ? { Attachment: { InstanceId: options.instanceId } } : {}),
  })!;
}

/**
 * A network ACL entry as describe-network-acls prints it: `in(100, 'allow', '0.0.0.0/0')`,
 * `in(90, 'deny', '0.0.0.0/0', 'tcp', [3306, 3306])`; protocol default -1 (all).
 */
function aclEntry(egress: boolean, ruleNumber: number, action: 'allow' | 'deny', cidr: string, protocol = '-1', ports?: [number, number]): AwsNetworkAclEntry {
  return {
    ...(cidr.includes(':') ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
    Egress: egress,
    ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
    Protocol: protocol === 'tcp' ? '6' : protocol,
    RuleAction: action,
    RuleNumber: ruleNumber,
  };
}
export const aclIn = (ruleNumber: number, action: 'allow' | 'deny', cidr: string, protocol?: string, ports?: [number, number]) => aclEntry(false, ruleNumber, action, cidr, protocol, ports);
export const aclOut = (ruleNumber: number, action: 'allow' | 'deny', cidr: string, protocol?: string, ports?: [number, number]) => aclEntry(true, ruleNumber, action, cidr, protocol, ports);

/** What AWS puts in every ACL: the final `*` deny in both directions (32767 for IPv4, 32768 for IPv6). */
export const FINAL_DENY = [aclIn(32767, 'deny', '0.0.0.0/0'), aclOut(32767, 'deny', '0.0.0.0/0'), aclIn(32768, 'deny', '::/0'), aclOut(32768, 'deny', '::/0')];

export function networkAcl(networkAclId: string, entries: AwsNetworkAclEntry[], options: { subnetIds?: string[]; isDefault?: boolean; vpcId?: string } = {}): NetworkAcl {
  return networkAclFromAws({
    NetworkAclId: networkAclId,
    VpcId: options.vpcId ?? VPC,
    IsDefault: options.isDefault ?? false,
    Associations: (options.subnetIds ?? []).map((s, i) => ({ NetworkAclAssociationId: `aclassoc-${i}`, NetworkAclId: networkAclId, SubnetId: s })),
    Entries: [...entries, ...FINAL_DENY],
  }, ['NetworkAcls', 0], { notes: [] })!;
}

export function vpc(vpcId: string, cidrBlocks: string[], ipv6CidrBlocks: string[] = []): Vpc {
  return vpcFromAws({
    VpcId: vpcId,
    CidrBlock: cidrBlocks[0],
    CidrBlockAssociationSet: cidrBlocks.map((CidrBlock) => ({ CidrBlock, CidrBlockState: { State: 'associated' } })),
    Ipv6CidrBlockAssociationSet: ipv6CidrBlocks.map((Ipv6CidrBlock) => ({ Ipv6CidrBlock, Ipv6CidrBlockState: { State: 'associated' } })),
  })!;
}

export function prefixList(prefixListId: string, entries: string[] | undefined, name?: string): PrefixList {
  return prefixListFromAws(prefixListId, entries?.map((Cidr) => ({ Cidr })), name ? { PrefixListId: prefixListId, PrefixListName: name } : undefined);
}

export interface InventoryParts {
  clusters?: Cluster[];
  groups?: SecurityGroup[];
  instances?: Instance[];
  subnets?: Subnet[];
  routeTables?: RouteTable[];
  networkInterfaces?: NetworkInterface[];
  prefixLists?: PrefixList[];
  networkAcls?: NetworkAcl[];
  vpcs?: Vpc[];
  target?: Partial<Target>;
  judgeUnattachedGroups?: boolean;
  /** Default: everything collected. */
  coverage?: Partial<Inventory['coverage']>;
}

export function inventory(parts: InventoryParts): Inventory {
  const inv = createEmptyInventory({ kind: 'live', label: `default / ${REGION}`, profile: 'default', region: REGION, accountId: ACCOUNT, ...parts.target });
  inv.clusters = parts.clusters ?? [];
  inv.instances = parts.instances ?? [];
  inv.securityGroups = parts.groups ?? [];
  inv.subnets = parts.subnets ?? [];
  inv.routeTables = parts.routeTables ?? [];
  inv.networkInterfaces = parts.networkInterfaces ?? [];
  inv.prefixLists = parts.prefixLists ?? [];
  inv.networkAcls = parts.networkAcls ?? [];
  inv.vpcs = parts.vpcs ?? [];
  inv.coverage = { securityGroupRuleIds: true, subnets: true, routeTables: true, networkInterfaces: true, vpcs: true, networkAcls: true, ...parts.coverage };
  if (parts.judgeUnattachedGroups) inv.judgeUnattachedGroups = true;
  linkClustersAndInstances(inv.clusters, inv.instances);
  return inv;
}

/** The usual case: one cluster on `port` with one group holding `ingress`. */
export function oneCluster(ingress: AwsIpPermission[], port = 3306, extra: InventoryParts = {}): Inventory {
  return inventory({ clusters: [cluster('orders', port, ['sg-db'])], groups: [group('sg-db', ingress, { name: 'orders-db' })], ...extra });
}

export function ruleIdsOf(findings: Finding[]): RuleId[] {
  return findings.map((f) => f.ruleId).sort();
}

export function only(findings: Finding[], ruleId: RuleId): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}
