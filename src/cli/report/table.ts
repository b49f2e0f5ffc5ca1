// The terminal report: per target, clusters worst first, each with its findings as aligned
// columns (severity, finding id, title, where). Colour only when the caller allows it.

import { type Finding, type SecurityGroup, SEVERITIES, type Severity } from '../../model/types';
import type { AuditReport } from '../auditRun';
import { clusterGroups } from './grouping';
import { bold, dim, findingSubject, oneLine, pad, paintSeverity } from './text';

export interface TableOptions {
  colour: boolean;
  /** Terminal width: when a row would not fit, where each finding is goes on a line of its own. */
  columns?: number;
}

interface Row { finding: Finding; severity: string; id: string; title: string; where: string }

export function tableReport(report: AuditReport, options: TableOptions): string {
  const { colour } = options;
  const lines: string[] = [];
  const rows = report.findings.map((finding): Row => ({
    finding,
    severity: finding.severity.toUpperCase(),
    id: finding.id,
    title: oneLine(finding.title),
    where: findingSubject(finding, groupOf(report, finding)),
  }));
  const width = {
    severity: Math.max(8, ...rows.map((r) => r.severity.length)),
    id: Math.max(10, ...rows.map((r) => r.id.length)),
    title: Math.max(5, ...rows.map((r) => r.title.length)),
  };
  const rowOf = new Map(rows.map((r) => [r.finding, r]));
  const lead = 2 + width.severity + 2 + width.id + 2;
  const longest = Math.max(0, ...rows.map((r) => lead + width.title + 2 + r.where.length));
  const stacked = options.columns !== undefined && longest > options.columns;
  const render = (row: Row): string => {
    const rest = stacked
      ? `${pad(row.id, width.id)}  ${row.title}\n${' '.repeat(lead)}${row.where}`
      : `${pad(row.id, width.id)}  ${pad(row.title, width.title)}  ${row.where}`;
    const suppressed = row.finding.suppressed;
    if (suppressed) return dim(`  ${pad(row.severity, width.severity)}  ${rest}  [suppressed: ${oneLine(suppressed.reason)}]`, colour);
    return `  ${paintSeverity(row.finding.severity, pad(row.severity, width.severity), colour)}  ${rest}`;
  };

  let account: string | undefined;
  for (const target of report.targets) {
    const { inventory } = target;
    // An organization's targets come account by account: one heading per account.
    const heading = accountHeading(inventory.target);
    if (heading && heading !== account) {
      const ofAccount = report.targets.filter((t) => accountHeading(t.inventory.target) === heading);
      lines.push(`${bold(`Account ${oneLine(heading)}`, colour)}  ${countsText(ofAccount.flatMap((t) => t.findings), colour)}`, '');
    }
    account = heading;
    // Under its account's heading a target needs only its region.
    const where = [!heading && inventory.target.accountId && `account ${inventory.target.accountId}`, inventory.target.region].filter(Boolean).join(', ');
    lines.push(bold(oneLine(inventory.target.label), colour) + (where ? `  (${where})` : ''));
    lines.push('');
    const groups = clusterGroups(inventory, target.findings);
    for (const group of groups) {
      lines.push(`${bold(oneLine(group.heading), colour)}  ${dim(oneLine(group.detail), colour)}  ${countsText(group.findings, colour)}`);
      for (const finding of group.findings) lines.push(render(rowOf.get(finding)!));
      lines.push('');
    }
    for (const note of inventory.notes) {
      if (note.level === 'info') continue;
      lines.push(`${note.level === 'error' ? paintSeverity('critical', 'error', colour) : paintSeverity('medium', 'warning', colour)}: ${oneLine(note.message)}`);
    }
    if (inventory.notes.some((n) => n.level !== 'info')) lines.push('');
  }
  for (const error of report.errors.filter((e) => !report.targets.some((t) => t.inventory.target.label === e.target))) {
    lines.push(`${paintSeverity('critical', 'error', colour)}: ${oneLine(error.target)}: ${oneLine(error.message)}`);
  }
  lines.push(summaryLine(report, colour));
  return lines.join('\n') + '\n';
}

function countsText(findings: Finding[], colour: boolean): string {
  const active = findings.filter((f) => !f.suppressed);
  const suppressed = findings.length - active.length;
  const parts = SEVERITIES.flatMap((s: Severity) => {
    const n = active.filter((f) => f.severity === s).length;
    return n ? [paintSeverity(s, `${n} ${s}`, colour)] : [];
  });
  if (suppressed) parts.push(dim(`${suppressed} suppressed`, colour));
  return parts.length ? parts.join(', ') : 'no findings';
}

function summaryLine(report: AuditReport, colour: boolean): string {
  const clusters = report.targets.reduce((n, t) => n + t.inventory.clusters.length, 0);
  const groups = report.targets.reduce((n, t) => n + t.inventory.securityGroups.length, 0);
  const counts = countsText(report.findings, colour);
  const errors = report.errors.length ? `, ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}` : '';
  const accounts = report.organization ? ` ${report.organization.line}.` : '';
  return `${clusters} cluster${clusters === 1 ? '' : 's'}, ${groups} security group${groups === 1 ? '' : 's'}: ${counts}${errors}.${accounts}`;
}

/** "Payments (222222222222)" for a target of an organization's account; undefined for others. */
export function accountHeading(target: { accountId?: string; accountName?: string; assumedRole?: unknown }): string | undefined {
  if (!target.accountId || (target.accountName === undefined && !target.assumedRole)) return undefined;
  return target.accountName ? `${target.accountName} (${target.accountId})` : target.accountId;
}

/** The finding's group, from the inventory it came from. */
export function groupOf(report: AuditReport, finding: Finding): SecurityGroup | undefined {
  if (!finding.groupId) return undefined;
  return report.inventoryOf.get(finding)?.securityGroups.find((g) => g.groupId === finding.groupId);
}
