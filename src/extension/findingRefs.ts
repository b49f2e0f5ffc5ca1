// Commands take their subject from a tree node, a diagnostic's quick fix ({sourceId,
// findingId}) or, from the palette, a quick pick over every loaded finding.

import * as vscode from 'vscode';
import type { Finding, FixKind } from '../model/types';
import { byWorstFirst, severityIcon } from './core/presentation';
import type { LoadedSource, SourceStore } from './sourceStore';

export interface FindingRef {
  sourceId: string;
  findingId: string;
  fix?: FixKind;
}

export interface ResolvedFinding {
  source: LoadedSource;
  finding: Finding;
  fix?: FixKind;
}

/** Anything a tree node offers: its source and the findings that concern it. */
interface NodeWithFindings {
  source: LoadedSource;
  findings: readonly Finding[];
}

function isFindingRef(arg: unknown): arg is FindingRef {
  return typeof arg === 'object' && arg !== null && typeof (arg as FindingRef).sourceId === 'string' && typeof (arg as FindingRef).findingId === 'string';
}

function isNodeWithFindings(arg: unknown): arg is NodeWithFindings {
  return typeof arg === 'object' && arg !== null && 'source' in arg && Array.isArray((arg as NodeWithFindings).findings);
}

/**
 * The finding a command is about. Undefined when the user cancelled or there is none (the
 * user has been told why).
 */
export async function resolveFinding(arg: unknown, store: SourceStore, loadAll: () => Promise<void>, purpose: string): Promise<ResolvedFinding | undefined> {
  if (isFindingRef(arg)) {
    const source = store.get(arg.sourceId);
    const finding = source?.index.get(arg.findingId);
    if (!source || !finding) {
      void vscode.window.showWarningMessage(`Aurora SG: that finding is no longer there (${arg.findingId}); the source was refreshed or fixed.`);
      return undefined;
    }
    return { source, finding, fix: arg.fix };
  }
  let candidates: { source: LoadedSource; finding: Finding }[];
  if (isNodeWithFindings(arg)) {
    candidates = arg.findings.filter((f) => !f.suppressed).map((finding) => ({ source: arg.source, finding }));
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Aurora SG: nothing to fix here; this item has no active finding.');
      return undefined;
    }
  } else {
    if (!store.all().some((s) => s.findings.length)) await loadAll();
    candidates = store.all().flatMap((source) => source.findings.filter((f) => !f.suppressed).map((finding) => ({ source, finding })));
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Aurora SG: no findings loaded. Open the demo account, an evidence folder or a profile in the Aurora SG view.');
      return undefined;
    }
  }
  if (candidates.length === 1) return candidates[0];
  candidates.sort((a, b) => byWorstFirst(a.finding, b.finding));
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({
      label: `$(${severityIcon(c.finding.severity).id}) ${c.finding.ruleId} ${c.finding.title}`,
      description: [c.finding.clusterId, c.finding.instanceId, c.finding.groupId].filter(Boolean).join(' · '),
      detail: `${c.source.descriptor.label}: ${c.finding.message}`,
      candidate: c,
    })),
    { title: `Aurora SG: ${purpose}`, placeHolder: 'Pick a finding', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.candidate;
}
