// Nodes below a source: cluster > {Instances, Security groups > rules}. Each node is built
// from a loaded, audited source and shows the findings that concern it.

import * as vscode from 'vscode';
import type { Cluster, Instance, Rule, SecurityGroup } from '../../model/types';
import { isSharedGroup } from '../core/findingIndex';
import { describeRule, worstSeverity } from '../../rules';
import {
  clusterDescription, contextValues, engineLabel, escapeMarkdown, groupDescription, instanceDescription, ruleDescription, severityIcon,
} from '../core/presentation';
import type { LoadedSource } from '../sourceStore';
import { groupDocumentUri, clusterDocumentUri } from '../virtualDocuments';
import { findingMarkdown, summaryMarkdown } from './findingTooltip';
import { childrenOf, MessageNode, type TreeNode } from './treeNode';

export function themeIcon(icon: { id: string; color?: string }): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
}

/** Children of a source: its clusters, then groups attached to none (bare evidence files), then read problems. */
export function sourceChildren(parentId: string, source: LoadedSource, parent?: TreeNode): TreeNode[] {
  return childrenOf(parent, listSource(parentId, source));
}

function listSource(parentId: string, source: LoadedSource): TreeNode[] {
  const nodes: TreeNode[] = source.inventory.clusters.map((cluster) => new ClusterNode(parentId, source, cluster));
  const attached = new Set(source.inventory.clusters.flatMap((c) => c.securityGroupIds));
  const unattached = source.inventory.securityGroups.filter((g) => !attached.has(g.groupId));
  if (unattached.length) nodes.push(new GroupListNode(parentId, source, unattached, undefined, 'Security groups not attached to a cluster'));
  for (const [i, note] of source.inventory.notes.entries()) {
    if (note.level === 'info') continue;
    nodes.push(new MessageNode(`${parentId}/note${i}`, note.message, {
      icon: new vscode.ThemeIcon(note.level === 'error' ? 'error' : 'warning'),
      tooltip: note.file ? `${note.message}\n${note.file}` : note.message,
    }));
  }
  if (!nodes.length) nodes.push(new MessageNode(`${parentId}/empty`, '[No Aurora clusters found]', { contextValue: 'auroraSg.empty' }));
  return nodes;
}

export class ClusterNode implements TreeNode {
  readonly id: string;

  constructor(parentId: string, readonly source: LoadedSource, readonly cluster: Cluster) {
    this.id = `${parentId}/cluster:${cluster.clusterId}`;
  }

  get findings() {
    return this.source.index.forCluster(this.cluster.clusterId);
  }

  getTreeItem(): vscode.TreeItem {
    const findings = this.findings;
    const item = new vscode.TreeItem(this.cluster.clusterId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = clusterDescription(this.cluster, findings);
    item.iconPath = themeIcon({ id: 'database', color: severityIcon(worstSeverity(findings)).color });
    const { cluster } = this;
    const engine = `${cluster.engine}${cluster.engineVersion ? ` ${cluster.engineVersion}` : ''}`;
    item.tooltip = summaryMarkdown(`**${escapeMarkdown(cluster.clusterId)}** · ${escapeMarkdown(engineLabel(cluster))}  \n${escapeMarkdown(`${engine} · port ${cluster.port} · ${cluster.status}`)}`, findings);
    item.contextValue = contextValues.cluster(findings);
    item.command = { title: 'Open cluster', command: 'vscode.open', arguments: [clusterDocumentUri(this.source, this.cluster.clusterId)] };
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const { inventory } = this.source;
    const instances = inventory.instances.filter((i) => i.clusterId === this.cluster.clusterId || this.cluster.memberInstanceIds.includes(i.instanceId));
    const groups = this.cluster.securityGroupIds.map((id) => inventory.securityGroups.find((g) => g.groupId === id) ?? id);
    return childrenOf(this, [
      new InstanceListNode(this.id, this.source, instances),
      new GroupListNode(this.id, this.source, groups, this.cluster.clusterId, 'Security groups'),
    ]);
  }
}

class InstanceListNode implements TreeNode {
  readonly id: string;

  constructor(parentId: string, private readonly source: LoadedSource, private readonly instances: Instance[]) {
    this.id = `${parentId}/instances`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Instances', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = String(this.instances.length);
    item.iconPath = new vscode.ThemeIcon('server');
    item.contextValue = 'auroraSg.instances';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    if (!this.instances.length) return [new MessageNode(`${this.id}/empty`, '[No instances]')];
    return childrenOf(this, this.instances.map((instance) => new InstanceNode(this.id, this.source, instance)));
  }
}

export class InstanceNode implements TreeNode {
  readonly id: string;

  constructor(parentId: string, readonly source: LoadedSource, readonly instance: Instance) {
    this.id = `${parentId}/${instance.instanceId}`;
  }

  get findings() {
    return this.source.index.forInstance(this.instance.instanceId);
  }

  getTreeItem(): vscode.TreeItem {
    const findings = this.findings;
    const item = new vscode.TreeItem(this.instance.instanceId, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = instanceDescription(this.instance);
    const worst = worstSeverity(findings);
    item.iconPath = themeIcon({ id: this.instance.publiclyAccessible ? 'globe' : 'lock', color: severityIcon(worst).color });
    item.tooltip = findingMarkdown(findings);
    item.contextValue = contextValues.instance(this.instance, findings);
    return item;
  }
}

export class GroupListNode implements TreeNode {
  readonly id: string;

  constructor(
    parentId: string,
    private readonly source: LoadedSource,
    private readonly groups: (SecurityGroup | string)[],
    private readonly clusterId: string | undefined,
    private readonly label: string,
  ) {
    this.id = `${parentId}/groups${clusterId === undefined ? ':unattached' : ''}`;
  }

  getTreeItem(): vscode.TreeItem {
    // A cluster's own groups open with it; groups attached to no cluster stay folded.
    const state = this.clusterId === undefined ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(this.label, state);
    item.id = this.id;
    item.description = String(this.groups.length);
    item.iconPath = new vscode.ThemeIcon('shield');
    item.contextValue = 'auroraSg.groups';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    if (!this.groups.length) return [new MessageNode(`${this.id}/empty`, '[No security groups]')];
    return childrenOf(this, this.groups.map((group) =>
      typeof group === 'string'
        ? new MessageNode(`${this.id}/${group}`, `${group} (not in the inventory)`, {
          icon: new vscode.ThemeIcon('warning'),
          tooltip: `The cluster lists ${group}, but describe-security-groups did not return it, so its rules cannot be judged.`,
        })
        : new GroupNode(this.id, this.source, group, this.clusterId)));
  }
}

export class GroupNode implements TreeNode {
  readonly id: string;

  constructor(parentId: string, readonly source: LoadedSource, readonly group: SecurityGroup, readonly clusterId: string | undefined) {
    this.id = `${parentId}/${group.groupId}`;
  }

  get findings() {
    return this.source.index.forGroup(this.group.groupId, this.clusterId);
  }

  getTreeItem(): vscode.TreeItem {
    const findings = this.findings;
    const shared = isSharedGroup(this.group, this.source.inventory, this.source.index);
    const item = new vscode.TreeItem(this.group.groupName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = groupDescription(this.group, shared);
    item.iconPath = themeIcon({ id: 'shield', color: severityIcon(worstSeverity(findings)).color });
    const header = `**${escapeMarkdown(this.group.groupName)}** · ${escapeMarkdown(this.group.groupId)}  \n_${escapeMarkdown(this.group.description)}_`;
    const tooltip = summaryMarkdown(header, findings);
    if (shared) tooltip.appendMarkdown('\n\n**Shared:** also attached to resources that are not this cluster, so changing it changes them too.');
    item.tooltip = tooltip;
    item.contextValue = contextValues.group(shared, findings);
    item.command = { title: 'Open security group', command: 'vscode.open', arguments: [groupDocumentUri(this.source, this.group.groupId)] };
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const ordered = [...this.group.rules].sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'ingress' ? -1 : 1));
    if (!ordered.length) return [new MessageNode(`${this.id}/empty`, '[No rules]')];
    return childrenOf(this, ordered.map((rule, i) => new RuleNode(this.id, this.source, this.group, rule, this.clusterId, i)));
  }
}

export class RuleNode implements TreeNode {
  readonly id: string;

  constructor(
    parentId: string,
    readonly source: LoadedSource,
    readonly group: SecurityGroup,
    readonly rule: Rule,
    readonly clusterId: string | undefined,
    position: number,
  ) {
    this.id = `${parentId}/rule${position}`;
  }

  get findings() {
    return this.source.index.forRule(this.rule, this.clusterId);
  }

  getTreeItem(): vscode.TreeItem {
    const findings = this.findings;
    const arrow = this.rule.direction === 'ingress' ? '←' : '→';
    const item = new vscode.TreeItem(`${arrow} ${describeRule(this.rule)}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = ruleDescription(this.rule, findings);
    item.iconPath = themeIcon(severityIcon(worstSeverity(findings)));
    item.tooltip = findingMarkdown(findings, this.rule);
    item.contextValue = contextValues.rule(this.rule, findings);
    item.command = {
      title: 'Show rule',
      command: 'auroraSg.revealRule',
      arguments: [this.source.descriptor.id, this.group.groupId, this.rule],
    };
    return item;
  }
}
