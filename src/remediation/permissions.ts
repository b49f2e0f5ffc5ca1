// Rules in the shape the EC2 API takes them (IpPermissions), and short human descriptions.

import type { AwsIpPermission } from '../model/awsShapes';
import { awsProtocol } from '../model/protocol';
import type { Rule } from '../model/types';

/**
 * The IpPermissions entry that holds exactly this rule. With `description`, the rule's
 * description rides along (authorize: an exact restore); without it, it is left out
 * (revoke: AWS matches rules without their description).
 */
export function ipPermissionOf(rule: Rule, options: { description: boolean }): AwsIpPermission {
  const permission: AwsIpPermission = { IpProtocol: awsProtocol(rule.protocol) };
  if (rule.protocol !== 'all') {
    if (rule.fromPort !== undefined) permission.FromPort = rule.fromPort;
    if (rule.toPort !== undefined) permission.ToPort = rule.toPort;
  }
  const description = options.description && rule.description !== undefined ? { Description: rule.description } : {};
  const { source } = rule;
  switch (source.kind) {
    case 'cidr4':
      permission.IpRanges = [{ CidrIp: source.value, ...description }];
      break;
    case 'cidr6':
      permission.Ipv6Ranges = [{ CidrIpv6: source.value, ...description }];
      break;
    case 'prefixList':
      permission.PrefixListIds = [{ PrefixListId: source.value, ...description }];
      break;
    case 'group': {
      const pair: NonNullable<AwsIpPermission['UserIdGroupPairs']>[number] = { GroupId: source.value };
      if (source.ownerId) pair.UserId = source.ownerId;
      if (source.vpcId) pair.VpcId = source.vpcId;
      permission.UserIdGroupPairs = [{ ...pair, ...description }];
      break;
    }
  }
  return permission;
}

/** "tcp 3306", "tcp 3300-3310", "all traffic", "icmp type 8 code 0", "protocol 50". */
export function describeTraffic(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): string {
  const { protocol, fromPort, toPort } = rule;
  if (protocol === 'all') return 'all traffic';
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = fromPort === undefined || fromPort === -1 ? 'all types' : `type ${fromPort}`;
    const code = toPort === undefined || toPort === -1 ? 'all codes' : `code ${toPort}`;
    return `${protocol} ${type}, ${code}`;
  }
  const name = protocol === 'tcp' || protocol === 'udp' ? protocol : `protocol ${protocol}`;
  if (fromPort === undefined || toPort === undefined || fromPort === -1) return `${name} (all ports)`;
  return fromPort === toPort ? `${name} ${fromPort}` : `${name} ${fromPort}-${toPort}`;
}

export function describeSource(rule: Pick<Rule, 'source'>): string {
  const { source } = rule;
  switch (source.kind) {
    case 'group':
      return source.ownerId ? `security group ${source.value} (account ${source.ownerId})` : `security group ${source.value}`;
    case 'prefixList':
      return `prefix list ${source.value}`;
    default:
      return source.value;
  }
}

/** "ingress tcp 3306 from 0.0.0.0/0", "egress all traffic to ::/0". */
export function describeRule(rule: Rule): string {
  const preposition = rule.direction === 'ingress' ? 'from' : 'to';
  return `${rule.direction} ${describeTraffic(rule)} ${preposition} ${describeSource(rule)}`;
}

/** Whether the rule lets tcp traffic reach `port` (tcp or all traffic, with the port in range). */
export function reachesPort(rule: Rule, port: number): boolean {
  if (rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp') return false;
  if (rule.fromPort === undefined || rule.toPort === undefined || rule.fromPort === -1) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}
