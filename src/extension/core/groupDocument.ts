// Renders a security group (or a cluster) the way `aws ec2 describe-security-groups`
// (`aws rds describe-db-clusters`) prints it, and says on which lines each rule sits, so a
// read-only virtual document can carry diagnostics. Pure: no vscode.

import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import { ruleKey, type JsonPath } from '../../model/fromAws';
import { awsProtocol } from '../../model/protocol';
import type { Cluster, Position, Rule, SecurityGroup } from '../../model/types';
import { LineIndex } from '../../sources/textPositions';

export interface RenderedDocument {
  text: string;
  /** ruleKey(rule) -> the span of that rule's source entry (e.g. one IpRanges element). */
  ruleRanges: Map<string, { start: Position; end: Position }>;
  /** The span of the group object itself, for findings about the group. */
  groupRange: { start: Position; end: Position };
}

interface PermissionJson {
  FromPort?: number;
  IpProtocol: string;
  IpRanges: Record<string, string>[];
  Ipv6Ranges: Record<string, string>[];
  PrefixListIds: Record<string, string>[];
  ToPort?: number;
  UserIdGroupPairs: Record<string, string>[];
}

/** Puts the expanded rules back into IpPermissions entries, one per (protocol, ports), in first-seen order. */
function permissionsOf(rules: Rule[]): { json: PermissionJson[]; paths: Map<string, JsonPath> } {
  const json: PermissionJson[] = [];
  const byPorts = new Map<string, PermissionJson>();
  const paths = new Map<string, JsonPath>();
  for (const rule of rules) {
    const portsKey = `${rule.protocol}|${rule.fromPort ?? ''}|${rule.toPort ?? ''}`;
    let permission = byPorts.get(portsKey);
    if (!permission) {
      permission = { IpProtocol: awsProtocol(rule.protocol), IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
      // AWS echoes -1/-1 for "all"; it prints ICMP type/code and ports alike.
      if (rule.protocol !== 'all') {
        if (rule.fromPort !== undefined) permission.FromPort = rule.fromPort;
        if (rule.toPort !== undefined) permission.ToPort = rule.toPort;
      }
      byPorts.set(portsKey, permission);
      json.push(permission);
    }
    const index = json.indexOf(permission);
    const description: Record<string, string> = rule.description !== undefined ? { Description: rule.description } : {};
    let list: keyof PermissionJson;
    let entry: Record<string, string>;
    // Key order as the AWS CLI prints each entry.
    switch (rule.source.kind) {
      case 'cidr4': list = 'IpRanges'; entry = { CidrIp: rule.source.value, ...description }; break;
      case 'cidr6': list = 'Ipv6Ranges'; entry = { CidrIpv6: rule.source.value, ...description }; break;
      case 'prefixList': list = 'PrefixListIds'; entry = { ...description, PrefixListId: rule.source.value }; break;
      default: {
        const pair: Record<string, string> = { ...description, GroupId: rule.source.value };
        if (rule.source.ownerId) pair.UserId = rule.source.ownerId;
        if (rule.source.vpcId) pair.VpcId = rule.source.vpcId;
        list = 'UserIdGroupPairs';
        entry = pair;
      }
    }
    const target = permission[list] as Record<string, string>[];
    target.push(entry);
    paths.set(ruleKey(rule), [index, list, target.length - 1]);
  }
  // Key order as the AWS CLI prints a permission.
  const ordered = json.map((p) => {
    const out: Record<string, unknown> = {};
    if (p.FromPort !== undefined) out.FromPort = p.FromPort;
    Object.assign(out, { IpProtocol: p.IpProtocol, IpRanges: p.IpRanges, Ipv6Ranges: p.Ipv6Ranges, PrefixListIds: p.PrefixListIds });
    if (p.ToPort !== undefined) out.ToPort = p.ToPort;
    out.UserIdGroupPairs = p.UserIdGroupPairs;
    return out as unknown as PermissionJson;
  });
  return { json: ordered, paths };
}

/** The group as one element of describe-security-groups output, keys in the order the AWS CLI prints them. */
export function renderGroupDocument(group: SecurityGroup): RenderedDocument {
  const ingress = permissionsOf(group.rules.filter((r) => r.direction === 'ingress'));
  const egress = permissionsOf(group.rules.filter((r) => r.direction === 'egress'));
  const awsGroup: Record<string, unknown> = {
    Description: group.description,
    GroupName: group.groupName,
    IpPermissions: ingress.json,
  };
  if (group.ownerId) awsGroup.OwnerId = group.ownerId;
  awsGroup.GroupId = group.groupId;
  awsGroup.IpPermissionsEgress = egress.json;
  if (group.tags) awsGroup.Tags = Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value }));
  if (group.vpcId) awsGroup.VpcId = group.vpcId;
  const text = JSON.stringify({ SecurityGroups: [awsGroup] }, null, 4) + '\n';

  const tree = parseTree(text);
  const ruleRanges = new Map<string, { start: Position; end: Position }>();
  const lines = new LineIndex(text);
  const place = (paths: Map<string, JsonPath>, list: string) => {
    for (const [key, path] of paths) {
      const node = tree && findNodeAtLocation(tree, ['SecurityGroups', 0, list, ...path]);
      if (node) ruleRanges.set(key, { start: lines.position(node.offset), end: lines.position(node.offset + node.length) });
    }
  };
  place(ingress.paths, 'IpPermissions');
  place(egress.paths, 'IpPermissionsEgress');
  const groupNode = tree && findNodeAtLocation(tree, ['SecurityGroups', 0]);
  const groupRange = groupNode
    ? { start: lines.position(groupNode.offset), end: lines.position(groupNode.offset + groupNode.length) }
    : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { text, ruleRanges, groupRange };
}

/** The cluster as describe-db-clusters prints the fields the audit reads. */
export function renderClusterDocument(cluster: Cluster): string {
  const awsCluster: Record<string, unknown> = { DBClusterIdentifier: cluster.clusterId };
  if (cluster.arn) awsCluster.DBClusterArn = cluster.arn;
  if (cluster.dbSubnetGroup) awsCluster.DBSubnetGroup = cluster.dbSubnetGroup;
  awsCluster.Status = cluster.status;
  if (cluster.endpoint) awsCluster.Endpoint = cluster.endpoint;
  awsCluster.Engine = cluster.engine;
  if (cluster.engineVersion) awsCluster.EngineVersion = cluster.engineVersion;
  awsCluster.Port = cluster.port;
  awsCluster.DBClusterMembers = cluster.memberInstanceIds.map((id) => ({ DBInstanceIdentifier: id }));
  awsCluster.VpcSecurityGroups = cluster.securityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' }));
  return JSON.stringify({ DBClusters: [awsCluster] }, null, 4) + '\n';
}
