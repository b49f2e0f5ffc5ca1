// Commands that browse: refresh, audit all, open the demo, add an evidence folder, show a
// rule in its group document.

import * as vscode from 'vscode';
import type { Rule } from '../../model/types';
import { DEMO_STATE_KEY, VIEW_ID } from '../core/contextKeys';
import { descriptorFromId, sourceIds } from '../sourceStore';
import { SECTION } from '../settings';
import type { Services } from '../services';
import type { TreeNode } from '../tree/treeNode';
import { groupDocumentUri } from '../virtualDocuments';

/** The view title's Refresh reloads everything; a node's Refresh (its context menu, a retry) reloads that node. */
export function refresh(services: Services, node?: TreeNode): Promise<void> {
  return services.explorer.refresh(node);
}

export async function openDemo(services: Services): Promise<void> {
  await services.context.workspaceState.update(DEMO_STATE_KEY, true);
  await vscode.commands.executeCommand('setContext', DEMO_STATE_KEY, true);
  services.explorer.rootsChanged();
  await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  // The demo is one more source: load it now, so the Problems panel and the counts have it
  // whether or not the tree is expanded.
  const demo = descriptorFromId(sourceIds.demo, services.demoFolder);
  if (demo) await services.store.load(demo);
}

/** Loads every source shown and reports the counts; the tree and Problems fill as it goes. */
export async function auditAll(services: Services): Promise<{ sources: number; findings: number; failures: number }> {
  await vscode.window.withProgress({ location: { viewId: 'auroraSg.explorer' }, title: 'Aurora SG: auditing' }, () => services.loadAll());
  const sources = services.store.all();
  const findings = sources.reduce((n, s) => n + s.findings.filter((f) => !f.suppressed).length, 0);
  const failures = services.explorer.lastLoadFailures;
  const text = `Aurora SG: audited ${sources.length} source(s): ${findings} finding(s)${failures ? `, ${failures} target(s) failed (see the tree)` : ''}.`;
  services.log.info(text);
  void vscode.window.showInformationMessage(text);
  return { sources: sources.length, findings, failures };
}

export async function addEvidenceFolder(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Add evidence folder', title: 'A folder with saved AWS CLI JSON (describe-db-clusters.json, describe-security-groups.json, ...)' });
  if (!picked?.[0]) return;
  const config = vscode.workspace.getConfiguration(SECTION);
  const folders = config.get<string[]>('evidenceFolders') ?? [];
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('evidenceFolders', [...new Set([...folders, picked[0].fsPath])], target);
}

/** Opens a group's document and selects one rule (the tree's click on a rule). */
export async function revealRule(services: Services, sourceId: string, groupId: string, rule: Rule): Promise<void> {
  const source = services.store.get(sourceId);
  if (!source) return;
  const uri = groupDocumentUri(source, groupId);
  const range = services.documents.ruleRange(sourceId, groupId, rule);
  await vscode.window.showTextDocument(uri, { preview: true, selection: range });
}
