// Stable finding ids: a hash of what a finding is about (rule id, account, region, cluster,
// instance, group and the rule's identity), never of the profile, file, time or order. So
// an evidence folder and the live account it came from give the same ids, run after run.

import { createHash } from 'node:crypto';
import { parseArn, ruleKey } from '../model/fromAws';
import type { Cluster, Inventory, Rule, RuleId, SecurityGroup } from '../model/types';

export interface FindingSubject {
  ruleId: RuleId;
  cluster?: Cluster;
  instanceId?: string;
  group?: SecurityGroup;
  /** The rules the finding is about; several for a finding made by rules together. */
  rules?: readonly Rule[];
}

/** Account and region of a finding: the cluster's ARN first, then the group's owner, then the target. */
export function scopeOf(inventory: Inventory, cluster?: Cluster, group?: SecurityGroup): { accountId: string; region: string } {
  const fromArn = parseArn(cluster?.arn);
  return {
    accountId: fromArn.accountId ?? group?.ownerId ?? inventory.target.accountId ?? '',
    region: fromArn.region ?? inventory.target.region ?? '',
  };
}

/** `AURSG-001-<12 hex>`. */
export function findingId(inventory: Inventory, subject: FindingSubject): string {
  const scope = scopeOf(inventory, subject.cluster, subject.group);
  const ruleKeys = (subject.rules ?? []).map(ruleKey).sort();
  const identity = [
    subject.ruleId,
    scope.accountId,
    scope.region,
    subject.cluster?.clusterId ?? '',
    subject.instanceId ?? '',
    subject.group?.groupId ?? '',
    ...ruleKeys,
  ].join('\u0000');
  return `${subject.ruleId}-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}
