// The tree's top level: evidence folders (the demo account among them) and live AWS profiles
// with their regions.

import * as vscode from 'vscode';
import type { Log } from '../log';
import type { AwsLayer } from '../awsLayer';
import { credentialsLabel } from '../../aws/credentialsKey';
import { describeLiveFailure } from '../core/liveErrors';
import { LiveLoadError, liveDescriptor, type SourceDescriptor, type SourceStore } from '../sourceStore';
import { sourceChildren } from './inventoryNodes';
import { childrenFrom, ErrorNode, MessageNode, type TreeNode } from './treeNode';

export type ProfileInfo = Awaited<ReturnType<AwsLayer['listProfiles']>>[number];

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
    item.description = this.description;
    item.tooltip = this.descriptor.path;
    item.iconPath = new vscode.ThemeIcon(this.descriptor.kind === 'demo' ? 'beaker' : 'folder-library');
    item.contextValue = `auroraSg.source.${this.descriptor.kind}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return childrenFrom({
      parent: this,
      what: `evidence folder ${this.descriptor.path}`,
      empty: '[Nothing in this folder]',
      fetch: async () => sourceChildren(this.id, await this.ctx.store.load(this.descriptor)),
      log: (m) => this.ctx.log.warn(m),
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
    return regions.map((region) => new RegionNode(this.ctx, this.profile, region));
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
    if (loaded) item.description = `${loaded.inventory.clusters.length} clusters`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return childrenFrom({
      parent: this,
      what: this.descriptor.label,
      empty: '[No Aurora clusters]',
      fetch: async () => sourceChildren(this.id, await this.ctx.store.load(this.descriptor)),
      onError: (error) => {
        const failure = error instanceof LiveLoadError ? error.failure : { profile: this.profile.name, region: this.region, message: error instanceof Error ? error.message : String(error) };
        const view = describeLiveFailure(failure, this.profile.kind);
        return new ErrorNode(`${this.id}/error`, view.label, view.detail, this, view.loginCommand ? '.ssoExpired' : '');
      },
      log: (m) => this.ctx.log.warn(m),
    });
  }
}

/** A profile that cannot be used, with the reason (bad config, missing source_profile, ...); a click re-reads every profile. */
export function brokenProfileNode(profile: ProfileInfo, reason: string): TreeNode {
  return new ErrorNode(`profile:${profile.name}`, `${profile.name}: ${reason}`, reason, undefined, '.profile');
}
