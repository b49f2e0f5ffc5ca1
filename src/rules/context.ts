// What one audit run knows besides the rule at hand: indexes over the inventory, the parsed
// settings, and the findings and notes collected so far. Built once per auditInventory call.

import type { AuditSettings } from '../model/settings';
import type {
  Cluster, Finding, FixKind, Instance, Inventory, InventoryNote, NetworkInterface, ReachabilityHop, Rule, RuleId, SecurityGroup, SourceRange,
} from '../model/types';
import { RULES as CATALOG } from './catalog';
import { cidrContains, parseCidrCached, type ParsedCidr } from './cidr';
import { parseArn, ruleKey } from '../model/fromAws';
import { findingIdFromParts } from './findingId';
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
  /** Shared by every finding of the run: one audit, one target. */
  findingTarget: Finding['target'];
  arnScopes: Map<Cluster, { region?: string; accountId?: string }>;
  fixesByShape: Map<string, FixKind[]>;
  /** Per VPC id, its own CIDR blocks (IPv4 and IPv6 associations), parsed on first use. */
  vpcBlocks: Map<string, ParsedCidr[]>;
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
  const target = inventory.target ?? { kind: 'live', label: '' };
  const findingTarget: Finding['target'] = { kind: target.kind, label: target.label };
  if (target.profile !== undefined) findingTarget.profile = target.profile;
  if (target.region !== undefined) findingTarget.region = target.region;
  if (target.accountId !== undefined) findingTarget.accountId = target.accountId;
  if (target.accountName !== undefined) findingTarget.accountName = target.accountName;
  if (target.assumedRole !== undefined) findingTarget.assumedRole = target.assumedRole;
  return {
    inventory, settings, approved, groupsById, clustersByGroup, interfacesByGroup, instancesByCluster,
    prefixListVerdicts: new Map(), findings: [], notes: [], noteMessages: new Set(),
    findingTarget, arnScopes: new Map(), fixesByShape: new Map(), vpcBlocks: new Map(),
  };
}

/** Whether the range lies inside one of the VPC's own blocks: only the VPC's hosts hold those addresses. */
export function insideVpc(ctx: AuditContext, vpcId: string, range: ParsedCidr): boolean {
  let blocks = ctx.vpcBlocks.get(vpcId);
  if (!blocks) {
    const vpc = asArray(ctx.inventory.vpcs).find((v) => v?.vpcId === vpcId);
    blocks = [...asArray(vpc?.cidrBlocks), ...asArray(vpc?.ipv6CidrBlocks)]
      .map((cidr) => (typeof cidr === 'string' ? parseCidrCached(cidr) : undefined))
      .filter((b): b is ParsedCidr => b !== undefined && b.prefix > 0);
    ctx.vpcBlocks.set(vpcId, blocks);
  }
  for (const block of blocks) if (cidrContains(block, range)) return true;
  return false;
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
  const cidrs = approved.cidrs;
  for (let i = 0; i < cidrs.length; i++) if (cidrContains(cidrs[i]!, parsed)) return true;
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
  path?: ReachabilityHop[];
}

function fixesFor(ctx: AuditContext, input: FindingInput): FixKind[] {
  const egress = input.rule?.direction === 'egress';
  const shape = `${input.ruleId}${input.rule ? 'r' : ''}${input.cluster ? 'c' : ''}${input.instance ? 'i' : ''}${egress ? 'e' : ''}`;
  let fixes = ctx.fixesByShape.get(shape);
  if (!fixes) {
    fixes = CATALOG[input.ruleId].fixes.filter((fix) => {
      if (fix === 'revoke' || fix === 'restrict') return input.rule !== undefined;
      if (fix === 'dedicated-sg') return input.cluster !== undefined;
      if (fix === 'private') return input.instance !== undefined;
      if (fix === 'egress') return egress;
      return true;
    });
    ctx.fixesByShape.set(shape, fixes);
  }
  return fixes.slice();
}

function idOf(ctx: AuditContext, input: FindingInput): string {
  let arn: { region?: string; accountId?: string } | undefined;
  if (input.cluster) {
    arn = ctx.arnScopes.get(input.cluster);
    if (!arn) { arn = parseArn(input.cluster.arn); ctx.arnScopes.set(input.cluster, arn); }
  }
  const target = ctx.findingTarget;
  const keys: string[] = [];
  // An instance finding is about the instance, whichever open rules it cites.
  if (input.rule && input.ruleId !== 'AURSG-009' && input.ruleId !== 'AURSG-011') {
    keys.push(ruleKey(input.rule));
    if (input.relatedRules) for (const rule of input.relatedRules) keys.push(ruleKey(rule));
  }
  return findingIdFromParts(
    input.ruleId,
    arn?.accountId ?? input.group?.ownerId ?? target.accountId ?? '',
    arn?.region ?? target.region ?? '',
    input.cluster?.clusterId ?? '',
    input.instance?.instanceId ?? '',
    input.group?.groupId ?? '',
    keys,
  );
}

export function addFinding(ctx: AuditContext, input: FindingInput): void {
  const info = CATALOG[input.ruleId];
  const finding: Finding = {
    id: idOf(ctx, input),
    ruleId: input.ruleId,
    severity: info.severity,
    title: info.title,
    message: input.message,
    target: ctx.findingTarget,
    fixes: fixesFor(ctx, input),
  };
  if (input.cluster) finding.clusterId = input.cluster.clusterId;
  if (input.instance) finding.instanceId = input.instance.instanceId;
  if (input.group) finding.groupId = input.group.groupId;
  if (input.rule) finding.rule = input.rule;
  if (input.relatedRules?.length) finding.relatedRules = input.relatedRules;
  if (input.path) finding.path = input.path;
  const location = input.location ?? input.rule?.location ?? input.group?.location ?? input.cluster?.location;
  if (location) finding.location = location;
  ctx.findings.push(finding);
}
