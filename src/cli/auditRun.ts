// One audit: gather the inventories, judge each, and keep what the reports need.

import type { AuditSettings } from '../model/settings';
import { type Finding, type Inventory, type Severity, severityRank } from '../model/types';
import { auditInventory } from '../rules';
import type { CliIo } from './io';
import { gatherInventories, noteError, type OrgReport, type SourceFlags, type TargetError } from './sources';

export interface AuditedTarget {
  inventory: Inventory;
  /** Worst first, suppressed ones included. */
  findings: Finding[];
}

export interface AuditReport {
  targets: AuditedTarget[];
  /** Every finding of every target, worst first. */
  findings: Finding[];
  errors: TargetError[];
  apiCalls: number;
  durationMs: number;
  /** The inventory each finding came from (plans need it). */
  inventoryOf: Map<Finding, Inventory>;
  /** With an organization source: "N of M accounts audited" and each account's outcome. */
  organization?: OrgReport;
}

export type FailOn = Severity | 'none';

export async function runAudit(flags: SourceFlags, settings: AuditSettings, io: CliIo, command: string): Promise<AuditReport> {
  const started = performance.now();
  const gathered = await gatherInventories(flags, io, command);
  const targets = gathered.inventories.map((inventory) => ({ inventory, findings: auditInventory(inventory, settings) }));
  const report = reportOf(targets, { errors: gathered.errors, apiCalls: gathered.apiCalls, durationMs: Math.round(performance.now() - started) }, io.cwd);
  if (gathered.organization) report.organization = gathered.organization;
  return report;
}

/**
 * The report of audited targets: their findings worst first, and as errors the targets that
 * failed plus every error note (a malformed file). The CLI and the extension's export share it.
 */
export function reportOf(targets: AuditedTarget[], run: { errors: TargetError[]; apiCalls: number; durationMs: number }, cwd: string): AuditReport {
  // After the audit: the engine adds its own notes (a group it could not judge) to the inventory.
  const errors = [...run.errors];
  for (const { inventory } of targets) {
    for (const note of inventory.notes) if (note.level === 'error') errors.push(noteError(inventory, note, cwd));
  }
  const inventoryOf = new Map<Finding, Inventory>();
  for (const target of targets) for (const finding of target.findings) inventoryOf.set(finding, target.inventory);
  // Stable: within one severity, each target's own order (and the targets' order) is kept.
  const findings = targets.flatMap((t) => t.findings).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { targets, findings, errors, apiCalls: run.apiCalls, durationMs: run.durationMs, inventoryOf };
}

/** Findings that fail the run: not suppressed, and at or above --fail-on. */
export function failingFindings(report: AuditReport, failOn: FailOn): Finding[] {
  if (failOn === 'none') return [];
  const threshold = severityRank(failOn);
  return report.findings.filter((f) => !f.suppressed && severityRank(f.severity) >= threshold);
}
