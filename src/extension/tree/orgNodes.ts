// The tree of an organization (design 11): organization > account (name · id, worst severity) >
// region > clusters. Accounts are listed when the organization is expanded, an account's regions
// when it is (which assumes its role); a region's clusters load like any live region's. An
// account that cannot be read is an error node with AWS's reason, and a click retries it.

import * as vscode from 'vscode';
import type { OrgAccountStatus } from '../../aws';
import type { Finding } from '../../model/types';
import { accountDescription, accountLabel, accountState, organizationDescription } from '../core/orgPresentation';
import { firstLine } from '../core/liveErrors';
import { severityIcon } from '../core/presentation';
import type { OrgSession, OrgSessions } from '../orgSessions';
import { RegionNode, type TreeContext } from './rootNodes';
import { childrenFrom, ErrorNode, errorMessage, type TreeNode } from './treeNode';

/** A node that forgets what it fetched when refreshed (its retry), without a full refresh of the view. */
export interface ResettableNode extends TreeNode {
  reset(): void;
}

export function isResettable(node: unknown): node is ResettableNode {
  return typeof node === 'object' && node !== null && typeof (node as ResettableNode).reset === 'function';
}

function themeIcon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/**
 * The findings of what is loaded, by credentials key, built once per change of the store: an
 * organization's node and each account's ask for theirs on every redraw, and an audit of
 * thousands of targets redraws often.
 */
class FindingsByKey {
  private byKey: Map<string, Finding[]> | undefined;

  constructor(private readonly store: TreeContext['store']) {}

  invalidate(): void {
    this.byKey = undefined;
  }

  /** Undefined when none of the account's regions is loaded. */
  of(account: OrgAccountStatus): Finding[] | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const source of this.store.all()) {
        if (source.descriptor.kind !== 'live' || !source.descriptor.profile) continue;
        const own = this.byKey.get(source.descriptor.profile);
        if (own) own.push(...source.findings);
        else this.byKey.set(source.descriptor.profile, [...source.findings]);
      }
    }
    return this.byKey.get(account.credentials);
  }
}

const indexes = new WeakMap<TreeContext['store'], FindingsByKey>();

/** The store's index, kept fresh by its change events (the store and the index end together). */
function findingsIndex(ctx: TreeContext): FindingsByKey {
  let index = indexes.get(ctx.store);
  if (!index) {
    const created = new FindingsByKey(ctx.store);
    ctx.store.onDidChange(() => created.invalidate());
    indexes.set(ctx.store, created);
    index = created;
  }
  return index;
}

function accountFindings(ctx: TreeContext, account: OrgAccountStatus): Finding[] | undefined {
  return findingsIndex(ctx).of(account);
}

export class OrganizationNode implements ResettableNode {
  readonly id: string;

  constructor(private readonly ctx: TreeContext, readonly session: OrgSession) {
    this.id = session.id;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.session.setting.profile, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const accounts = this.session.known;
    const findings = (accounts ?? []).flatMap((a) => accountFindings(this.ctx, a) ?? []);
    item.description = organizationDescription(accounts, findings);
    item.iconPath = themeIcon('organization');
    const s = this.session.setting;
    item.tooltip = new vscode.MarkdownString().appendText(`Organization profile ${s.profile}; member role ${s.roleArns.length ? '(the role ARNs of the setting)' : s.memberRole ?? 'OrganizationAccountAccessRole'}`
      + `${s.organizationalUnits.length ? `; OUs ${s.organizationalUnits.join(', ')}` : ''}${s.accounts.length ? `; accounts ${s.accounts.join(', ')}` : ''}${s.excludeAccounts.length ? `; excluding ${s.excludeAccounts.join(', ')}` : ''}.`);
    item.contextValue = 'auroraSg.organization';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return childrenFrom({
      parent: this,
      what: `the accounts of organization ${this.session.setting.profile}`,
      empty: '[No accounts in this organization]',
      fetch: async () => {
        const listing = await this.session.accounts();
        const nodes: TreeNode[] = listing.accounts.map((account) => new AccountNode(this.ctx, this.session, account, this.id));
        if (listing.error) nodes.unshift(new ErrorNode(`${this.id}/error`, `${this.session.setting.profile}: ${firstLine(listing.error, 120)}`, listing.error, this, '.organization'));
        return nodes;
      },
      log: (m) => this.ctx.log.warn(m),
    });
  }

  reset(): void {
    this.session.reset();
  }
}

export class AccountNode implements ResettableNode {
  readonly id: string;

  constructor(private readonly ctx: TreeContext, readonly session: OrgSession, readonly account: OrgAccountStatus, parentId: string) {
    this.id = `${parentId}/account:${account.id}`;
  }

  private get failure(): string | undefined {
    return this.session.failures.get(this.account.id);
  }

  getTreeItem(): vscode.TreeItem {
    const skipped = this.account.outcome === 'skipped';
    const item = new vscode.TreeItem(accountLabel(this.account), skipped ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const findings = accountFindings(this.ctx, this.account);
    const state = accountState(this.account, findings, this.failure);
    item.description = accountDescription(this.account, findings, this.failure);
    const icon = state === 'failed' ? { id: 'error', color: 'testing.iconErrored' } : state === 'skipped' ? { id: 'circle-slash' } : state === 'unread' ? { id: 'account' } : severityIcon(state === 'ok' ? undefined : state);
    item.iconPath = themeIcon(icon.id, icon.color);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${accountLabel(this.account)} (${this.account.id}), ${this.account.state}`);
    tooltip.appendText(this.account.roleArn ? `\nRead through ${this.account.roleArn}` : '\nRead with the organization profile\'s own credentials');
    if (this.account.reason && skipped) tooltip.appendText(`\nNot audited: ${this.account.reason}`);
    if (this.failure) tooltip.appendText(`\n\n${this.failure}`);
    item.tooltip = tooltip;
    item.contextValue = `auroraSg.account.${state}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    if (this.account.outcome === 'skipped') return [];
    return childrenFrom({
      parent: this,
      what: `account ${accountLabel(this.account)} (${this.account.id})`,
      empty: '[No regions enabled]',
      // A region of the account reads through the organization's pool (its role is not assumed again).
      fetch: async () => (await this.session.regionsOf(this.account)).map((region) => new RegionNode(this.ctx, { name: this.account.credentials, kind: this.account.roleArn ? 'assume-role' : 'other' }, region, `${this.id}/${region}`)),
      onError: (error) => new ErrorNode(`${this.id}/error`, `${accountLabel(this.account)} (${this.account.id}): ${firstLine(errorMessage(error), 140)}`, errorMessage(error), this, '.account'),
      log: (m) => this.ctx.log.warn(m),
    });
  }

  reset(): void {
    this.session.reset(this.account.id);
  }
}

/** The root nodes of the configured organizations. */
export function organizationRoots(ctx: TreeContext, sessions: OrgSessions): TreeNode[] {
  return sessions.all().map((session) => new OrganizationNode(ctx, session));
}
