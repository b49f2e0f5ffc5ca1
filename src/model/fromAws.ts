// Turns AWS's shapes (CLI JSON or SDK output) into the model. Shared by the evidence
// reader and the live loader, so a live account and its evidence folder give the same model.

import type {
  AwsDBCluster, AwsDBInstance, AwsIpPermission, AwsManagedPrefixList, AwsNetworkAcl, AwsNetworkInterface,
  AwsRouteTable, AwsSecurityGroup, AwsSecurityGroupRule, AwsSubnet, AwsVpc,
} from './awsShapes';
import { normaliseProtocol } from './protocol';
import type {
  Cluster, Direction, Instance, InventoryNote, NetworkAcl, NetworkAclEntry, NetworkInterface, PrefixList, Protocol, RouteTable,
  Rule, RuleSource, SecurityGroup, SourceRange, Subnet, Vpc,
} from './types';

/** A JSON path inside the document being converted, e.g. ['SecurityGroups', 0, 'IpPermissions', 1]. */
export type JsonPath = (string | number)[];

/** Maps a JSON path to where it sits in its file; absent for live data. */
export type Locator = (path: JsonPath) => SourceRange | undefined;

export interface ConvertContext {
  locate?: Locator;
  /** Problems found while converting (a rule with an unknown protocol, a missing id). */
  notes: InventoryNote[];
}

const noLocation: Locator = () => undefined;

function note(ctx: ConvertContext, message: string, path: JsonPath): void {
  const location = (ctx.locate ?? noLocation)(path);
  ctx.notes.push({ level: 'warning', message, file: location?.file, location });
}

/**
 * Expands one IpPermissions entry into one rule per source, the way
 * DescribeSecurityGroupRules reports them.
 */
export function rulesFromPermission(
  groupId: string,
  direction: Direction,
  permission: AwsIpPermission,
  path: JsonPath,
  ctx: ConvertContext,
): Rule[] {
  const locate = ctx.locate ?? noLocation;
  const protocol = normaliseProtocol(permission.IpProtocol);
  if (!protocol) {
    note(ctx, `Security group ${groupId}: unknown IpProtocol ${JSON.stringify(permission.IpProtocol)}; rule skipped.`, path);
    return [];
  }
  const ports = portsOf(protocol, permission.FromPort, permission.ToPort);
  const rules: Rule[] = [];
  const add = (source: RuleSource, description: string | undefined, sourcePath: JsonPath) => {
    const rule: Rule = { groupId, direction, protocol, ...ports, source };
    if (description !== undefined) rule.description = description;
    const location = locate(sourcePath) ?? locate(path);
    if (location) rule.location = location;
    rules.push(rule);
  };
  permission.IpRanges?.forEach((range, i) => {
    if (range.CidrIp) add({ kind: 'cidr4', value: range.CidrIp }, range.Description, [...path, 'IpRanges', i]);
  });
  permission.Ipv6Ranges?.forEach((range, i) => {
    if (range.CidrIpv6) add({ kind: 'cidr6', value: range.CidrIpv6 }, range.Description, [...path, 'Ipv6Ranges', i]);
  });
  permission.PrefixListIds?.forEach((pl, i) => {
    if (pl.PrefixListId) add({ kind: 'prefixList', value: pl.PrefixListId }, pl.Description, [...path, 'PrefixListIds', i]);
  });
  permission.UserIdGroupPairs?.forEach((pair, i) => {
    if (!pair.GroupId) return;
    const source: RuleSource = { kind: 'group', value: pair.GroupId };
    if (pair.UserId) source.ownerId = pair.UserId;
    if (pair.VpcId) source.vpcId = pair.VpcId;
    add(source, pair.Description, [...path, 'UserIdGroupPairs', i]);
  });
  return rules;
}

function portsOf(protocol: Protocol, from: number | undefined, to: number | undefined): { fromPort?: number; toPort?: number } {
  // Protocol all has no ports, whatever AWS echoes (-1/-1 or nothing).
  if (protocol === 'all') return {};
  const out: { fromPort?: number; toPort?: number } = {};
  if (typeof from === 'number') out.fromPort = from;
  if (typeof to === 'number') out.toPort = to;
  return out;
}

export function securityGroupFromAws(raw: AwsSecurityGroup, path: JsonPath, ctx: ConvertContext): SecurityGroup | undefined {
  if (!raw.GroupId) {
    note(ctx, 'A security group without GroupId was skipped.', path);
    return undefined;
  }
  const groupId = raw.GroupId;
  const rules: Rule[] = [];
  raw.IpPermissions?.forEach((p, i) => rules.push(...rulesFromPermission(groupId, 'ingress', p, [...path, 'IpPermissions', i], ctx)));
  raw.IpPermissionsEgress?.forEach((p, i) => rules.push(...rulesFromPermission(groupId, 'egress', p, [...path, 'IpPermissionsEgress', i], ctx)));
  const group: SecurityGroup = {
    groupId,
    groupName: raw.GroupName ?? groupId,
    description: raw.Description ?? '',
    rules,
  };
  if (raw.VpcId) group.vpcId = raw.VpcId;
  if (raw.OwnerId) group.ownerId = raw.OwnerId;
  if (raw.Tags?.length) {
    group.tags = {};
    for (const tag of raw.Tags) if (tag.Key !== undefined) group.tags[tag.Key] = tag.Value ?? '';
  }
  const location = ctx.locate?.(path);
  if (location) group.location = location;
  return group;
}

/** The identity of a rule apart from its id: what AWS matches when revoking by permissions. */
export function ruleKey(rule: Pick<Rule, 'groupId' | 'direction' | 'protocol' | 'fromPort' | 'toPort' | 'source'>): string {
  const ports = rule.protocol === 'all' ? '' : `${rule.fromPort ?? ''}-${rule.toPort ?? ''}`;
  return `${rule.groupId}|${rule.direction}|${rule.protocol}|${ports}|${rule.source.kind}:${rule.source.value.toLowerCase()}`;
}

/** The rule that DescribeSecurityGroupRules returned, in the model (one source each). */
export function ruleFromSecurityGroupRule(raw: AwsSecurityGroupRule): Rule | undefined {
  const protocol = normaliseProtocol(raw.IpProtocol);
  if (!protocol || !raw.GroupId) return undefined;
  let source: RuleSource | undefined;
  if (raw.CidrIpv4) source = { kind: 'cidr4', value: raw.CidrIpv4 };
  else if (raw.CidrIpv6) source = { kind: 'cidr6', value: raw.CidrIpv6 };
  else if (raw.PrefixListId) source = { kind: 'prefixList', value: raw.PrefixListId };
  else if (raw.ReferencedGroupInfo?.GroupId) {
    source = { kind: 'group', value: raw.ReferencedGroupInfo.GroupId };
    if (raw.ReferencedGroupInfo.UserId) source.ownerId = raw.ReferencedGroupInfo.UserId;
    if (raw.ReferencedGroupInfo.VpcId) source.vpcId = raw.ReferencedGroupInfo.VpcId;
  }
  if (!source) return undefined;
  const rule: Rule = {
    groupId: raw.GroupId,
    direction: raw.IsEgress ? 'egress' : 'ingress',
    protocol,
    ...portsOf(protocol, raw.FromPort, raw.ToPort),
    source,
  };
  if (raw.SecurityGroupRuleId) rule.ruleId = raw.SecurityGroupRuleId;
  if (raw.Description !== undefined) rule.description = raw.Description;
  return rule;
}

/**
 * Gives each expanded rule its sgr- id from DescribeSecurityGroupRules output.
 * Returns how many rules got an id.
 */
export function attachRuleIds(groups: SecurityGroup[], sgRules: AwsSecurityGroupRule[]): number {
  const idByKey = new Map<string, string>();
  for (const raw of sgRules) {
    const rule = ruleFromSecurityGroupRule(raw);
    if (rule?.ruleId) idByKey.set(ruleKey(rule), rule.ruleId);
  }
  let attached = 0;
  for (const group of groups) {
    for (const rule of group.rules) {
      const id = idByKey.get(ruleKey(rule));
      if (id) { rule.ruleId = id; attached++; }
    }
  }
  return attached;
}

export function clusterFromAws(raw: AwsDBCluster, path: JsonPath, ctx: ConvertContext): Cluster | undefined {
  if (!raw.DBClusterIdentifier) {
    note(ctx, 'A DB cluster without DBClusterIdentifier was skipped.', path);
    return undefined;
  }
  // A port outside 1-65535 (a hand-edited evidence file) would be reached by no rule: the cluster would pass unjudged.
  if (typeof raw.Port !== 'number' || !Number.isInteger(raw.Port) || raw.Port < 1 || raw.Port > 65535) {
    const what = raw.Port === undefined ? 'no Port' : `Port ${JSON.stringify(raw.Port)}, which is not a port`;
    note(ctx, `DB cluster ${raw.DBClusterIdentifier} has ${what}; it was skipped because its rules cannot be judged without the port it listens on.`, path);
    return undefined;
  }
  const cluster: Cluster = {
    clusterId: raw.DBClusterIdentifier,
    engine: raw.Engine ?? 'unknown',
    status: raw.Status ?? 'unknown',
    port: raw.Port,
    securityGroupIds: (raw.VpcSecurityGroups ?? [])
      .filter((m) => m.VpcSecurityGroupId && (m.Status ?? 'active') !== 'inactive')
      .map((m) => m.VpcSecurityGroupId as string),
    memberInstanceIds: (raw.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier).filter((id): id is string => !!id),
  };
  if (raw.DBClusterArn) cluster.arn = raw.DBClusterArn;
  if (raw.EngineVersion) cluster.engineVersion = raw.EngineVersion;
  if (raw.DBSubnetGroup) cluster.dbSubnetGroup = raw.DBSubnetGroup;
  if (raw.Endpoint) cluster.endpoint = raw.Endpoint;
  if (raw.NetworkType) cluster.networkType = raw.NetworkType;
  const location = ctx.locate?.(path);
  if (location) cluster.location = location;
  return cluster;
}

export function instanceFromAws(raw: AwsDBInstance, path: JsonPath, ctx: ConvertContext): Instance | undefined {
  if (!raw.DBInstanceIdentifier) {
    note(ctx, 'A DB instance without DBInstanceIdentifier was skipped.', path);
    return undefined;
  }
  const instance: Instance = {
    instanceId: raw.DBInstanceIdentifier,
    engine: raw.Engine ?? 'unknown',
    status: raw.DBInstanceStatus ?? 'unknown',
    publiclyAccessible: raw.PubliclyAccessible === true,
    subnetIds: (raw.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier).filter((id): id is string => !!id),
    securityGroupIds: (raw.VpcSecurityGroups ?? []).map((m) => m.VpcSecurityGroupId).filter((id): id is string => !!id),
  };
  if (raw.DBClusterIdentifier) instance.clusterId = raw.DBClusterIdentifier;
  if (raw.DBInstanceClass) instance.instanceClass = raw.DBInstanceClass;
  if (raw.DBSubnetGroup?.VpcId) instance.vpcId = raw.DBSubnetGroup.VpcId;
  if (raw.Endpoint?.Address) instance.endpointAddress = raw.Endpoint.Address;
  const port = raw.Endpoint?.Port ?? raw.DbInstancePort;
  if (typeof port === 'number' && port > 0) instance.port = port;
  if (raw.NetworkType) instance.networkType = raw.NetworkType;
  const location = ctx.locate?.(path);
  if (location) instance.location = location;
  return instance;
}

/** Aurora engines only: the legacy `aurora` (MySQL 5.6 compatible) included. */
export function isAuroraEngine(engine: string | undefined): boolean {
  return engine === 'aurora' || engine === 'aurora-mysql' || engine === 'aurora-postgresql';
}

/** Fills in what clusters learn from their instances (VPC) and instances from their cluster (writer flag). */
export function linkClustersAndInstances(clusters: Cluster[], instances: Instance[], rawClusters: AwsDBCluster[] = []): void {
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  for (const cluster of clusters) {
    for (const id of cluster.memberInstanceIds) {
      const instance = byId.get(id);
      if (!instance) continue;
      instance.clusterId ??= cluster.clusterId;
      if (!cluster.vpcId && instance.vpcId) cluster.vpcId = instance.vpcId;
      if (!instance.networkType && cluster.networkType) instance.networkType = cluster.networkType;
    }
  }
  for (const raw of rawClusters) {
    for (const member of raw.DBClusterMembers ?? []) {
      const instance = member.DBInstanceIdentifier ? byId.get(member.DBInstanceIdentifier) : undefined;
      if (instance && member.IsClusterWriter !== undefined) instance.isWriter = member.IsClusterWriter;
    }
  }
}

export function subnetFromAws(raw: AwsSubnet): Subnet | undefined {
  if (!raw.SubnetId || !raw.VpcId) return undefined;
  const subnet: Subnet = {
    subnetId: raw.SubnetId,
    vpcId: raw.VpcId,
    ipv6CidrBlocks: (raw.Ipv6CidrBlockAssociationSet ?? []).map((a) => a.Ipv6CidrBlock).filter((c): c is string => !!c),
  };
  if (raw.CidrBlock) subnet.cidrBlock = raw.CidrBlock;
  return subnet;
}

export function routeTableFromAws(raw: AwsRouteTable): RouteTable | undefined {
  if (!raw.RouteTableId || !raw.VpcId) return undefined;
  const associations = raw.Associations ?? [];
  return {
    routeTableId: raw.RouteTableId,
    vpcId: raw.VpcId,
    main: associations.some((a) => a.Main === true),
    subnetIds: associations.map((a) => a.SubnetId).filter((s): s is string => !!s),
    routes: (raw.Routes ?? []).flatMap((r) => {
      const destination = r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId;
      const target = r.GatewayId ?? r.NatGatewayId ?? r.EgressOnlyInternetGatewayId ?? r.TransitGatewayId
        ?? r.VpcPeeringConnectionId ?? r.NetworkInterfaceId ?? r.InstanceId;
      if (!destination || !target) return [];
      return [r.State ? { destination, target, state: r.State } : { destination, target }];
    }),
  };
}

export function networkInterfaceFromAws(raw: AwsNetworkInterface): NetworkInterface | undefined {
  if (!raw.NetworkInterfaceId) return undefined;
  const eni: NetworkInterface = {
    networkInterfaceId: raw.NetworkInterfaceId,
    groupIds: (raw.Groups ?? []).map((g) => g.GroupId).filter((g): g is string => !!g),
  };
  if (raw.VpcId) eni.vpcId = raw.VpcId;
  if (raw.SubnetId) eni.subnetId = raw.SubnetId;
  if (raw.Description !== undefined) eni.description = raw.Description;
  if (raw.RequesterId) eni.requesterId = raw.RequesterId;
  if (raw.InterfaceType) eni.interfaceType = raw.InterfaceType;
  if (raw.Attachment?.InstanceId) eni.attachedInstanceId = raw.Attachment.InstanceId;
  return eni;
}

/** A CIDR association that no longer (or never did) belong to the VPC: its addresses are not the VPC's. */
function gone(state: string | undefined): boolean {
  return state === 'disassociated' || state === 'disassociating' || state === 'failed' || state === 'failing';
}

export function vpcFromAws(raw: AwsVpc): Vpc | undefined {
  if (!raw.VpcId) return undefined;
  const v4 = new Set<string>();
  if (raw.CidrBlock) v4.add(raw.CidrBlock);
  for (const a of raw.CidrBlockAssociationSet ?? []) if (a.CidrBlock && !gone(a.CidrBlockState?.State)) v4.add(a.CidrBlock);
  return {
    vpcId: raw.VpcId,
    cidrBlocks: [...v4],
    ipv6CidrBlocks: (raw.Ipv6CidrBlockAssociationSet ?? [])
      .filter((a) => !gone(a.Ipv6CidrBlockState?.State)).map((a) => a.Ipv6CidrBlock).filter((c): c is string => !!c),
  };
}

/**
 * A network ACL in the model. ICMP entries keep their protocol (they never match tcp); an entry
 * without a number, an action or a CIDR cannot be placed in the evaluation order and is dropped
 * with a note, as is one whose protocol is not a protocol.
 */
export function networkAclFromAws(raw: AwsNetworkAcl, path: JsonPath, ctx: ConvertContext): NetworkAcl | undefined {
  if (!raw.NetworkAclId || !raw.VpcId) {
    note(ctx, 'A network ACL without NetworkAclId or VpcId was skipped.', path);
    return undefined;
  }
  const entries: NetworkAclEntry[] = [];
  (raw.Entries ?? []).forEach((e, i) => {
    const protocol = normaliseProtocol(e.Protocol);
    const cidr = e.CidrBlock ?? e.Ipv6CidrBlock;
    const action = e.RuleAction === 'allow' || e.RuleAction === 'deny' ? e.RuleAction : undefined;
    if (typeof e.RuleNumber !== 'number' || !protocol || !cidr || !action) {
      note(ctx, `Entry ${i + 1} of network ACL ${raw.NetworkAclId} has no rule number, protocol, action or CIDR it can be judged by; it was skipped, so the ACL is judged without it.`, [...path, 'Entries', i]);
      return;
    }
    const entry: NetworkAclEntry = { ruleNumber: e.RuleNumber, egress: e.Egress === true, protocol, action, cidr };
    if ((protocol === 'tcp' || protocol === 'udp') && e.PortRange) {
      if (typeof e.PortRange.From === 'number') entry.fromPort = e.PortRange.From;
      if (typeof e.PortRange.To === 'number') entry.toPort = e.PortRange.To;
    }
    entries.push(entry);
  });
  return {
    networkAclId: raw.NetworkAclId,
    vpcId: raw.VpcId,
    isDefault: raw.IsDefault === true,
    subnetIds: (raw.Associations ?? []).map((a) => a.SubnetId).filter((s): s is string => !!s),
    entries,
  };
}

export function prefixListFromAws(id: string, entries: { Cidr?: string }[] | undefined, raw?: AwsManagedPrefixList): PrefixList {
  const list: PrefixList = { prefixListId: id };
  if (raw?.PrefixListName) list.name = raw.PrefixListName;
  if (entries) list.entries = entries.map((e) => e.Cidr).filter((c): c is string => !!c);
  return list;
}

/** Account and region from an ARN (arn:aws:rds:eu-west-1:123456789012:cluster:x). */
export function parseArn(arn: string | undefined): { region?: string; accountId?: string } {
  const parts = arn?.split(':') ?? [];
  if (parts.length < 6 || parts[0] !== 'arn') return {};
  const out: { region?: string; accountId?: string } = {};
  if (parts[3]) out.region = parts[3];
  if (parts[4]) out.accountId = parts[4];
  return out;
}
