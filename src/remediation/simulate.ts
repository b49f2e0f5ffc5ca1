// An in-memory account that applies plan steps the way EC2 and RDS would: by their
// sdkCommand and sdkInput. The property tests run plans and their backouts through it, and
// the emulator tests can use it as the expected state.

import type { AwsIpPermission } from '../model/awsShapes';
import { ruleKey, rulesFromPermission } from '../model/fromAws';
import { isArgRef, type Precondition, type Step } from '../model/plan';
import type { Inventory, Rule, SecurityGroup } from '../model/types';

/** An AWS-style failure: `code` is the error code the real service would return. */
export class SimulationError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'SimulationError';
  }
}

export interface SimulatedCluster { clusterId: string; securityGroupIds: string[] }
export interface SimulatedInstance { instanceId: string; publiclyAccessible: boolean }

export interface SimulatedAccount {
  groups: Map<string, SecurityGroup>;
  clusters: Map<string, SimulatedCluster>;
  instances: Map<string, SimulatedInstance>;
  /** Values produced by steps (NEW_GROUP_ID), for later steps' ArgRefs. */
  refs: Map<string, string>;
  nextId: number;
}

/** A deep copy of an inventory's groups, clusters and instances. */
export function simulateAccount(inventory: Pick<Inventory, 'securityGroups' | 'clusters' | 'instances'>): SimulatedAccount {
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    groups: new Map(inventory.securityGroups.map((g) => [g.groupId, copy(g)])),
    clusters: new Map(inventory.clusters.map((c) => [c.clusterId, { clusterId: c.clusterId, securityGroupIds: [...c.securityGroupIds] }])),
    instances: new Map(inventory.instances.map((i) => [i.instanceId, { instanceId: i.instanceId, publiclyAccessible: i.publiclyAccessible }])),
    refs: new Map(),
    nextId: 1,
  };
}

function resolve(value: unknown, refs: Map<string, string>): unknown {
  if (isArgRef(value)) {
    const resolved = refs.get(value.ref);
    if (resolved === undefined) throw new SimulationError('MissingReference', `no earlier step produced ${value.ref}`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, refs));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, refs)]));
  return value;
}

function group(account: SimulatedAccount, groupId: unknown): SecurityGroup {
  const found = typeof groupId === 'string' ? account.groups.get(groupId) : undefined;
  if (!found) throw new SimulationError('InvalidGroup.NotFound', `The security group '${String(groupId)}' does not exist`);
  return found;
}

function newId(account: SimulatedAccount, prefix: string): string {
  return `${prefix}-${(account.nextId++).toString(16).padStart(17, '0')}`;
}

function rulesOf(groupId: string, direction: Rule['direction'], permissions: unknown): Rule[] {
  if (!Array.isArray(permissions)) throw new SimulationError('MissingParameter', 'IpPermissions is required');
  const notes: { level: 'warning'; message: string }[] = [];
  const rules = (permissions as AwsIpPermission[]).flatMap((p, i) => rulesFromPermission(groupId, direction, p, ['IpPermissions', i], { notes }));
  if (notes.length) throw new SimulationError('InvalidParameterValue', notes.map((n) => n.message).join('; '));
  return rules;
}

function authorize(account: SimulatedAccount, input: Record<string, unknown>, direction: Rule['direction']): { SecurityGroupRules: { SecurityGroupRuleId: string }[] } {
  const target = group(account, input.GroupId);
  const rules = rulesOf(target.groupId, direction, input.IpPermissions);
  const existing = new Set(target.rules.map(ruleKey));
  for (const rule of rules) {
    if (existing.has(ruleKey(rule))) throw new SimulationError('InvalidPermission.Duplicate', `the specified rule ${ruleKey(rule)} already exists`);
  }
  for (const rule of rules) rule.ruleId = newId(account, 'sgr');
  target.rules.push(...rules);
  return { SecurityGroupRules: rules.map((r) => ({ SecurityGroupRuleId: r.ruleId as string })) };
}

function revoke(account: SimulatedAccount, input: Record<string, unknown>, direction: Rule['direction']): Record<string, never> {
  const target = group(account, input.GroupId);
  let doomed: Rule[];
  if (Array.isArray(input.SecurityGroupRuleIds)) {
    doomed = (input.SecurityGroupRuleIds as string[]).map((id) => {
      const rule = target.rules.find((r) => r.ruleId === id && r.direction === direction);
      if (!rule) throw new SimulationError('InvalidSecurityGroupRuleId.NotFound', `the ${direction} rule ${id} does not exist in ${target.groupId}`);
      return rule;
    });
  } else {
    // AWS matches by protocol, ports and source; the description does not take part.
    doomed = rulesOf(target.groupId, direction, input.IpPermissions).map((wanted) => {
      const rule = target.rules.find((r) => ruleKey(r) === ruleKey(wanted));
      if (!rule) throw new SimulationError('InvalidPermission.NotFound', `the specified rule ${ruleKey(wanted)} does not exist`);
      return rule;
    });
  }
  target.rules = target.rules.filter((r) => !doomed.includes(r));
  return {};
}

/** Applies one step; returns what the SDK would (the parts plans read). Throws SimulationError as AWS would fail. */
export function applyStep(account: SimulatedAccount, step: Step): Record<string, unknown> {
  const input = resolve(step.sdkInput, account.refs) as Record<string, unknown>;
  let output: Record<string, unknown>;
  switch (step.sdkCommand) {
    case 'AuthorizeSecurityGroupIngressCommand': output = authorize(account, input, 'ingress'); break;
    case 'AuthorizeSecurityGroupEgressCommand': output = authorize(account, input, 'egress'); break;
    case 'RevokeSecurityGroupIngressCommand': output = revoke(account, input, 'ingress'); break;
    case 'RevokeSecurityGroupEgressCommand': output = revoke(account, input, 'egress'); break;
    case 'CreateSecurityGroupCommand': {
      const { GroupName, Description, VpcId } = input as { GroupName: string; Description: string; VpcId: string };
      if ([...account.groups.values()].some((g) => g.groupName === GroupName && g.vpcId === VpcId)) {
        throw new SimulationError('InvalidGroup.Duplicate', `The security group '${GroupName}' already exists for VPC '${VpcId}'`);
      }
      const groupId = newId(account, 'sg');
      // A new group allows no inbound traffic and all outbound traffic, as in AWS.
      account.groups.set(groupId, {
        groupId, groupName: GroupName, description: Description, vpcId: VpcId,
        rules: [{ groupId, ruleId: newId(account, 'sgr'), direction: 'egress', protocol: 'all', source: { kind: 'cidr4', value: '0.0.0.0/0' } }],
      });
      output = { GroupId: groupId };
      break;
    }
    case 'DeleteSecurityGroupCommand': {
      const target = group(account, input.GroupId);
      const user = [...account.clusters.values()].find((c) => c.securityGroupIds.includes(target.groupId));
      if (user) throw new SimulationError('DependencyViolation', `resource ${target.groupId} has a dependent object (cluster ${user.clusterId})`);
      account.groups.delete(target.groupId);
      output = {};
      break;
    }
    case 'ModifyDBClusterCommand': {
      const cluster = account.clusters.get(String(input.DBClusterIdentifier));
      if (!cluster) throw new SimulationError('DBClusterNotFoundFault', `DBCluster ${String(input.DBClusterIdentifier)} not found`);
      if (Array.isArray(input.VpcSecurityGroupIds)) {
        for (const id of input.VpcSecurityGroupIds) group(account, id);
        cluster.securityGroupIds = [...(input.VpcSecurityGroupIds as string[])];
      }
      output = { DBCluster: { DBClusterIdentifier: cluster.clusterId } };
      break;
    }
    case 'ModifyDBInstanceCommand': {
      const instance = account.instances.get(String(input.DBInstanceIdentifier));
      if (!instance) throw new SimulationError('DBInstanceNotFound', `DBInstance ${String(input.DBInstanceIdentifier)} not found`);
      if (input.VpcSecurityGroupIds !== undefined) {
        throw new SimulationError('InvalidParameterCombination', 'The specified DB Instance is a member of a cluster. Modify vpc security group for the DB Cluster using the ModifyDbCluster API');
      }
      if (typeof input.PubliclyAccessible === 'boolean') instance.publiclyAccessible = input.PubliclyAccessible;
      output = { DBInstance: { DBInstanceIdentifier: instance.instanceId } };
      break;
    }
    default:
      throw new SimulationError('UnsupportedOperation', `the simulator does not know ${step.sdkCommand}`);
  }
  if (step.produces) {
    const value = step.produces.from === 'GroupId' ? output.GroupId : (output.SecurityGroupRules as { SecurityGroupRuleId: string }[] | undefined)?.[0]?.SecurityGroupRuleId;
    if (typeof value !== 'string') throw new SimulationError('MissingOutput', `${step.sdkCommand} produced no ${step.produces.from}`);
    account.refs.set(step.produces.ref, value);
  }
  return output;
}

/** What does not hold of a step's preconditions in this account, in words; empty when all hold. */
export function unmetPreconditions(account: SimulatedAccount, step: Step): string[] {
  return step.preconditions.flatMap((p: Precondition): string[] => {
    switch (p.kind) {
      case 'ruleExists':
      case 'ruleAbsent': {
        const rules = account.groups.get(p.rule.groupId)?.rules ?? [];
        const present = p.rule.ruleId ? rules.some((r) => r.ruleId === p.rule.ruleId) : rules.some((r) => ruleKey(r) === ruleKey(p.rule));
        if (p.kind === 'ruleExists' && !present) return [`rule ${ruleKey(p.rule)} no longer exists`];
        if (p.kind === 'ruleAbsent' && present) return [`rule ${ruleKey(p.rule)} already exists`];
        return [];
      }
      case 'clusterGroups': {
        const actual = account.clusters.get(p.clusterId)?.securityGroupIds ?? [];
        const same = actual.length === p.groupIds.length && [...actual].sort().join() === [...p.groupIds].sort().join();
        return same ? [] : [`cluster ${p.clusterId} has groups ${actual.join(', ')}, not ${p.groupIds.join(', ')}`];
      }
      case 'instancePublic': {
        const actual = account.instances.get(p.instanceId)?.publiclyAccessible;
        return actual === p.publiclyAccessible ? [] : [`instance ${p.instanceId} is ${actual ? '' : 'not '}publicly accessible`];
      }
      case 'groupAbsent':
        return [...account.groups.values()].some((g) => g.groupName === p.groupName && g.vpcId === p.vpcId)
          ? [`a group named ${p.groupName} already exists in ${p.vpcId}`] : [];
    }
  });
}

/** Applies steps in order, checking each step's preconditions first (as the executor does). */
export function applySteps(account: SimulatedAccount, steps: Step[]): void {
  steps.forEach((step, i) => {
    const unmet = unmetPreconditions(account, step);
    if (unmet.length) throw new SimulationError('PreconditionFailed', `step ${i + 1} (${step.sdkCommand}): ${unmet.join('; ')}`);
    applyStep(account, step);
  });
}

/** A group's rules as comparable text, ids aside (a restored rule gets a new sgr- id): key and description, sorted. */
export function ruleSetSignature(groupRules: Rule[]): string[] {
  return groupRules.map((r) => `${ruleKey(r)}|${JSON.stringify(r.description ?? null)}`).sort();
}
