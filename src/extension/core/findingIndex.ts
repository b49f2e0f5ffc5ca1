// Finds the findings that concern one tree node or one document line. Pure.

import { ruleKey } from '../../model/fromAws';
import type { Finding, Inventory, Rule, SecurityGroup } from '../../model/types';

export class FindingIndex {
  private readonly byRule = new Map<string, Finding[]>();
  private readonly byCluster = new Map<string, Finding[]>();
  private readonly byInstance = new Map<string, Finding[]>();
  private readonly byGroup = new Map<string, Finding[]>();
  private readonly byId = new Map<string, Finding>();

  constructor(readonly findings: readonly Finding[]) {
    for (const finding of findings) {
      this.byId.set(finding.id, finding);
      for (const rule of [finding.rule, ...(finding.relatedRules ?? [])]) {
        if (rule) push(this.byRule, ruleKey(rule), finding);
      }
      if (finding.clusterId) push(this.byCluster, finding.clusterId, finding);
      if (finding.instanceId) push(this.byInstance, finding.instanceId, finding);
      if (finding.groupId) push(this.byGroup, finding.groupId, finding);
    }
  }

  get(id: string): Finding | undefined {
    return this.byId.get(id);
  }

  /** Findings about this rule; narrowed to one cluster when the rule is shown under it. */
  forRule(rule: Rule, clusterId?: string): Finding[] {
    const all = this.byRule.get(ruleKey(rule)) ?? [];
    return clusterId === undefined ? all : all.filter((f) => f.clusterId === undefined || f.clusterId === clusterId);
  }

  forCluster(clusterId: string): Finding[] {
    return this.byCluster.get(clusterId) ?? [];
  }

  forInstance(instanceId: string): Finding[] {
    return this.byInstance.get(instanceId) ?? [];
  }

  forGroup(groupId: string, clusterId?: string): Finding[] {
    const all = this.byGroup.get(groupId) ?? [];
    return clusterId === undefined ? all : all.filter((f) => f.clusterId === undefined || f.clusterId === clusterId);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

/**
 * AURSG-010's meaning, for the tree's "shared" badge: the group is attached to more than one
 * cluster, or to network interfaces that are not the cluster's.
 */
export function isSharedGroup(group: SecurityGroup, inventory: Inventory, index: FindingIndex): boolean {
  if (index.forGroup(group.groupId).some((f) => f.ruleId === 'AURSG-010')) return true;
  return inventory.clusters.filter((c) => c.securityGroupIds.includes(group.groupId)).length > 1;
}
