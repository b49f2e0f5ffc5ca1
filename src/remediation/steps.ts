// One constructor per kind of step. Each gives the CLI argv and the SDK v3 command and input
// for the same call, so the script and the executor can never drift apart.

import type { Arg, ArgRef, Plan, Precondition, Step } from '../model/plan';
import type { Rule } from '../model/types';
import { describeRule, ipPermissionOf } from './permissions';

export type PlanTarget = Plan['target'];

/** `--region R --profile P` when the plan's target has them. */
export function targetArgs(target: PlanTarget): string[] {
  const args: string[] = [];
  if (target.region) args.push('--region', target.region);
  if (target.profile) args.push('--profile', target.profile);
  return args;
}

function quotedDescription(rule: Rule): string {
  return rule.description ? ` (described as ${JSON.stringify(rule.description)})` : '';
}

/** A rule on a group the plan creates: its group id is only known at run time. */
export interface RuleOnGroup {
  rule: Rule;
  /** Overrides rule.groupId in the command (an ArgRef to the created group). */
  groupRef?: ArgRef;
}

export function authorizeStep(target: PlanTarget, rule: Rule, explanation: string, options: { groupRef?: ArgRef; preconditions?: Precondition[] } = {}): Step {
  const ingress = rule.direction === 'ingress';
  const groupId: Arg = options.groupRef ?? rule.groupId;
  const permissions = [ipPermissionOf(rule, { description: true })];
  return {
    explanation,
    service: 'ec2',
    cli: ['aws', 'ec2', ingress ? 'authorize-security-group-ingress' : 'authorize-security-group-egress',
      '--group-id', groupId, '--ip-permissions', JSON.stringify(permissions), ...targetArgs(target)],
    sdkCommand: ingress ? 'AuthorizeSecurityGroupIngressCommand' : 'AuthorizeSecurityGroupEgressCommand',
    sdkInput: { GroupId: groupId, IpPermissions: permissions },
    mutating: true,
    preconditions: options.preconditions ?? [{ kind: 'ruleAbsent', rule: withoutRuleId(rule) }],
  };
}

/** Revokes by sgr- id when the rule has one (exact, unambiguous), else by the rule's properties. */
export function revokeStep(target: PlanTarget, rule: Rule, explanation: string): Step {
  const ingress = rule.direction === 'ingress';
  const operation = ingress ? 'revoke-security-group-ingress' : 'revoke-security-group-egress';
  const sdkCommand = ingress ? 'RevokeSecurityGroupIngressCommand' : 'RevokeSecurityGroupEgressCommand';
  const base = { explanation, service: 'ec2' as const, sdkCommand, mutating: true, preconditions: [{ kind: 'ruleExists' as const, rule }] };
  if (rule.ruleId) {
    return {
      ...base,
      cli: ['aws', 'ec2', operation, '--group-id', rule.groupId, '--security-group-rule-ids', rule.ruleId, ...targetArgs(target)],
      sdkInput: { GroupId: rule.groupId, SecurityGroupRuleIds: [rule.ruleId] },
    };
  }
  const permissions = [ipPermissionOf(rule, { description: false })];
  return {
    ...base,
    cli: ['aws', 'ec2', operation, '--group-id', rule.groupId, '--ip-permissions', JSON.stringify(permissions), ...targetArgs(target)],
    sdkInput: { GroupId: rule.groupId, IpPermissions: permissions },
  };
}

export function withoutRuleId(rule: Rule): Rule {
  const { ruleId: _ruleId, location: _location, ...rest } = rule;
  return rest;
}

export function revokeExplanation(rule: Rule, why: string): string {
  return `Revoke ${describeRule(rule)} on ${rule.groupId}${quotedDescription(rule)}: ${why}`;
}

export function restoreExplanation(rule: Rule): string {
  return `Authorize again the exact old rule ${describeRule(rule)} on ${rule.groupId}${quotedDescription(rule)}, description included.`;
}

export function createGroupStep(target: PlanTarget, groupName: string, description: string, vpcId: string, ref: string, explanation: string): Step {
  return {
    explanation,
    service: 'ec2',
    cli: ['aws', 'ec2', 'create-security-group', '--group-name', groupName, '--description', description, '--vpc-id', vpcId, ...targetArgs(target)],
    sdkCommand: 'CreateSecurityGroupCommand',
    sdkInput: { GroupName: groupName, Description: description, VpcId: vpcId },
    mutating: true,
    preconditions: [{ kind: 'groupAbsent', groupName, vpcId }],
    produces: { ref, from: 'GroupId' },
  };
}

export function deleteGroupStep(target: PlanTarget, group: Arg, explanation: string): Step {
  return {
    explanation,
    service: 'ec2',
    cli: ['aws', 'ec2', 'delete-security-group', '--group-id', group, ...targetArgs(target)],
    sdkCommand: 'DeleteSecurityGroupCommand',
    sdkInput: { GroupId: group },
    mutating: true,
    preconditions: [],
  };
}

export function modifyClusterGroupsStep(target: PlanTarget, clusterId: string, groups: Arg[], explanation: string, preconditions: Precondition[]): Step {
  return {
    explanation,
    service: 'rds',
    cli: ['aws', 'rds', 'modify-db-cluster', '--db-cluster-identifier', clusterId, '--vpc-security-group-ids', ...groups, '--apply-immediately', ...targetArgs(target)],
    sdkCommand: 'ModifyDBClusterCommand',
    sdkInput: { DBClusterIdentifier: clusterId, VpcSecurityGroupIds: groups, ApplyImmediately: true },
    mutating: true,
    preconditions,
  };
}

export function modifyInstancePublicStep(target: PlanTarget, instanceId: string, publiclyAccessible: boolean, explanation: string): Step {
  return {
    explanation,
    service: 'rds',
    cli: ['aws', 'rds', 'modify-db-instance', '--db-instance-identifier', instanceId,
      publiclyAccessible ? '--publicly-accessible' : '--no-publicly-accessible', '--apply-immediately', ...targetArgs(target)],
    sdkCommand: 'ModifyDBInstanceCommand',
    sdkInput: { DBInstanceIdentifier: instanceId, PubliclyAccessible: publiclyAccessible, ApplyImmediately: true },
    mutating: true,
    preconditions: [{ kind: 'instancePublic', instanceId, publiclyAccessible: !publiclyAccessible }],
  };
}
