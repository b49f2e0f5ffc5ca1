// Stable finding ids: a hash of what a finding is about (rule id, account, region, cluster,
// instance, group and the rule's identity), never of the profile, file, time or order. So
// an evidence folder and the live account it came from give the same ids, run after run.

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
    accountId: fromArn.accountId ?? group?.ownerId ?? inventory.target?.accountId ?? '',
    region: fromArn.region ?? inventory.target?.region ?? '',
  };
}

/** The id from its parts; `ruleKeys` in any order. */
export function findingIdFromParts(
  ruleId: RuleId, accountId: string, region: string, clusterId: string, instanceId: string, groupId: string, ruleKeys: string[],
): string {
  if (ruleKeys.length > 1) ruleKeys.sort();
  const state = { h1: 0xdeadbeef, h2: 0x41c6ce57 };
  mix(state, ruleId); mix(state, accountId); mix(state, region); mix(state, clusterId); mix(state, instanceId); mix(state, groupId);
  for (const key of ruleKeys) mix(state, key);
  return `${ruleId}-${digest48(state)}`;
}

/** `AURSG-001-<12 hex>`. */
export function findingId(inventory: Inventory, subject: FindingSubject): string {
  const scope = scopeOf(inventory, subject.cluster, subject.group);
  return findingIdFromParts(subject.ruleId, scope.accountId, scope.region, subject.cluster?.clusterId ?? '', subject.instanceId ?? '',
    subject.group?.groupId ?? '', (subject.rules ?? []).map(ruleKey));
}

// A two-lane multiplicative hash (cyrb53's mixing, both lanes kept), fed part by part with
// a separator so no identity string is built. Not cryptographic, and need not be: ids name
// findings, they protect nothing; sha256 through node:crypto cost more than the rest of a
// finding in the benchmark.
interface HashState { h1: number; h2: number }

function mix(state: HashState, text: string): void {
  let h1 = state.h1;
  let h2 = state.h2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  // A separator no id contains, so ("ab", "c") and ("a", "bc") differ.
  state.h1 = Math.imul(h1 ^ 0x1f, 2654435761);
  state.h2 = Math.imul(h2 ^ 0x1f, 1597334677);
}

function digest48(state: HashState): string {
  let { h1, h2 } = state;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return ((h2 >>> 0) & 0xffff).toString(16).padStart(4, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
