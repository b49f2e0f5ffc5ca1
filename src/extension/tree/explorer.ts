// The auroraSg.explorer tree: evidence folders (settings, workspace, the demo account) and
// live profiles. Profiles and discovered folders are cached until a full refresh.

import * as path from 'path';
import * as vscode from 'vscode';
import type { Log } from '../log';
import { listProfiles } from '../../aws/profiles';
import { loadAwsLayer } from '../awsLayer';
import { roleOfKey } from '../../aws/credentialsKey';
import { evidenceDescriptor, liveDescriptor, sourceIds, type LoadedSource, type SourceDescriptor, type SourceStore } from '../sourceStore';
import type { ExtensionSettings } from '../settings';
import type { OrgSessions } from '../orgSessions';
import { isResettable, organizationRoots } from './orgNodes';
import { brokenProfileNode, EvidenceRootNode, isReloadable, ProfileNode, type ProfileInfo, type ReloadableNode, type TreeContext } from './rootNodes';
import { ErrorNode, errorMessage, type TreeNode } from './treeNode';


/** Evidence folders are recognised by the files the CIS test plan saves. */
const EVIDENCE_GLOB = '**/{describe-db-clusters,describe-security-groups}.json';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,.vscode-test}/**';

export interface ExplorerOptions {
  store: SourceStore;
  log: Log;
  settings: () => ExtensionSettings;
  demoFolder: string;
  isDemoOpen: () => boolean;
  /** The organizations of auroraSg.organizations (their nodes come after the profiles). */
  organizations?: OrgSessions;
}

export class Explorer implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private profiles: Promise<ProfileInfo[]> | undefined;
  private discovered: Promise<string[]> | undefined;
  private readonly ctx: TreeContext;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly options: ExplorerOptions) {
    this.ctx = { store: options.store, log: options.log, regionsFor: (p) => this.regionsFor(p) };
    this.subscriptions.push(options.store.onDidChange(() => this.changed.fire(undefined)));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.getChildren ? node.getChildren() : [];
    return this.roots();
  }

  /**
   * Refresh one node: a source or a target fetches its source again; a cluster, group, rule or
   * instance fetches the source it belongs to; a profile fetches each of its loaded regions and
   * lists its regions again. With no node, everything (reloadAll).
   */
  refresh(node?: TreeNode): Promise<void> {
    if (!node) return this.reloadAll();
    const store = this.options.store;
    const sourceId = isReloadable(node) ? node.sourceId : hasSource(node) ? node.source.descriptor.id : undefined;
    if (sourceId) {
      if (store.get(sourceId)) return store.reload(sourceId);
      // Not loaded (it failed): forget the failure and let getChildren fetch again.
      store.retry(sourceId);
      this.changed.fire(isReloadable(node) ? node : undefined);
      return Promise.resolve();
    }
    // An organization or an account: forget its listing (the retry of an error node), refetch it alone.
    if (isResettable(node)) {
      node.reset();
      this.changed.fire(node);
      return Promise.resolve();
    }
    if (node instanceof ProfileNode) {
      this.changed.fire(node);
      const ids = new Set(this.regionsFor(node.profile).map((region) => liveDescriptor(node.profile.name, region).id));
      return Promise.all(store.all().filter((s) => ids.has(s.descriptor.id)).map((s) => store.reload(s.descriptor.id))).then(() => undefined);
    }
    return this.reloadAll();
  }

  /**
   * Lists profiles and evidence folders again and fetches again every source that was loaded
   * and is still shown (so the Problems panel and the counts fill without the tree open).
   * `drop` (where to look changed: endpoint, profiles, folders) forgets what is loaded at once
   * and cancels the loads under way; otherwise what is shown stays until its new answer lands.
   */
  async reloadAll(options: { drop?: boolean } = {}): Promise<void> {
    const store = this.options.store;
    this.options.organizations?.reset();
    store.retry();
    const before = store.all().filter((s) => s.descriptor.kind !== 'iac').map((s) => s.descriptor);
    this.profiles = undefined;
    this.discovered = undefined;
    if (options.drop) store.invalidate();
    const shown = await this.shownSourceIds();
    // A member account's region is read on expand, under its organization: keep it whatever the roots say.
    const kept = (d: SourceDescriptor) => shown.has(d.id) || (d.kind === 'live' && roleOfKey(d.profile) !== undefined);
    for (const descriptor of before) if (!kept(descriptor)) store.forget(descriptor.id);
    this.changed.fire(undefined);
    await Promise.all(before.filter(kept).map((d) => (options.drop ? store.load(d).then(() => undefined, () => undefined) : store.reload(d.id))));
  }

  /** The top level changed (the demo was opened): list it again. */
  rootsChanged(): void {
    this.changed.fire(undefined);
  }

  /** The ids of every source the tree shows now: its roots and each working profile's regions. */
  private async shownSourceIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const root of await this.roots()) {
      if (isReloadable(root)) ids.add(root.sourceId);
      else if (root instanceof ProfileNode) for (const region of this.regionsFor(root.profile)) ids.add(liveDescriptor(root.profile.name, region).id);
    }
    return ids;
  }

  /** The sources shown at the top of the tree when it was last listed (the demo, evidence folders). */
  private shownRoots = new Set<string>();

  isShownSource(sourceId: string): boolean {
    return this.shownRoots.has(sourceId);
  }

  /** Asks VS Code to draw the tree again from what is known (nothing is fetched or forgotten). */
  redraw(): void {
    this.changed.fire(undefined);
  }

  /** How many targets failed in the last loadAll(). */
  lastLoadFailures = 0;

  /** Loads every source the tree shows: evidence folders, the demo when open, every profile's regions. */
  async loadAll(): Promise<void> {
    // An audit asks every target again, those that failed before included.
    this.options.store.retry();
    const roots = await this.roots();
    const targets: ReloadableNode[] = [];
    for (const root of roots) {
      if (isReloadable(root)) targets.push(root);
      else if (root instanceof ProfileNode) targets.push(...((await root.getChildren()).filter(isReloadable)));
    }
    // A small bound: each live target already runs its own calls concurrently.
    const failed = await (await loadAwsLayer()).mapWithConcurrency(targets, 3, async (node) =>
      (await (node.getChildren?.() ?? Promise.resolve([]))).some((c) => c instanceof ErrorNode));
    this.lastLoadFailures = failed.filter(Boolean).length;
  }

  private async roots(): Promise<TreeNode[]> {
    const settings = this.options.settings();
    const roots: TreeNode[] = [];
    if (this.options.isDemoOpen()) {
      roots.push(new EvidenceRootNode(this.ctx, { id: sourceIds.demo, kind: 'demo', label: 'Demo account', path: this.options.demoFolder }, '123456789012 · eu-west-1'));
    }
    const folders = new Set<string>();
    for (const folder of settings.evidenceFolders) folders.add(resolveFolder(folder));
    this.discovered ??= discoverEvidenceFolders();
    for (const folder of await this.discovered) folders.add(folder);
    folders.delete(this.options.demoFolder);
    for (const folder of folders) {
      const label = vscode.workspace.asRelativePath(folder, true);
      roots.push(new EvidenceRootNode(this.ctx, evidenceDescriptor(folder, label), 'evidence folder'));
    }
    this.shownRoots = new Set(roots.filter(isReloadable).map((r) => r.sourceId));
    roots.push(...(await this.profileRoots(settings)));
    if (this.options.organizations) roots.push(...organizationRoots(this.ctx, this.options.organizations));
    return roots;
  }

  private async profileRoots(settings: ExtensionSettings): Promise<TreeNode[]> {
    // Profiles are read without the SDK (its bundle takes ~130 ms to load): the tree's first
    // level does not wait for it.
    this.profiles ??= listProfiles();
    let profiles: ProfileInfo[];
    try {
      profiles = await this.profiles;
    } catch (error) {
      this.profiles = undefined;
      this.options.log.error(`Reading AWS profiles failed: ${errorMessage(error)}`);
      return [new ErrorNode('profiles/error', `Failed to read AWS profiles: ${errorMessage(error)}`, errorMessage(error), undefined)];
    }
    const shown = settings.profiles.length ? profiles.filter((p) => settings.profiles.includes(p.name)) : profiles;
    return shown.map((profile) => (profile.broken ? brokenProfileNode(profile, profile.broken) : new ProfileNode(this.ctx, profile)));
  }

  private regionsFor(profile: ProfileInfo): string[] {
    const regions = new Set<string>();
    if (profile.region) regions.add(profile.region);
    for (const region of this.options.settings().regions) regions.add(region);
    return [...regions];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function resolveFolder(folder: string): string {
  if (path.isAbsolute(folder)) return path.normalize(folder);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return base ? path.join(base, folder) : path.resolve(folder);
}

async function discoverEvidenceFolders(): Promise<string[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const files = await vscode.workspace.findFiles(EVIDENCE_GLOB, EXCLUDE_GLOB, 200);
  return [...new Set(files.filter((f) => f.scheme === 'file').map((f) => path.dirname(f.fsPath)))].sort();
}

/** Nodes below a source (cluster, group, rule, instance) carry the source they show. */
function hasSource(node: TreeNode): node is TreeNode & { source: LoadedSource } {
  const source = (node as { source?: LoadedSource }).source;
  return typeof source === 'object' && source !== null && typeof source.descriptor?.id === 'string';
}
