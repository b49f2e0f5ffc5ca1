// One finding -> one VS Code diagnostic: source "Aurora SG", code = rule id linking to the
// README, severity by design.md section 3, related information only where it adds something.

import * as vscode from 'vscode';
import type { Finding, SourceRange } from '../../model/types';
import { diagnosticLevel } from '../core/presentation';

export const DIAGNOSTIC_SOURCE = 'Aurora SG';

const LEVELS: Record<ReturnType<typeof diagnosticLevel>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(range: Pick<SourceRange, 'start' | 'end'>): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** README anchors are the lower-case rule ids (`#aursg-001`). */
export function ruleDocumentation(readme: vscode.Uri, ruleId: string): vscode.Uri {
  return readme.with({ fragment: ruleId.toLowerCase() });
}

export function findingDiagnostic(finding: Finding, range: vscode.Range, readme: vscode.Uri, related: vscode.DiagnosticRelatedInformation[] = []): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, `${finding.title}: ${finding.message}`, LEVELS[diagnosticLevel(finding.severity)]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: ruleDocumentation(readme, finding.ruleId) };
  if (related.length) diagnostic.relatedInformation = related;
  return diagnostic;
}
