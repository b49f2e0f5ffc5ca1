// Rules in the shape the EC2 API takes them (IpPermissions), and short human descriptions.

import type { AwsIpPermission } from '../model/awsShapes';
import { awsProtocol } from '../model/protocol';
import type { Rule } from '../model/types';
import { describeRule as describeRuleText, describeSource as describeSourceText } from '../rules';

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

/** "ingress tcp 3306 from 0.0.0.0/0", "egress all traffic to ::/0": the rules layer's wording, with the direction. */
export function describeRule(rule: Rule): string {
  return `${rule.direction} ${describeRuleText(rule)}`;
}

/** "security group sg-0abc (account 2109...)", "prefix list pl-0abc", "0.0.0.0/0". */
export function describeSource(rule: Pick<Rule, 'source'>): string {
  const text = describeSourceText(rule.source);
  return rule.source.kind === 'group' ? `security group ${text}` : text;
}
