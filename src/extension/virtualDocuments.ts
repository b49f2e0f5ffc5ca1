// Read-only documents that show a security group as `aws ec2 describe-security-groups` prints
// it (and a cluster as `aws rds describe-db-clusters` does), so diagnostics and quick fixes
// work on live groups exactly as they do on evidence files.

import * as vscode from 'vscode';
import { ruleKey } from '../model/fromAws';
import type { Rule } from '../model/types';
import { renderClusterDocument, renderGroupDocument, type RenderedDocument } from './core/groupDocument';
import { parseVirtualDoc, SCHEME, virtualDocAddress, type VirtualDocRef } from './core/uris';
import { descriptorFromId, type LoadedSource, type SourceStore } from './sourceStore';

/** The read-only document of a group of a loaded source; its path names the source and the group for people. */
export function groupDocumentUri(source: Pick<LoadedSource, 'descriptor' | 'inventory'>, groupId: string): vscode.Uri {
  const name = source.inventory.securityGroups.find((g) => g.groupId === groupId)?.groupName;
  return vscode.Uri.from({ scheme: SCHEME, ...virtualDocAddress({ sourceId: source.descriptor.id, kind: 'group', id: groupId }, { source: source.descriptor.label, name }) });
}

export function clusterDocumentUri(source: Pick<LoadedSource, 'descriptor'>, clusterId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, ...virtualDocAddress({ sourceId: source.descriptor.id, kind: 'cluster', id: clusterId }, { source: source.descriptor.label }) });
}

/** What a document of this scheme shows, or undefined for any other URI. */
export function virtualDocRef(uri: vscode.Uri): VirtualDocRef | undefined {
  return uri.scheme === SCHEME ? parseVirtualDoc(uri.path, uri.query) : undefined;
}

export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly rendered = new Map<string, RenderedDocument>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: SourceStore, private readonly demoFolder: string) {
    // A reloaded or re-audited source changes its documents: re-render the open ones.
    this.subscription = store.onDidChange((sourceId) => {
      for (const key of [...this.rendered.keys()]) if (sourceId === undefined || key.startsWith(`${sourceId}\u0000`)) this.rendered.delete(key);
      for (const doc of vscode.workspace.textDocuments) {
        const ref = virtualDocRef(doc.uri);
        if (ref && (sourceId === undefined || ref.sourceId === sourceId)) this.changed.fire(doc.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = virtualDocRef(uri);
    if (!ref) return `Not an Aurora SG document: ${uri.toString()}\n`;
    // A document restored with the window names a source nothing has loaded yet: load it.
    if (!this.store.get(ref.sourceId)) {
      const descriptor = descriptorFromId(ref.sourceId, this.demoFolder);
      if (descriptor) await this.store.load(descriptor).catch(() => undefined);
    }
    const source = this.store.get(ref.sourceId);
    if (!source) return `${ref.id}: its source (${ref.sourceId}) is not loaded. Expand it in the Aurora SG view, then reopen this document.\n`;
    if (ref.kind === 'cluster') {
      const cluster = source.inventory.clusters.find((c) => c.clusterId === ref.id);
      return cluster ? renderClusterDocument(cluster) : `Cluster ${ref.id} is not in ${source.descriptor.label}.\n`;
    }
    return this.group(ref.sourceId, ref.id)?.text ?? `Security group ${ref.id} is not in ${source.descriptor.label}.\n`;
  }

  /** The rendered group (cached until its source changes). */
  group(sourceId: string, groupId: string): RenderedDocument | undefined {
    const key = `${sourceId}\u0000${groupId}`;
    const cached = this.rendered.get(key);
    if (cached) return cached;
    const group = this.store.get(sourceId)?.inventory.securityGroups.find((g) => g.groupId === groupId);
    if (!group) return undefined;
    const rendered = renderGroupDocument(group);
    this.rendered.set(key, rendered);
    return rendered;
  }

  ruleRange(sourceId: string, groupId: string, rule: Rule): vscode.Range | undefined {
    const span = this.group(sourceId, groupId)?.ruleRanges.get(ruleKey(rule));
    return span && new vscode.Range(span.start.line, span.start.character, span.end.line, span.end.character);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
