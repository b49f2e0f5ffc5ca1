// What one audit run knows besides the rule at hand: indexes over the inventory, the parsed
// settings, and the findings and notes collected so far. Built once per auditInventory call.

import type { AuditSettings } from '../model/settings';
import type {
  Cluster, Finding, FixKind, Instance, Inventory, InventoryNote, NetworkInterface, Rule, RuleId, SecurityGroup, SourceRange,
} from '../model/types';
import { RULES } from './catalog';
import { cidrContains, parseCidrCached, type ParsedCidr } from './cidr';
import { findingId } from './findingId';
import { analysePrefixList, type PrefixListVerdict } from './prefixLists';

export interface Approved {
  any: boolean;
  cidrs: ParsedCidr[];
  ids: Set<string>;
}

export interface AuditContext {
  inventory: Inventory;
  settings: AuditSettings;
  approved: Approved;
  groupsById: Map<string, SecurityGroup>;
  clustersByGroup: Map<string, Cluster[]>;
  interfacesByGroup: Map<string, NetworkInterface[]>;
  instancesByCluster: Map<string, Instance[]>;
  prefixListVerdicts: Map<string, PrefixListVerdict>;
  findings: Finding[];
  notes: InventoryNote[];
  noteMessages: Set<string>;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) { if (!list.includes(value)) list.push(value); } else map.set(key, [value]);
}

function asArray<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

export function createContext(inventory: Inventory, settings: AuditSettings): AuditContext {
  const approved: Approved = { any: false, cidrs: [], ids: new Set() };
  for (const entry of asArray(settings.approvedSources)) {
    if (typeof entry !== 'string') continue;
    const text = entry.trim();
    const parsed = parseCidrCached(text);
    if (parsed) approved.cidrs.push(parsed);
    else approved.ids.add(text);
    approved.any = true;
  }
  const groupsById = new Map<string, SecurityGroup>();
  for (const group of asArray(inventory.securityGroups)) if (group && !groupsById.has(group.groupId)) groupsById.set(group.groupId, group);
  const clustersByGroup = new Map<string, Cluster[]>();
  for (const cluster of asArray(inventory.clusters)) for (const id of asArray(cluster.securityGroupIds)) pushTo(clustersByGroup, id, cluster);
  const interfacesByGroup = new Map<string, NetworkInterface[]>();
  for (const eni of asArray(inventory.networkInterfaces)) for (const id of asArray(eni.groupIds)) pushTo(interfacesByGroup, id, eni);
  const instancesByCluster = new Map<string, Instance[]>();
  const instancesById = new Map<string, Instance>();
  for (const instance of asArray(inventory.instances)) {
    instancesById.set(instance.instanceId, instance);
    if (instance.clusterId) pushTo(instancesByCluster, instance.clusterId, instance);
  }
  for (const cluster of asArray(inventory.clusters)) {
    for (const id of asArray(cluster.memberInstanceIds)) {
      const instance = instancesById.get(id);
      if (instance && (!instance.clusterId || instance.clusterId === cluster.clusterId)) pushTo(instancesByCluster, cluster.clusterId, instance);
    }
  }
  return {
    inventory, settings, approved, groupsById, clustersByGroup, interfacesByGroup, instancesByCluster,
    prefixListVerdicts: new Map(), findings: [], notes: [], noteMessages: new Set(),
  };
}

/** Notes are deduplicated: a group attached to two clusters must not say the same thing twice. */
export function addNote(ctx: AuditContext, level: InventoryNote['level'], message: string, location?: SourceRange): void {
  if (ctx.noteMessages.has(message)) return;
  ctx.noteMessages.add(message);
  const note: InventoryNote = { level, message };
  if (location) { note.location = location; note.file = location.file; }
  ctx.notes.push(note);
}

export function prefixListVerdict(ctx: AuditContext, prefixListId: string): PrefixListVerdict {
  let verdict = ctx.prefixListVerdicts.get(prefixListId);
  if (!verdict) {
    const list = asArray(ctx.inventory.prefixLists).find((pl) => pl?.prefixListId === prefixListId);
    verdict = analysePrefixList(prefixListId, list);
    ctx.prefixListVerdicts.set(prefixListId, verdict);
  }
  return verdict;
}

export function isApprovedCidr(approved: Approved, parsed: ParsedCidr): boolean {
  for (const outer of approved.cidrs) if (cidrContains(outer, parsed)) return true;
  return false;
}

export interface FindingInput {
  ruleId: RuleId;
  message: string;
  cluster?: Cluster;
  group?: SecurityGroup;
  instance?: Instance;
  rule?: Rule;
  relatedRules?: Rule[];
  location?: SourceRange;
}

function fixesFor(input: FindingInput): FixKind[] {
  return RULES[input.ruleId].fixes.filter((fix) => {
    if (fix === 'revoke' || fix === 'restrict') return input.rule !== undefined;
    if (fix === 'dedicated-sg') return input.cluster !== undefined;
    if (fix === 'private') return input.instance !== undefined;
    if (fix === 'egress') return input.rule !== undefined && input.rule.direction === 'egress';
    return true;
  });
}

export function addFinding(ctx: AuditContext, input: FindingInput): void {
  const info = RULES[input.ruleId];
  const target = ctx.inventory.target ?? { kind: 'live', label: '' };
  const finding: Finding = {
    id: findingId(ctx.inventory, {
      ruleId: input.ruleId,
      cluster: input.cluster,
      instanceId: input.instance?.instanceId,
      group: input.group,
      // An instance finding is about the instance, whichever open rule it cites.
      rules: input.ruleId === 'AURSG-009' ? [] : input.rule ? [input.rule, ...(input.relatedRules ?? [])] : [],
    }),
    ruleId: input.ruleId,
    severity: info.severity,
    title: info.title,
    message: input.message,
    target: { kind: target.kind, label: target.label },
    fixes: fixesFor(input),
  };
  if (target.profile !== undefined) finding.target.profile = target.profile;
  if (target.region !== undefined) finding.target.region = target.region;
  if (target.accountId !== undefined) finding.target.accountId = target.accountId;
  if (input.cluster) finding.clusterId = input.cluster.clusterId;
  if (input.instance) finding.instanceId = input.instance.instanceId;
  if (input.group) finding.groupId = input.group.groupId;
  if (input.rule) finding.rule = input.rule;
  if (input.relatedRules?.length) finding.relatedRules = input.relatedRules;
  const location = input.location ?? input.rule?.location ?? input.group?.location ?? input.cluster?.location;
  if (location) finding.location = location;
  ctx.findings.push(finding);
}
