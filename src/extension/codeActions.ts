// Quick fixes on Aurora SG diagnostics: each applicable fix (opens the plan for review),
// copy the remediation CLI, open the plan as a script, suppress with a reason.

import * as vscode from 'vscode';
import { applicableFixes } from '../remediation';
import type { FixKind } from '../model/types';
import type { DiagnosticsManager } from './diagnostics/diagnosticsManager';
import { DIAGNOSTIC_SOURCE } from './diagnostics/toDiagnostic';
import type { FindingRef } from './findingRefs';
import { iacQuickFixes } from './iac/quickFixes';
import { readSettings } from './settings';
import type { SourceStore } from './sourceStore';

export const FIX_TITLES: Record<FixKind, string> = {
  revoke: 'Revoke the rule',
  restrict: 'Restrict the source to approved sources',
  'dedicated-sg': 'Move the cluster to a dedicated security group',
  private: 'Make the instance private',
  egress: 'Restrict egress to the VPC',
};

export class AuroraCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly diagnostics: DiagnosticsManager, private readonly store: SourceStore) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const entries = this.diagnostics.entriesFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    const iacSeen = new Map<string, vscode.CodeAction>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      // Diagnostics come back as copies: match them by range, rule id and message.
      const entry = entries.find((e) => e.diagnostic.range.isEqual(diagnostic.range) && e.diagnostic.message === diagnostic.message);
      if (!entry) continue;
      const source = this.store.get(entry.sourceId);
      const finding = source?.index.get(entry.findingId);
      if (!source || !finding) continue;
      const ref: FindingRef = { sourceId: entry.sourceId, findingId: finding.id };
      const add = (title: string, command: string, args: unknown, preferred = false) => {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.command = { title, command, arguments: [args] };
        action.isPreferred = preferred;
        actions.push(action);
      };
      let fixes: FixKind[] = [];
      try {
        fixes = applicableFixes(finding, source.inventory);
      } catch {
        fixes = [];
      }
      // A template is fixed where it is written: code fixes, as edits of the document.
      if (source.descriptor.kind === 'iac') actions.push(...iacQuickFixes(document, diagnostic, finding, readSettings().audit, iacSeen));
      fixes.forEach((fix, i) => add(`${finding.ruleId}: ${FIX_TITLES[fix]} (preview plan)`, 'auroraSg.generatePlan', { ...ref, fix }, i === 0));
      if (fixes.length) {
        add(`${finding.ruleId}: Copy remediation CLI`, 'auroraSg.copyCli', ref);
        add(`${finding.ruleId}: Open plan as script`, 'auroraSg.openPlanScript', ref);
      }
      add(`${finding.ruleId}: Suppress with a reason…`, 'auroraSg.suppress', ref);
    }
    return actions;
  }
}
