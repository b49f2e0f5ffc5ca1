// One finding -> one VS Code diagnostic: source "Aurora SG", code = rule id linking to the
// README, severity by design.md section 3, related information pointing at the cluster.

import * as vscode from 'vscode';
import type { Finding, SourceRange } from '../../model/types';
import { diagnosticLevel } from '../core/presentation';
import type { LoadedSource } from '../sourceStore';
import { clusterDocumentUri } from '../virtualDocuments';

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

export function findingDiagnostic(finding: Finding, range: vscode.Range, source: LoadedSource, readme: vscode.Uri): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, `${finding.title}: ${finding.message}`, LEVELS[diagnosticLevel(finding.severity)]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: ruleDocumentation(readme, finding.ruleId) };
  const cluster = finding.clusterId ? source.inventory.clusters.find((c) => c.clusterId === finding.clusterId) : undefined;
  if (cluster) {
    const location = cluster.location
      ? new vscode.Location(vscode.Uri.file(cluster.location.file), toRange(cluster.location))
      : new vscode.Location(clusterDocumentUri(source.descriptor.id, cluster.clusterId), new vscode.Position(0, 0));
    diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(location, `Cluster ${cluster.clusterId} (${cluster.engine}, port ${cluster.port}) uses this security group`)];
  }
  return diagnostic;
}
