// Diagnostics on three kinds of document: the virtual security group documents, evidence
// files (describe-security-groups.json and friends) and IaC files in the workspace. Evidence
// and IaC are re-read as they are edited (debounced), with the unsaved text, and cleared
// when closed. Each diagnostic remembers its finding so quick fixes can act on it.

import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import { loadEvidenceFolder, isEvidenceFile } from '../../sources/evidence';
import { isIacFile, loadIacFile } from '../../sources/iac';
import type { Finding } from '../../model/types';
import { KeyedDebouncer } from '../core/debounce';
import { parseVirtualDocPath, SCHEME } from '../core/uris';
import { evidenceDescriptor, sourceIds, type LoadedSource, type SourceDescriptor, type SourceStore } from '../sourceStore';
import type { VirtualDocuments } from '../virtualDocuments';
import { DIAGNOSTIC_SOURCE, findingDiagnostic, toRange } from './toDiagnostic';

export const EDIT_DEBOUNCE_MS = 300;

/** What a diagnostic is about, for the code actions. */
export interface DiagnosticEntry {
  diagnostic: vscode.Diagnostic;
  sourceId: string;
  findingId: string;
}

type Watched = { kind: 'virtual'; sourceId: string; groupId?: string } | { kind: 'evidence'; folder: string } | { kind: 'iac' };

export class DiagnosticsManager implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('auroraSg');
  private readonly entries = new Map<string, DiagnosticEntry[]>();
  private readonly debouncer = new KeyedDebouncer<string>(EDIT_DEBOUNCE_MS);
  private readonly disposables: vscode.Disposable[] = [];
  /** Bumped per document on each analysis, so a slow read never overwrites a newer one. */
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly store: SourceStore,
    private readonly documents: VirtualDocuments,
    private readonly readme: vscode.Uri,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.schedule(e.document, EDIT_DEBOUNCE_MS); }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.closed(doc)),
      store.onDidChange((sourceId) => this.sourceChanged(sourceId)),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The diagnostics (and their findings) of a document, for code actions and tests. */
  entriesFor(uri: vscode.Uri): readonly DiagnosticEntry[] {
    return this.entries.get(uri.toString()) ?? [];
  }

  private watched(doc: vscode.TextDocument): Watched | undefined {
    if (doc.uri.scheme === SCHEME) {
      const ref = parseVirtualDocPath(doc.uri.path);
      return ref && { kind: 'virtual', sourceId: ref.sourceId, groupId: ref.kind === 'group' ? ref.id : undefined };
    }
    if (doc.uri.scheme !== 'file') return undefined;
    if (isEvidenceFile(doc.uri.fsPath)) return { kind: 'evidence', folder: path.dirname(doc.uri.fsPath) };
    if (/\.(ya?ml|json|template|tf)$/i.test(doc.uri.fsPath) && isIacFile(doc.uri.fsPath, doc.getText())) return { kind: 'iac' };
    return undefined;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const watched = this.watched(doc);
    if (!watched) return;
    const key = doc.uri.toString();
    const run = () => void this.analyse(doc, watched).catch((error) => this.log.error(`Analysing ${doc.uri.fsPath || key} failed: ${String(error)}`));
    if (delay === 0) run(); else this.debouncer.schedule(key, run);
  }

  private async analyse(doc: vscode.TextDocument, watched: Watched): Promise<void> {
    const key = doc.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    const current = () => this.generation.get(key) === generation && !doc.isClosed;
    switch (watched.kind) {
      case 'virtual':
        this.showVirtual(doc, watched.sourceId, watched.groupId);
        return;
      case 'evidence': {
        const descriptor = evidenceDescriptor(watched.folder, vscode.workspace.asRelativePath(watched.folder, true));
        try {
          const inventory = await loadEvidenceFolder(watched.folder, { overrides: this.openTexts(watched.folder) });
          if (!current()) return;
          // put() fires the store change that fills the diagnostics of every open file of the folder.
          this.store.put(descriptor, inventory);
        } catch (error) {
          if (!current()) return;
          this.setFailure(doc, error);
        }
        return;
      }
      case 'iac': {
        const descriptor: SourceDescriptor = { id: sourceIds.iac(doc.uri.fsPath), kind: 'iac', label: vscode.workspace.asRelativePath(doc.uri), path: doc.uri.fsPath };
        try {
          const inventory = loadIacFile(doc.uri.fsPath, doc.getText());
          if (!current()) return;
          this.store.put(descriptor, inventory);
        } catch (error) {
          if (!current()) return;
          this.setFailure(doc, error);
        }
      }
    }
  }

  /** Unsaved (and saved) text of the open evidence files of a folder. */
  private openTexts(folder: string): Map<string, string> {
    const texts = new Map<string, string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === 'file' && path.dirname(doc.uri.fsPath) === folder && isEvidenceFile(doc.uri.fsPath)) texts.set(doc.uri.fsPath, doc.getText());
    }
    return texts;
  }

  private sourceChanged(sourceId: string | undefined): void {
    for (const doc of vscode.workspace.textDocuments) {
      const watched = this.watched(doc);
      if (!watched) continue;
      const id = watched.kind === 'virtual' ? watched.sourceId : watched.kind === 'evidence' ? sourceIds.evidence(watched.folder) : sourceIds.iac(doc.uri.fsPath);
      if (sourceId !== undefined && sourceId !== id) continue;
      const loaded = this.store.get(id);
      if (watched.kind === 'virtual') this.showVirtual(doc, watched.sourceId, watched.groupId);
      else if (loaded) this.showFile(doc, loaded);
      // Dropped by a refresh while open: read it again, with the editor's text.
      else this.schedule(doc, 0);
    }
  }

  private showVirtual(doc: vscode.TextDocument, sourceId: string, groupId: string | undefined): void {
    const source = this.store.get(sourceId);
    if (!source || !groupId) return this.set(doc.uri, []);
    const rendered = this.documents.group(sourceId, groupId);
    const entries: DiagnosticEntry[] = [];
    for (const finding of groupFindings(source, groupId)) {
      const range = (finding.rule && this.documents.ruleRange(sourceId, groupId, finding.rule)) ?? groupLineRange(rendered?.text);
      entries.push({ diagnostic: findingDiagnostic(finding, range, source, this.readme), sourceId, findingId: finding.id });
    }
    this.set(doc.uri, entries);
  }

  private showFile(doc: vscode.TextDocument, source: LoadedSource): void {
    const file = doc.uri.fsPath;
    const entries: DiagnosticEntry[] = [];
    for (const finding of source.findings) {
      if (finding.suppressed) continue;
      const location = finding.location ?? finding.rule?.location;
      if (!location || path.resolve(location.file) !== file) continue;
      entries.push({ diagnostic: findingDiagnostic(finding, toRange(location), source, this.readme), sourceId: source.descriptor.id, findingId: finding.id });
    }
    // Problems reading the file (bad JSON, unknown protocol) are shown where they are.
    const notes: vscode.Diagnostic[] = [];
    for (const note of source.inventory.notes) {
      if (!note.location || path.resolve(note.location.file) !== file || note.level === 'info') continue;
      const d = new vscode.Diagnostic(toRange(note.location), note.message, note.level === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = DIAGNOSTIC_SOURCE;
      notes.push(d);
    }
    this.set(doc.uri, entries, notes);
  }

  private setFailure(doc: vscode.TextDocument, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.warn(`Could not read ${doc.uri.fsPath}: ${message}`);
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Error);
    d.source = DIAGNOSTIC_SOURCE;
    this.set(doc.uri, [], [d]);
  }

  private set(uri: vscode.Uri, entries: DiagnosticEntry[], extra: vscode.Diagnostic[] = []): void {
    this.entries.set(uri.toString(), entries);
    this.collection.set(uri, [...entries.map((e) => e.diagnostic), ...extra]);
  }

  private closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.debouncer.cancel(key);
    this.generation.delete(key);
    this.entries.delete(key);
    this.collection.delete(doc.uri);
    const watched = this.watched(doc);
    if (watched?.kind === 'iac') this.store.forget(sourceIds.iac(doc.uri.fsPath));
    if (watched?.kind === 'evidence') {
      const stillOpen = vscode.workspace.textDocuments.some((d) => d !== doc && !d.isClosed && d.uri.scheme === 'file' && path.dirname(d.uri.fsPath) === watched.folder && isEvidenceFile(d.uri.fsPath));
      // Unsaved edits die with the editor: the tree goes back to what is on disk.
      if (!stillOpen) this.store.invalidate(sourceIds.evidence(watched.folder));
    }
  }

  dispose(): void {
    this.debouncer.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Active findings about a group's rules or the group itself. */
export function groupFindings(source: LoadedSource, groupId: string): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const finding of source.findings) {
    if (finding.suppressed || seen.has(finding.id)) continue;
    if (finding.groupId === groupId || finding.rule?.groupId === groupId) {
      seen.add(finding.id);
      out.push(finding);
    }
  }
  return out;
}

function groupLineRange(text: string | undefined): vscode.Range {
  const lines = (text ?? '').split('\n');
  const line = Math.max(0, lines.findIndex((l) => l.includes('"GroupId"')));
  return new vscode.Range(line, (lines[line] ?? '').search(/\S|$/), line, (lines[line] ?? '').length);
}
