// Quick fixes on Aurora SG diagnostics. Live and evidence findings: one entry per fix (it opens
// the plan as a read-only document with Run, Dry Run and Copy), then suppress with a reason.
// IaC documents get their fixes from their code (edits of the file, iac/quickFixes.ts) first.

import * as vscode from 'vscode';
import { applicableFixes } from '../remediation';
import type { FixKind } from '../model/types';
import { quickFixes, type FixCandidate } from './core/quickFixes';
import type { DiagnosticsManager } from './diagnostics/diagnosticsManager';
import { DIAGNOSTIC_SOURCE } from './diagnostics/toDiagnostic';
import { iacQuickFixes } from './iac/quickFixes';
import type { ExtensionSettings } from './settings';
import type { SourceStore } from './sourceStore';

export { FIX_TITLES } from './core/quickFixes';

export class AuroraCodeActions implements vscode.CodeActionProvider {
  constructor(
    private readonly diagnostics: DiagnosticsManager,
    private readonly store: SourceStore,
    private readonly settings: () => ExtensionSettings,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const entries = this.diagnostics.entriesFor(document.uri);
    const candidates: FixCandidate[] = [];
    const diagnosticsOf = new Map<string, vscode.Diagnostic[]>();
    const iacActions: vscode.CodeAction[] = [];
    const iacSeen = new Map<string, vscode.CodeAction>();
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      // Diagnostics come back as copies: match them by range and message.
      const entry = entries.find((e) => e.diagnostic.range.isEqual(diagnostic.range) && e.diagnostic.message === diagnostic.message);
      const source = entry && this.store.get(entry.sourceId);
      const finding = entry && source?.index.get(entry.findingId);
      if (!source || !finding) continue;
      // A template is fixed where it is written: code fixes, as edits of the document.
      if (source.descriptor.kind === 'iac') iacActions.push(...iacQuickFixes(document, diagnostic, finding, this.settings().audit, iacSeen));
      if (!diagnosticsOf.has(finding.id)) {
        let fixes: FixKind[] = [];
        try {
          fixes = applicableFixes(finding, source.inventory);
        } catch {
          fixes = [];
        }
        candidates.push({ sourceId: source.descriptor.id, finding, fixes });
        diagnosticsOf.set(finding.id, []);
      }
      diagnosticsOf.get(finding.id)!.push(diagnostic);
    }
    const findingActions = quickFixes(candidates, this.settings().audit.approvedSources.length > 0).map((fix) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = fix.findingIds.flatMap((id) => diagnosticsOf.get(id) ?? []);
      action.command = {
        title: fix.title,
        command: fix.command,
        arguments: fix.command === 'auroraSg.suppress' ? [fix.args] : [fix.args[0]],
      };
      action.isPreferred = fix.preferred;
      return action;
    });
    return [...iacActions, ...findingActions];
  }
}
