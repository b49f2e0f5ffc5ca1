// Model-first tree nodes (the AWS Toolkit's TreeNode shape): each node knows its id, how it
// looks and how to get its children. Loading, empty and error children come from one helper.

import * as vscode from 'vscode';
import { firstLine } from '../core/liveErrors';

export interface TreeNode {
  /** Unique path id (`parent/child`), so refresh and expansion state stay stable. */
  readonly id: string;
  /** The node this one is a child of (roots have none): TreeView.reveal() walks up by it. */
  parent?: TreeNode;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<TreeNode[]>;
}

/** Children that know their parent, so reveal() can reach them. */
export function childrenOf(parent: TreeNode | undefined, nodes: TreeNode[]): TreeNode[] {
  for (const node of nodes) node.parent ??= parent;
  return nodes;
}

/** A leaf that says something (an empty list, a hint) and optionally runs a command on click. */
export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly options: { icon?: vscode.ThemeIcon; tooltip?: string | vscode.MarkdownString; command?: vscode.Command; contextValue?: string } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.options.icon;
    item.tooltip = this.options.tooltip;
    item.command = this.options.command;
    item.contextValue = this.options.contextValue ?? 'auroraSg.message';
    return item;
  }
}

/**
 * An error child: the cause first (its label), what failed after it (the description), the
 * whole reason in its tooltip; a click retries its parent (auroraSg.refresh with the parent node).
 */
export class ErrorNode implements TreeNode {
  constructor(
    readonly id: string,
    readonly label: string,
    readonly detail: string,
    readonly retry: TreeNode | undefined,
    readonly extraContext = '',
    readonly where?: string,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconErrored'));
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(this.detail);
    tooltip.appendMarkdown('\n\n_Click to retry._');
    item.tooltip = tooltip;
    item.description = this.where ? `${this.where} · click to retry` : 'click to retry';
    item.contextValue = `auroraSg.error${this.extraContext}`;
    item.command = { title: 'Retry', command: 'auroraSg.refresh', arguments: [this.retry] };
    return item;
  }
}

export interface ChildrenOptions<T = TreeNode> {
  parent: TreeNode;
  /** What the fetch is of, for the error label: "Failed to load <what>". */
  what: string;
  /** Label of the placeholder when the fetch returns nothing. */
  empty: string;
  fetch: () => Promise<T[]>;
  /** Omit when the fetch already returns nodes. */
  toNode?: (value: T) => TreeNode;
  /** Turns an error into a node; by default an ErrorNode with the message. */
  onError?: (error: unknown) => TreeNode;
  log?: (message: string) => void;
}

/** The last failure logged per parent: the tree asks again on every redraw, the log says it once. */
const lastLogged = new Map<string, string>();

/** The one place a fetch becomes children: empty list -> placeholder, failure -> error node that retries. */
export async function childrenFrom<T = TreeNode>(options: ChildrenOptions<T>): Promise<TreeNode[]> {
  try {
    const values = await options.fetch();
    lastLogged.delete(options.parent.id);
    if (!values.length) {
      return [new MessageNode(`${options.parent.id}/empty`, options.empty, { contextValue: 'auroraSg.empty' })];
    }
    return options.toNode ? values.map(options.toNode) : (values as unknown as TreeNode[]);
  } catch (error) {
    const message = `Failed to load ${options.what}: ${errorMessage(error)}`;
    if (lastLogged.get(options.parent.id) !== message) options.log?.(message);
    lastLogged.set(options.parent.id, message);
    if (options.onError) return [options.onError(error)];
    return [new ErrorNode(`${options.parent.id}/error`, firstLine(errorMessage(error), 120), `Failed to load ${options.what}: ${errorMessage(error)}`, options.parent, '', `failed to load ${options.what}`)];
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
