// The JSON report, version 1 (design.md section 6). Every finding carries every field of
// the contract; a field that does not apply is null, never missing, so consumers can rely
// on the shape.

import type { Finding, FixKind, Inventory, InventoryNote, RuleSource, Severity } from '../../model/types';
import { SEVERITIES } from '../../model/types';
import { applicableFixes } from '../../remediation';
import type { AuditReport } from '../auditRun';
import { displayPath, type OrgReport, type TargetError } from '../sources';
import { TOOL_NAME, TOOL_VERSION } from '../version';

export interface JsonFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  profile: string | null;
  region: string | null;
  accountId: string | null;
  /** The account's name in its organization (organization sources only). */
  accountName: string | null;
  target: string;
  clusterId: string | null;
  instanceId: string | null;
  groupId: string | null;
  securityGroupRuleId: string | null;
  direction: 'ingress' | 'egress' | null;
  protocol: string | null;
  fromPort: number | null;
  toPort: number | null;
  source: RuleSource | null;
  fixes: FixKind[];
  suppressed: boolean;
  suppressionReason: string | null;
  /** Where the offending rule sits in its file (evidence, IaC); one-based line and column. */
  location: { file: string; line: number; column: number; endLine: number; endColumn: number } | null;
}

export interface JsonReport {
  version: 1;
  tool: { name: string; version: string };
  targets: { label: string; kind: string; profile: string | null; region: string | null; accountId: string | null; accountName: string | null; roleArn: string | null; path: string | null }[];
  findings: JsonFinding[];
  errors: TargetError[];
  /** With an organization source: "N of M accounts audited", the counts, and each account's outcome. */
  organization?: OrgReport;
  notes: { target: string; level: string; message: string; file: string | null; line: number | null; column: number | null }[];
  stats: {
    targets: number;
    clusters: number;
    instances: number;
    securityGroups: number;
    rules: number;
    findings: number;
    suppressed: number;
    bySeverity: Record<Severity, number>;
    byRule: Record<string, number>;
    apiCalls: number;
    durationMs: number;
  };
}

export function fixesFor(finding: Finding, inventory: Inventory | undefined): FixKind[] {
  return inventory ? applicableFixes(finding, inventory) : finding.fixes;
}

export function jsonFinding(finding: Finding, inventory: Inventory | undefined, cwd: string): JsonFinding {
  const rule = finding.rule;
  const location = finding.location ?? rule?.location;
  return {
    id: finding.id,
    ruleId: finding.ruleId,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    profile: finding.target.profile ?? null,
    region: finding.target.region ?? null,
    accountId: finding.target.accountId ?? null,
    accountName: finding.target.accountName ?? null,
    target: finding.target.label,
    clusterId: finding.clusterId ?? null,
    instanceId: finding.instanceId ?? null,
    groupId: finding.groupId ?? rule?.groupId ?? null,
    securityGroupRuleId: rule?.ruleId ?? null,
    direction: rule?.direction ?? null,
    protocol: rule?.protocol ?? null,
    fromPort: rule?.fromPort ?? null,
    toPort: rule?.toPort ?? null,
    source: rule ? { ...rule.source } : null,
    fixes: fixesFor(finding, inventory),
    suppressed: finding.suppressed !== undefined,
    suppressionReason: finding.suppressed?.reason ?? null,
    location: location ? {
      file: displayPath(location.file, cwd),
      line: location.start.line + 1,
      column: location.start.character + 1,
      endLine: location.end.line + 1,
      endColumn: location.end.character + 1,
    } : null,
  };
}

export function jsonReport(report: AuditReport, cwd: string): JsonReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  for (const finding of report.findings) {
    if (finding.suppressed) continue;
    bySeverity[finding.severity]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const inventories = report.targets.map((t) => t.inventory);
  return {
    version: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    targets: inventories.map((i) => ({
      label: i.target.label,
      kind: i.target.kind,
      profile: i.target.profile ?? null,
      region: i.target.region ?? null,
      accountId: i.target.accountId ?? null,
      accountName: i.target.accountName ?? null,
      roleArn: i.target.assumedRole?.roleArn ?? null,
      path: i.target.path ? displayPath(i.target.path, cwd) : null,
    })),
    findings: report.findings.map((f) => jsonFinding(f, report.inventoryOf.get(f), cwd)),
    errors: report.errors,
    ...(report.organization ? { organization: report.organization } : {}),
    notes: inventories.flatMap((i) => i.notes.filter((n) => n.level !== 'error').map((n) => ({
      target: i.target.label,
      level: n.level,
      message: n.message,
      file: noteFile(n, cwd),
      line: n.location ? n.location.start.line + 1 : null,
      column: n.location ? n.location.start.character + 1 : null,
    }))),
    stats: {
      targets: inventories.length,
      clusters: sum(inventories, (i) => i.clusters.length),
      instances: sum(inventories, (i) => i.instances.length),
      securityGroups: sum(inventories, (i) => i.securityGroups.length),
      rules: sum(inventories, (i) => i.securityGroups.reduce((n, g) => n + g.rules.length, 0)),
      findings: report.findings.filter((f) => !f.suppressed).length,
      suppressed: report.findings.filter((f) => f.suppressed).length,
      bySeverity,
      byRule,
      apiCalls: report.apiCalls,
      durationMs: report.durationMs,
    },
  };
}

function noteFile(note: InventoryNote, cwd: string): string | null {
  const file = note.file ?? note.location?.file;
  return file ? displayPath(file, cwd) : null;
}

function sum<T>(items: T[], count: (item: T) => number): number {
  return items.reduce((n, item) => n + count(item), 0);
}
