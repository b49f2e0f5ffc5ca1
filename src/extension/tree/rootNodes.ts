// The tree's top level: evidence folders (the demo account among them) and live AWS profiles
// with their regions.

import * as vscode from 'vscode';
import type { Log } from '../log';
import { credentialsLabel } from '../../aws/credentialsKey';
import { describeLiveFailure } from '../core/liveErrors';
import { countFindings, headline } from '../core/severity';
import { LiveLoadError, liveDescriptor, type SourceDescriptor, type SourceStore } from '../sourceStore';
import { sourceChildren } from './inventoryNodes';
import { childrenFrom, childrenOf, ErrorNode, MessageNode, type TreeNode } from './treeNode';

export type { ProfileInfo } from '../../aws/profiles';
import type { ProfileInfo } from '../../aws/profiles';

export interface TreeContext {
  store: SourceStore;
  log: Log;
  regionsFor(profile: ProfileInfo): string[];
}

/** A node whose source can be fetched again (refresh, retry). */
export interface ReloadableNode extends TreeNode {
  readonly sourceId: string;
}

export function isReloadable(node: unknown): node is ReloadableNode {
  return typeof node === 'object' && node !== null && typeof (node as ReloadableNode).sourceId === 'string';
}

/** An evidence folder or the demo account: one inventory read from files. */
export class EvidenceRootNode implements ReloadableNode {
  readonly id: string;
  readonly sourceId: string;

  constructor(private readonly ctx: TreeContext, readonly descriptor: SourceDescriptor, private readonly description: string) {
    this.id = descriptor.id;
    this.sourceId = descriptor.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.descriptor.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const loaded = this.ctx.store.get(this.sourceId);
    // Loaded, the row says how it stands; what it is goes to the tooltip.
    item.description = loaded ? headline(countFindings(loaded.findings)) : this.description;
    item.tooltip = this.descriptor.kind === 'demo'
      ? `A fictional account shipped with the extension, where every rule fires: ${this.description}`
      : `Evidence folder ${this.descriptor.path}`;
    item.iconPath = new vscode.ThemeIcon(this.descriptor.kind === 'demo' ? 'beaker' : 'folder-library');
    item.contextValue = `auroraSg.source.${this.descriptor.kind}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return childrenFrom({
      parent: this,
      what: `evidence folder ${this.descriptor.path}`,
      empty: '[Nothing in this folder]',
      fetch: async () => sourceChildren(this.id, await this.ctx.store.load(this.descriptor), this),
    });
  }
}

export class ProfileNode implements TreeNode {
  readonly id: string;

  constructor(private readonly ctx: TreeContext, readonly profile: ProfileInfo) {
    this.id = `profile:${profile.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(credentialsLabel(this.profile.name), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.profile.kind + (this.profile.region ? ` · ${this.profile.region}` : '');
    // Where the credentials come from: a role's source profile, or which of the environment's sources.
    if (this.profile.source) item.tooltip = `${credentialsLabel(this.profile.name)}: ${this.profile.kind}, from ${this.profile.source}`;
    item.iconPath = new vscode.ThemeIcon('account');
    item.contextValue = `auroraSg.profile.${this.profile.kind}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const regions = this.ctx.regionsFor(this.profile);
    if (!regions.length) {
      return [new MessageNode(`${this.id}/noRegion`, 'No region: set one in the profile or in auroraSg.regions', {
        icon: new vscode.ThemeIcon('gear'),
        command: { title: 'Open settings', command: 'workbench.action.openSettings', arguments: ['auroraSg.regions'] },
      })];
    }
    return childrenOf(this, regions.map((region) => new RegionNode(this.ctx, this.profile, region)));
  }
}

export class RegionNode implements ReloadableNode {
  readonly id: string;
  readonly sourceId: string;
  private readonly descriptor: SourceDescriptor;

  /**
   * `id` defaults to the source id; a member account's region passes its path in the tree, since
   * the organization profile's own account may be a profile of the tree too (ids must be unique).
   */
  constructor(private readonly ctx: TreeContext, readonly profile: ProfileInfo, readonly region: string, id?: string) {
    this.descriptor = liveDescriptor(profile.name, region);
    this.id = id ?? this.descriptor.id;
    this.sourceId = this.descriptor.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.region, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = 'auroraSg.region';
    const loaded = this.ctx.store.get(this.sourceId);
    if (loaded) {
      const clusters = loaded.inventory.clusters.length;
      item.description = `${clusters} cluster${clusters === 1 ? '' : 's'} · ${headline(countFindings(loaded.findings))}`;
    }
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return childrenFrom({
      parent: this,
      what: this.descriptor.label,
      empty: '[No Aurora clusters]',
      fetch: async () => sourceChildren(this.id, await this.ctx.store.load(this.descriptor), this),
      onError: (error) => {
        const failure = error instanceof LiveLoadError ? error.failure : { profile: this.profile.name, region: this.region, message: error instanceof Error ? error.message : String(error) };
        const view = describeLiveFailure(failure, this.profile.kind);
        return new ErrorNode(`${this.id}/error`, view.label, view.detail, this, view.loginCommand ? '.ssoExpired' : '', view.loginCommand ? undefined : 'failed to load');
      },
    });
  }
}

/** A profile that cannot be used, with the reason (bad config, missing source_profile, ...); a click re-reads every profile. */
export function brokenProfileNode(profile: ProfileInfo, reason: string): TreeNode {
  return new ErrorNode(`profile:${profile.name}`, `${profile.name}: ${reason}`, reason, undefined, '.profile');
}
