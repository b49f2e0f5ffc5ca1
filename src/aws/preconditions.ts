// Checks a step's preconditions against freshly read state, and says exactly what changed.

import { ruleKey } from '../model/fromAws';
import type { Precondition } from '../model/plan';
import type { Rule } from '../model/types';
import { clusterGroupIds, rulesOfGroup, type StateQuery, type StateSnapshot } from './state';

/** "tcp 3306 from 0.0.0.0/0 (ingress)": enough to recognise a rule in a message. */
export function describeRuleBriefly(rule: Pick<Rule, 'direction' | 'protocol' | 'fromPort' | 'toPort' | 'source'>): string {
  const ports = rule.protocol === 'all' ? 'all traffic'
    : rule.fromPort === undefined ? rule.protocol
      : rule.fromPort === rule.toPort ? `${rule.protocol} ${rule.fromPort}` : `${rule.protocol} ${rule.fromPort}-${rule.toPort}`;
  const way = rule.direction === 'ingress' ? 'from' : 'to';
  return `${ports} ${way} ${rule.source.value} (${rule.direction})`;
}

/** What must be read to check these preconditions. */
export function queryFor(preconditions: readonly Precondition[]): StateQuery {
  const query: Required<StateQuery> = { groupIds: [], clusterIds: [], instanceIds: [], groupNames: [] };
  for (const p of preconditions) {
    if (p.kind === 'ruleExists' || p.kind === 'ruleAbsent') query.groupIds.push(p.rule.groupId);
    else if (p.kind === 'clusterGroups') query.clusterIds.push(p.clusterId);
    else if (p.kind === 'instancePublic') query.instanceIds.push(p.instanceId);
    else if (p.kind === 'groupAbsent') query.groupNames.push({ groupName: p.groupName, vpcId: p.vpcId });
  }
  return query;
}

/** One line per precondition that no longer holds; empty when the state is as the plan assumed. */
export function checkPreconditions(preconditions: readonly Precondition[], state: StateSnapshot): string[] {
  const problems: string[] = [];
  for (const p of preconditions) {
    switch (p.kind) {
      case 'ruleExists':
      case 'ruleAbsent': {
        const rules = rulesOfGroup(state, p.rule.groupId);
        if (!rules) { problems.push(`Security group ${p.rule.groupId} no longer exists.`); break; }
        const key = ruleKey(p.rule);
        const present = rules.some((r) => ruleKey(r) === key);
        if (p.kind === 'ruleExists' && !present) problems.push(`The rule ${describeRuleBriefly(p.rule)} is no longer on ${p.rule.groupId}: it was revoked or changed since the plan was made.`);
        if (p.kind === 'ruleAbsent' && present) problems.push(`The rule ${describeRuleBriefly(p.rule)} is already on ${p.rule.groupId}: it was added since the plan was made.`);
        break;
      }
      case 'clusterGroups': {
        const cluster = state.dbClusters.find((c) => c.DBClusterIdentifier === p.clusterId);
        if (!cluster) { problems.push(`Cluster ${p.clusterId} no longer exists.`); break; }
        const now = clusterGroupIds(cluster);
        const same = now.length === p.groupIds.length && p.groupIds.every((id) => now.includes(id));
        if (!same) problems.push(`Cluster ${p.clusterId} now uses security groups [${now.join(', ')}]; the plan expected [${p.groupIds.join(', ')}].`);
        break;
      }
      case 'instancePublic': {
        const instance = state.dbInstances.find((i) => i.DBInstanceIdentifier === p.instanceId);
        if (!instance) { problems.push(`Instance ${p.instanceId} no longer exists.`); break; }
        const now = instance.PubliclyAccessible === true;
        if (now !== p.publiclyAccessible) problems.push(`Instance ${p.instanceId} is now ${now ? 'publicly accessible' : 'private'}; the plan expected it ${p.publiclyAccessible ? 'publicly accessible' : 'private'}.`);
        break;
      }
      case 'groupAbsent': {
        const existing = state.securityGroups.find((g) => g.GroupName === p.groupName && g.VpcId === p.vpcId);
        if (existing) problems.push(`A security group named "${p.groupName}" already exists in ${p.vpcId} (${existing.GroupId}).`);
        break;
      }
    }
  }
  return problems;
}
