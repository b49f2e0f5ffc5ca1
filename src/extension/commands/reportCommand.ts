// Export what is loaded as a report, with the CLI's own formatters (same JSON, SARIF and
// Markdown as `aurora-sg audit --format ...`).

import * as vscode from 'vscode';
import { reportOf, type AuditReport } from '../../cli/auditRun';
import { jsonReport } from '../../cli/report/json';
import { markdownReport } from '../../cli/report/markdown';
import { sarifReport } from '../../cli/report/sarif';
import { organizationReport } from '../../cli/orgReport';
import type { Services } from '../services';

export type ReportFormat = 'json' | 'sarif' | 'markdown';

const FORMATS: { format: ReportFormat; label: string; extension: string }[] = [
  { format: 'json', label: 'JSON (version 1, as `aurora-sg audit --format json`)', extension: 'json' },
  { format: 'sarif', label: 'SARIF 2.1.0 (code scanning)', extension: 'sarif' },
  { format: 'markdown', label: 'Markdown', extension: 'md' },
];

/** The loaded sources as the CLI's AuditReport (error notes, such as a malformed file, included). */
export function reportOfStore(services: Services, cwd: string): AuditReport {
  const targets = services.store.all().map((s) => ({ inventory: s.inventory, findings: s.findings }));
  // Audited organizations: "N of M accounts audited" and the accounts that could not be read.
  const audits = services.organizations.all().map((s) => s.lastAudit).filter((a) => a !== undefined);
  const org = audits.length ? organizationReport(audits.flatMap((a) => a.accounts), audits.flatMap((a) => a.errors)) : undefined;
  const report = reportOf(targets, { errors: org?.errors ?? [], apiCalls: 0, durationMs: 0 }, cwd);
  if (org) report.organization = org.organization;
  return report;
}

export function renderReport(report: AuditReport, format: ReportFormat, cwd: string): string {
  switch (format) {
    case 'sarif':
      return JSON.stringify(sarifReport(report, cwd), null, 2) + '\n';
    case 'markdown':
      return markdownReport(report, cwd);
    default:
      return JSON.stringify(jsonReport(report, cwd), null, 2) + '\n';
  }
}

/**
 * Writes the report to a file the user picks (or `targetArg`, a Uri, for scripts and tests) and
 * opens it: a report is exported to be kept or handed on, so it is never an unsaved editor that
 * asks to be saved on close. Returns the text written, or undefined when the user cancelled.
 */
export async function exportReport(services: Services, formatArg?: unknown, targetArg?: unknown): Promise<string | undefined> {
  let format = FORMATS.find((f) => f.format === formatArg);
  if (!format) {
    const picked = await vscode.window.showQuickPick(FORMATS.map((f) => ({ label: f.label, f })), { title: 'Aurora SG: export report' });
    if (!picked) return undefined;
    format = picked.f;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = targetArg instanceof vscode.Uri ? targetArg : await vscode.window.showSaveDialog({
    title: 'Aurora SG: export report',
    saveLabel: 'Export',
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `aurora-sg-report.${format.extension}`) } : {}),
    filters: { [format.format === 'markdown' ? 'Markdown' : format.format.toUpperCase()]: [format.extension] },
  });
  if (!target) return undefined;
  if (!services.store.all().length) await services.loadAll();
  const cwd = folder?.fsPath ?? process.cwd();
  const text = renderReport(reportOfStore(services, cwd), format.format, cwd);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target, { preview: false });
  return text;
}
