// The Problems panel lists the findings of everything loaded, not only of open documents:
// when a source loads (or is re-audited, fixed, backed out) its diagnostics are published, and
// when it goes they are cleared. Live targets and the demo publish on their groups' read-only
// documents; evidence folders and IaC files on their own files. Evidence and IaC files that are
// open are re-read as they are edited (debounced), with the unsaved text. Each diagnostic sits
// on the value that is wrong and remembers its finding, so quick fixes can act on it.

import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import { loadEvidenceFolder, isEvidenceFile } from '../../sources/evidence';
import { isIacFile, loadIacFile } from '../../sources/iac';
import { autoLoadedVariablesRank, isTerraformFile } from '../../sources/iac/moduleFiles';
import { ruleKey } from '../../model/fromAws';
import type { Finding, Rule, SourceRange } from '../../model/types';
import { KeyedDebouncer } from '../core/debounce';
import { createFocuser, declaredPart, type Span } from '../core/focus';
import { ruleLabel } from '../core/presentation';
import { evidenceDescriptor, sourceIds, type LoadedSource, type SourceDescriptor, type SourceStore } from '../sourceStore';
import { moduleSiblings } from '../iac/moduleContext';
import { clusterDocumentUri, groupDocumentUri, type VirtualDocuments } from '../virtualDocuments';
import { DIAGNOSTIC_SOURCE, findingDiagnostic, toRange } from './toDiagnostic';

export const EDIT_DEBOUNCE_MS = 300;

/** What a diagnostic is about, for the code actions. */
export interface DiagnosticEntry {
  diagnostic: vscode.Diagnostic;
  sourceId: string;
  findingId: string;
}

type Watched = { kind: 'evidence'; folder: string } | { kind: 'iac' };

interface Placed {
  uri: vscode.Uri;
  entries: DiagnosticEntry[];
  notes: vscode.Diagnostic[];
}

/** Where a source's findings and the things they point at are shown. */
interface Placer {
  finding(finding: Finding): { uri: vscode.Uri; range: vscode.Range } | undefined;
  rule(rule: Rule, finding: Finding): vscode.Location | undefined;
  cluster(clusterId: string): vscode.Location | undefined;
}

export interface DiagnosticsOptions {
  store: SourceStore;
  documents: VirtualDocuments;
  readme: vscode.Uri;
  log: Log;
  /** Whether a source is one the tree shows (it stays in Problems when its files close). */
  isShownSource: (sourceId: string) => boolean;
}

export class DiagnosticsManager implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('auroraSg');
  private readonly entries = new Map<string, DiagnosticEntry[]>();
  /** Per source, the documents it published diagnostics on, so they are cleared when it goes. */
  private readonly published = new Map<string, Map<string, vscode.Uri>>();
  /** Bumped per source on each publication, so a slow read of files never overwrites a newer one. */
  private readonly publication = new Map<string, number>();
  private readonly pendingPublications = new Set<Promise<void>>();
  private readonly debouncer = new KeyedDebouncer<string>(EDIT_DEBOUNCE_MS);
  private readonly disposables: vscode.Disposable[] = [];
  /** Bumped per document on each analysis, so a slow read never overwrites a newer one. */
  private readonly generation = new Map<string, number>();
  private readonly store: SourceStore;
  private readonly documents: VirtualDocuments;

  constructor(private readonly options: DiagnosticsOptions) {
    this.store = options.store;
    this.documents = options.documents;
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.schedule(e.document, EDIT_DEBOUNCE_MS, true); }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.closed(doc)),
      this.store.onDidChange((sourceId) => this.sourceChanged(sourceId)),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
    this.schedulePublish(this.store.all().map((s) => s.descriptor.id));
  }

  /** The diagnostics (and their findings) of a document, for code actions and tests. */
  entriesFor(uri: vscode.Uri): readonly DiagnosticEntry[] {
    return this.entries.get(uri.toString()) ?? [];
  }

  /** Settles once every publication asked for so far has landed (for tests and commands that report counts). */
  async settled(): Promise<void> {
    await this.flushing;
    await Promise.all([...this.pendingPublications]);
  }

  /** Sources whose diagnostics are to be published, and the flush that will (just after the tree has drawn). */
  private readonly toPublish = new Set<string>();
  private flushing: Promise<void> | undefined;

  /**
   * Publishes a little later, once: a load fires one change, and the tree draws its clusters
   * before the group documents are rendered and judged for Problems.
   */
  private schedulePublish(ids: Iterable<string>): void {
    for (const id of ids) this.toPublish.add(id);
    this.flushing ??= new Promise<void>((resolve) => setTimeout(() => {
      this.flushing = undefined;
      const ids = [...this.toPublish];
      this.toPublish.clear();
      for (const id of ids) void this.publish(id);
      resolve();
    }, 0));
  }

  private watched(doc: vscode.TextDocument): Watched | undefined {
    if (doc.uri.scheme !== 'file') return undefined;
    if (isEvidenceFile(doc.uri.fsPath)) return { kind: 'evidence', folder: path.dirname(doc.uri.fsPath) };
    if (/\.(ya?ml|json|template|tf)$/i.test(doc.uri.fsPath) && isIacFile(doc.uri.fsPath, doc.getText())) return { kind: 'iac' };
    return undefined;
  }

  private sourceIdOf(doc: vscode.TextDocument, watched: Watched): string {
    return watched.kind === 'evidence' ? sourceIds.evidence(watched.folder) : sourceIds.iac(doc.uri.fsPath);
  }

  private schedule(doc: vscode.TextDocument, delay: number, withModule = false): void {
    // An edit: the open files of the same Terraform module read this one's variables and locals
    // (or, for terraform.tfvars, its values), so read them again too.
    if (withModule && doc.uri.scheme === 'file' && (isTerraformFile(doc.uri.fsPath) || autoLoadedVariablesRank(path.basename(doc.uri.fsPath)) !== undefined)) {
      for (const other of vscode.workspace.textDocuments) {
        if (other !== doc && other.uri.scheme === 'file' && isTerraformFile(other.uri.fsPath) && path.dirname(other.uri.fsPath) === path.dirname(doc.uri.fsPath)) this.schedule(other, delay, false);
      }
    }
    const watched = this.watched(doc);
    if (!watched) return;
    const key = doc.uri.toString();
    const run = () => void this.analyse(doc, watched).catch((error) => this.options.log.error(`Analysing ${doc.uri.fsPath || key} failed: ${String(error)}`));
    if (delay === 0) run(); else this.debouncer.schedule(key, run);
  }

  private async analyse(doc: vscode.TextDocument, watched: Watched): Promise<void> {
    const key = doc.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    const current = () => this.generation.get(key) === generation && !doc.isClosed;
    try {
      if (watched.kind === 'evidence') {
        const descriptor = evidenceDescriptor(watched.folder, vscode.workspace.asRelativePath(watched.folder, true));
        const inventory = await loadEvidenceFolder(watched.folder, { overrides: this.openTexts(watched.folder) });
        // put() fires the store change that publishes the diagnostics of every file of the folder.
        if (current()) this.store.put(descriptor, inventory);
      } else {
        const descriptor: SourceDescriptor = { id: sourceIds.iac(doc.uri.fsPath), kind: 'iac', label: vscode.workspace.asRelativePath(doc.uri), path: doc.uri.fsPath };
        const inventory = loadIacFile(doc.uri.fsPath, doc.getText(), { siblings: moduleSiblings(doc) });
        if (current()) this.store.put(descriptor, inventory);
      }
    } catch (error) {
      if (current()) this.setFailure(doc, error);
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
    const ids = sourceId === undefined ? new Set([...this.published.keys(), ...this.store.all().map((s) => s.descriptor.id)]) : new Set([sourceId]);
    this.schedulePublish(ids);
    // An open file whose source a refresh dropped: read it again, with the editor's text.
    for (const doc of vscode.workspace.textDocuments) {
      const watched = this.watched(doc);
      if (!watched) continue;
      const id = this.sourceIdOf(doc, watched);
      if (ids.has(id) && !this.store.get(id)) this.schedule(doc, 0);
    }
  }

  /** Replaces what a source shows in Problems with what it holds now (nothing, when it is gone). */
  private publish(sourceId: string): Promise<void> {
    const ticket = (this.publication.get(sourceId) ?? 0) + 1;
    this.publication.set(sourceId, ticket);
    const job = this.place(sourceId)
      .then((placed) => {
        if (this.publication.get(sourceId) !== ticket) return;
        const before = this.published.get(sourceId) ?? new Map<string, vscode.Uri>();
        const now = new Map<string, vscode.Uri>();
        for (const { uri, entries, notes } of placed) {
          const key = uri.toString();
          now.set(key, uri);
          this.entries.set(key, entries);
          this.collection.set(uri, [...entries.map((e) => e.diagnostic), ...notes]);
        }
        for (const [key, uri] of before) {
          if (now.has(key)) continue;
          this.entries.delete(key);
          this.collection.delete(uri);
        }
        if (now.size) this.published.set(sourceId, now); else this.published.delete(sourceId);
      })
      .catch((error) => this.options.log.error(`Publishing the diagnostics of ${sourceId} failed: ${String(error)}`));
    this.pendingPublications.add(job);
    void job.finally(() => this.pendingPublications.delete(job));
    return job;
  }

  private async place(sourceId: string): Promise<Placed[]> {
    const source = this.store.get(sourceId);
    if (!source) return [];
    const placer = source.descriptor.kind === 'demo' || source.descriptor.kind === 'live' ? this.virtualPlacer(source) : await this.filePlacer(source);
    const byUri = new Map<string, Placed>();
    const slot = (uri: vscode.Uri) => {
      const key = uri.toString();
      let placed = byUri.get(key);
      if (!placed) byUri.set(key, (placed = { uri, entries: [], notes: [] }));
      return placed;
    };
    for (const finding of source.findings) {
      if (finding.suppressed) continue;
      const at = placer.finding(finding);
      if (!at) continue;
      const diagnostic = findingDiagnostic(finding, at.range, this.options.readme, relatedOf(finding, source, placer));
      slot(at.uri).entries.push({ diagnostic, sourceId, findingId: finding.id });
    }
    // Problems reading a file (bad JSON, unknown protocol) are shown where they are.
    if (source.descriptor.kind === 'evidence' || source.descriptor.kind === 'iac') {
      for (const note of source.inventory.notes) {
        if (!note.location || note.level === 'info') continue;
        const d = new vscode.Diagnostic(toRange(note.location), note.message, note.level === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        slot(vscode.Uri.file(path.resolve(note.location.file))).notes.push(d);
      }
    }
    return [...byUri.values()];
  }

  /** Live targets and the demo: each group's read-only document, the squiggle on the wrong value. */
  private virtualPlacer(source: LoadedSource): Placer {
    const sourceId = source.descriptor.id;
    const focusers = new Map<string, ReturnType<typeof createFocuser>>();
    const onGroup = (groupId: string, rule: Rule | undefined, finding: Finding) => {
      const rendered = this.documents.group(sourceId, groupId);
      if (!rendered) return undefined;
      const span = (rule && rendered.ruleRanges.get(ruleKey(rule))) ?? rendered.groupRange;
      let focus = focusers.get(groupId);
      if (!focus) focusers.set(groupId, (focus = createFocuser(rendered.text)));
      return { uri: groupDocumentUri(source, groupId), range: toRange(focus(span, finding)) };
    };
    return {
      finding: (finding) => {
        const groupId = finding.rule?.groupId ?? finding.groupId;
        return groupId ? onGroup(groupId, finding.rule, finding) : undefined;
      },
      rule: (rule, finding) => {
        const at = onGroup(rule.groupId, rule, { ...finding, rule });
        return at && new vscode.Location(at.uri, at.range);
      },
      cluster: (clusterId) => new vscode.Location(clusterDocumentUri(source, clusterId), new vscode.Position(0, 0)),
    };
  }

  /** Evidence folders and IaC files: the files themselves (the open text when open, else the saved file). */
  private async filePlacer(source: LoadedSource): Promise<Placer> {
    const files = new Set<string>();
    for (const finding of source.findings) {
      const location = finding.location ?? finding.rule?.location;
      if (location) files.add(path.resolve(location.file));
    }
    const focusers = new Map<string, ReturnType<typeof createFocuser>>();
    // Only JSON has values to narrow to; IaC keeps the ranges its readers gave.
    if (source.descriptor.kind === 'evidence') {
      const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
      await Promise.all([...files].filter((f) => f.endsWith('.json')).map(async (file) => {
        const text = open.get(file)?.getText() ?? await fs.readFile(file, 'utf8').catch(() => undefined);
        if (text !== undefined) focusers.set(file, createFocuser(text));
      }));
    }
    const iac = source.descriptor.kind === 'iac';
    const instances = new Map(source.inventory.instances.map((i) => [i.instanceId, i]));
    const locate = (location: SourceRange | undefined, finding: Finding, rule: Rule | undefined) => {
      if (!location) return undefined;
      const file = path.resolve(location.file);
      const part = iac ? declaredPart(finding, rule, finding.instanceId ? instances.get(finding.instanceId) : undefined) : undefined;
      const span: Span = part && path.resolve(part.file) === file ? part : focusers.get(file)?.(location, finding) ?? location;
      return { uri: vscode.Uri.file(file), range: toRange(span) };
    };
    return {
      finding: (finding) => locate(finding.location ?? finding.rule?.location, finding, finding.rule),
      rule: (rule, finding) => {
        const at = locate(rule.location, { ...finding, rule, location: undefined }, rule);
        return at && new vscode.Location(at.uri, at.range);
      },
      cluster: (clusterId) => {
        const location = source.inventory.clusters.find((c) => c.clusterId === clusterId)?.location;
        return location ? new vscode.Location(vscode.Uri.file(path.resolve(location.file)), toRange(location)) : undefined;
      },
    };
  }

  private setFailure(doc: vscode.TextDocument, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.options.log.warn(`Could not read ${doc.uri.fsPath}: ${message}`);
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Error);
    d.source = DIAGNOSTIC_SOURCE;
    this.entries.set(doc.uri.toString(), []);
    this.collection.set(doc.uri, [d]);
  }

  private closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.debouncer.cancel(key);
    this.generation.delete(key);
    const watched = this.watched(doc);
    if (!watched) return;
    const id = this.sourceIdOf(doc, watched);
    if (watched.kind === 'iac') {
      this.store.forget(id);
      return;
    }
    const stillOpen = vscode.workspace.textDocuments.some((d) => d !== doc && !d.isClosed && d.uri.scheme === 'file' && path.dirname(d.uri.fsPath) === watched.folder && isEvidenceFile(d.uri.fsPath));
    if (stillOpen) return;
    // Unsaved edits die with the editor: a folder the tree shows goes back to what is on disk
    // (and stays in Problems); one that was only open goes away.
    if (this.options.isShownSource(id)) void this.store.reload(id);
    else this.store.forget(id);
  }

  dispose(): void {
    this.toPublish.clear();
    this.debouncer.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Related information where it adds something: the other rules that make the finding; the
 * cluster only when the message does not name it and the group serves several clusters (then
 * it says which one the finding is about).
 */
function relatedOf(finding: Finding, source: LoadedSource, placer: Placer): vscode.DiagnosticRelatedInformation[] {
  const related: vscode.DiagnosticRelatedInformation[] = [];
  const own = finding.rule && ruleKey(finding.rule);
  for (const rule of finding.relatedRules ?? []) {
    if (ruleKey(rule) === own) continue;
    const location = placer.rule(rule, finding);
    if (!location) continue;
    const group = source.inventory.securityGroups.find((g) => g.groupId === rule.groupId);
    related.push(new vscode.DiagnosticRelatedInformation(location, `Together with ${ruleLabel(rule)}${group ? ` in "${group.groupName}" (${group.groupId})` : ''}`));
  }
  const groupId = finding.rule?.groupId ?? finding.groupId;
  const clustersOfGroup = source.inventory.clusters.filter((c) => groupId !== undefined && c.securityGroupIds.includes(groupId)).length;
  if (finding.clusterId && !finding.message.includes(finding.clusterId) && clustersOfGroup > 1) {
    const cluster = source.inventory.clusters.find((c) => c.clusterId === finding.clusterId);
    const location = cluster && placer.cluster(cluster.clusterId);
    if (cluster && location) related.push(new vscode.DiagnosticRelatedInformation(location, `Cluster ${cluster.clusterId} (${cluster.engine}, port ${cluster.port})`));
  }
  return related;
}
