// Commands that browse: refresh, audit all, open the demo, add an evidence folder,
// configure a profile, show a rule in its group document.

import * as vscode from 'vscode';
import type { Rule } from '../../model/types';
import { loadAwsLayer } from '../awsLayer';
import { DEMO_STATE_KEY } from '../core/contextKeys';
import { SECTION } from '../settings';
import type { Services } from '../services';
import type { TreeNode } from '../tree/treeNode';
import { groupDocumentUri } from '../virtualDocuments';

export function refresh(services: Services, node?: TreeNode): void {
  services.explorer.refresh(node);
}

export async function openDemo(services: Services): Promise<void> {
  await services.context.workspaceState.update(DEMO_STATE_KEY, true);
  await vscode.commands.executeCommand('setContext', DEMO_STATE_KEY, true);
  services.explorer.refresh();
  await vscode.commands.executeCommand('auroraSg.explorer.focus');
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

/** Opens the AWS config file (AWS_CONFIG_FILE or ~/.aws/config); profiles added there appear after a refresh. */
export async function configureProfile(): Promise<void> {
  // The file listProfiles reads, found the same way (a "~/" in AWS_CONFIG_FILE included).
  const uri = vscode.Uri.file((await loadAwsLayer()).sharedFilePaths().configFile);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('# AWS CLI profiles: see https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html\n[profile example]\nregion = eu-west-1\n'));
  }
  await vscode.window.showTextDocument(uri);
  void vscode.window.showInformationMessage('Aurora SG: add a profile (or run `aws configure sso`), save, then refresh the Aurora SG view.');
}

/** Opens a group's document and selects one rule (the tree's click on a rule). */
export async function revealRule(services: Services, sourceId: string, groupId: string, rule: Rule): Promise<void> {
  const uri = groupDocumentUri(sourceId, groupId);
  const range = services.documents.ruleRange(sourceId, groupId, rule);
  await vscode.window.showTextDocument(uri, { preview: true, selection: range });
}
