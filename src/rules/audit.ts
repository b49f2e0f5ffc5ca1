// The evaluator: judges every cluster's groups against the cluster's real port, the groups
// without a cluster against the database ports when the inventory asks for it, then applies
// severity overrides and suppressions and sorts worst first.

import type { AuditSettings, Suppression } from '../model/settings';
import { severityRank, type Cluster, type Finding, type Inventory, type InventoryNote, type Rule, type SecurityGroup, type Severity } from '../model/types';
import { addFinding, addNote, createContext, type AuditContext } from './context';
import { describeGroup, showId } from './describe';
import { judgeCoverage } from './coverage';
import { aboutResource, inlineSuppressionFor } from './iacSuppressions';
import { judgeGroup, noneOpen } from './judgeGroup';
import { judgeSharing } from './network';
import { judgeInstances } from './reachability';
import { databasePortsFor, defaultSettings } from './settings';

export interface AuditResult {
  findings: Finding[];
  /** What could not be judged, and why (missing route tables, unknown groups, invalid sources). */
  notes: InventoryNote[];
}

/** Settings from callers may be partial; every missing field takes its default. */
export function completeSettings(settings: Partial<AuditSettings> | undefined): AuditSettings {
  const base = defaultSettings();
  if (!settings) return base;
  return {
    approvedSources: Array.isArray(settings.approvedSources) ? settings.approvedSources : base.approvedSources,
    broadCidrThresholds: { ...base.broadCidrThresholds, ...(settings.broadCidrThresholds ?? {}) },
    databasePorts: Array.isArray(settings.databasePorts) ? settings.databasePorts : base.databasePorts,
    severityOverrides: settings.severityOverrides ?? base.severityOverrides,
    suppressions: Array.isArray(settings.suppressions) ? settings.suppressions : base.suppressions,
  };
}

function safely(ctx: AuditContext, what: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    // Hostile input must not stop the audit of everything else; say what was skipped.
    addNote(ctx, 'error', `Internal error while judging ${what}; it was skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The audit without side effects: findings (worst first) and the notes on what could not be judged. */
export function runAudit(inventory: Inventory, settings?: Partial<AuditSettings>): AuditResult {
  const complete = completeSettings(settings);
  const ctx = createContext(inventory, complete);
  const clusters = Array.isArray(inventory.clusters) ? inventory.clusters : [];

  for (const cluster of clusters) {
    safely(ctx, `cluster ${showId(String(cluster.clusterId))}`, () => {
      // The cluster's interfaces admit the union of its groups' rules (design.md section 10).
      const open = noneOpen();
      const share = { 4: 0, 6: 0 };
      const groups: SecurityGroup[] = [];
      for (const groupId of Array.isArray(cluster.securityGroupIds) ? cluster.securityGroupIds : []) {
        const group = ctx.groupsById.get(groupId);
        if (!group) {
          addNote(ctx, 'warning', `Cluster ${showId(cluster.clusterId)} uses security group ${showId(groupId)}, which is not in the inventory; its rules could not be judged.`, cluster.location);
          continue;
        }
        if (groups.includes(group)) continue;
        groups.push(group);
        safely(ctx, `${describeGroup(group)} for cluster ${showId(cluster.clusterId)}`, () => {
          const judged = judgeGroup(ctx, group, [cluster.port], cluster, false);
          for (const family of [4, 6] as const) {
            open[family].push(...judged.open[family]);
            share[family] += judged.share[family];
          }
          if (group.groupName === 'default') addDefaultGroupFinding(ctx, cluster, group);
          judgeSharing(ctx, cluster, group);
        });
      }
      // Only groups whose ranges add up to a whole family can cover it together; almost none do.
      for (const family of [4, 6] as const) {
        if (share[family] >= 1 - 1e-9) open[family].push(...judgeCoverage(ctx, groups, [cluster.port], family, cluster));
      }
      judgeInstances(ctx, cluster, open);
    });
  }

  if (inventory.judgeUnattachedGroups) {
    const ports = databasePortsFor(inventory, complete);
    for (const group of ctx.groupsById.values()) {
      if (ctx.clustersByGroup.has(group.groupId)) continue;
      safely(ctx, describeGroup(group), () => { judgeGroup(ctx, group, ports, undefined, true); });
    }
  }

  if (clusters.length > 0 && !inventory.coverage?.networkInterfaces) {
    addNote(ctx, 'info', 'Network interfaces were not collected, so AURSG-010 (shared security group) only sees groups shared between clusters.');
  }

  const findings = finalise(ctx.findings, complete, inventory);
  return { findings, notes: ctx.notes };
}

function addDefaultGroupFinding(ctx: AuditContext, cluster: Cluster, group: SecurityGroup): void {
  addFinding(ctx, {
    ruleId: 'AURSG-007', cluster, group,
    location: cluster.location ?? group.location,
    message: `Cluster ${showId(cluster.clusterId)} uses ${describeGroup(group)}, the default security group of ${group.vpcId ? showId(group.vpcId) : 'its VPC'}.`,
  });
}

/**
 * Audits an inventory: findings worst first, suppressed ones included and marked. What
 * could not be judged is added to `inventory.notes` (once, however often it is audited).
 */
export function auditInventory(inventory: Inventory, settings?: AuditSettings): Finding[] {
  const { findings, notes } = runAudit(inventory, settings);
  if (!Array.isArray(inventory.notes)) inventory.notes = [];
  const known = new Set(inventory.notes.map((n) => n.message));
  for (const note of notes) if (!known.has(note.message)) inventory.notes.push(note);
  return findings;
}

function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Worst first, then by cluster, group, rule id, instance and id: the same order whatever the input order. */
export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity)
    || compareText(a.clusterId, b.clusterId)
    || compareText(a.groupId, b.groupId)
    || compareText(a.ruleId, b.ruleId)
    || compareText(a.instanceId, b.instanceId)
    || compareText(a.id, b.id);
}

export function suppressionMatches(suppression: Suppression, finding: Finding, inventory?: Inventory): boolean {
  return suppression.ruleId === finding.ruleId
    && (suppression.groupId === undefined || suppression.groupId === finding.groupId)
    && (suppression.clusterId === undefined || suppression.clusterId === finding.clusterId)
    && (suppression.securityGroupRuleId === undefined || suppression.securityGroupRuleId === finding.rule?.ruleId)
    && (suppression.findingId === undefined || suppression.findingId === finding.id)
    && (suppression.resource === undefined || (!!inventory && aboutResource(inventory, suppression.resource, finding)));
}

/** One finding per id (a group judged against several ports can repeat one), overrides, suppressions, order. */
function finalise(raw: Finding[], settings: AuditSettings, inventory: Inventory): Finding[] {
  const byId = new Map<string, Finding>();
  for (const finding of raw) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  const findings = [...byId.values()];
  const overrides = settings.severityOverrides ?? {};
  for (const finding of findings) {
    const override = overrides[finding.ruleId];
    if (override) finding.severity = override;
    // Settings first, then the file's own aurora-sg:ignore comments.
    const suppression = settings.suppressions.find((s) => s && suppressionMatches(s, finding, inventory)) ?? inlineSuppressionFor(inventory, finding);
    if (suppression) finding.suppressed = { reason: suppression.reason };
  }
  return findings.sort(compareFindings);
}

/** The worst severity among findings that are not suppressed; undefined when there is none. */
export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const finding of findings) {
    if (finding.suppressed) continue;
    if (!worst || severityRank(finding.severity) > severityRank(worst)) worst = finding.severity;
  }
  return worst;
}

/** Findings about one cluster, group, instance or rule (every given field must match); suppressed ones too unless includeSuppressed is false. */
export function findingsFor(
  findings: readonly Finding[],
  about: { clusterId?: string; groupId?: string; instanceId?: string; rule?: Rule; includeSuppressed?: boolean },
): Finding[] {
  return findings.filter((f) => (about.includeSuppressed !== false || !f.suppressed)
    && (about.clusterId === undefined || f.clusterId === about.clusterId)
    && (about.groupId === undefined || f.groupId === about.groupId)
    && (about.instanceId === undefined || f.instanceId === about.instanceId)
    && (about.rule === undefined || f.rule === about.rule || (f.relatedRules?.includes(about.rule) ?? false)));
}

/** Counts per severity of the findings that are not suppressed. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) if (!finding.suppressed) counts[finding.severity]++;
  return counts;
}
