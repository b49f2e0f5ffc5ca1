// The one place where every command, view, provider and collection is registered. Cheap:
// nothing here reads files or loads the AWS SDK; that happens when the tree is expanded or
// a document is opened.

import * as path from 'path';
import * as vscode from 'vscode';
import { AuroraCodeActions } from './codeActions';
import { copyCli, generatePlan, openPlanScript, suppress } from './commands/planCommands';
import { exportReport } from './commands/reportCommand';
import { runBackoutCommand, runPlanCommand, showJournal, UntrustedWorkspaceError } from './commands/runCommands';
import { addEvidenceFolder, auditAll, configureProfile, DEMO_STATE_KEY, openDemo, refresh, revealRule } from './commands/viewCommands';
import { SCHEME } from './core/uris';
import { DiagnosticsManager } from './diagnostics/diagnosticsManager';
import { createLog } from './log';
import { readSettings, SECTION, type ExtensionSettings } from './settings';
import type { Services } from './services';
import { SourceStore } from './sourceStore';
import { Explorer, VIEW_ID } from './tree/explorer';
import type { TreeNode } from './tree/treeNode';
import { VirtualDocuments } from './virtualDocuments';

/** What activate() returns: the extension's own objects, for the integration tests. */
export interface AuroraSgApi {
  explorer: Explorer;
  store: SourceStore;
  diagnostics: DiagnosticsManager;
  documents: VirtualDocuments;
}

const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { scheme: SCHEME },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'terraform' },
];

export function activate(context: vscode.ExtensionContext): AuroraSgApi {
  const started = Date.now();
  const subscriptions = context.subscriptions;
  const log = createLog();
  subscriptions.push(log);

  let settings: ExtensionSettings | undefined;
  const currentSettings = () => {
    if (!settings) {
      settings = readSettings();
      for (const problem of settings.problems) log.warn(problem);
    }
    return settings;
  };

  const demoFolder = path.join(context.extensionPath, 'samples', 'demo-account');
  const store = new SourceStore(currentSettings, log);
  const explorer = new Explorer({
    store,
    log,
    settings: currentSettings,
    demoFolder,
    isDemoOpen: () => context.workspaceState.get<boolean>(DEMO_STATE_KEY, false),
  });
  const treeView = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: explorer, showCollapseAll: true });
  const documents = new VirtualDocuments(store);
  const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
  const diagnostics = new DiagnosticsManager(store, documents, readme, log);
  subscriptions.push(
    store,
    explorer,
    treeView,
    documents,
    diagnostics,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, new AuroraCodeActions(diagnostics, store), AuroraCodeActions.metadata),
  );
  void vscode.commands.executeCommand('setContext', DEMO_STATE_KEY, context.workspaceState.get<boolean>(DEMO_STATE_KEY, false));

  const services: Services = {
    context,
    log,
    store,
    explorer,
    treeView: treeView as vscode.TreeView<unknown>,
    documents,
    diagnostics,
    settings: currentSettings,
    loadAll: () => explorer.loadAll(),
    journalDir: () => path.join(context.globalStorageUri.fsPath, 'journal'),
    demoFolder,
  };

  const register = (id: string, run: (...args: never[]) => unknown) =>
    subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (run as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        if (error instanceof UntrustedWorkspaceError) return undefined;
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(`Aurora SG: ${message}`);
        return undefined;
      }
    }));

  register('auroraSg.refresh', (node?: TreeNode) => refresh(services, node));
  register('auroraSg.auditAll', () => auditAll(services));
  register('auroraSg.generatePlan', (arg?: unknown) => generatePlan(services, arg));
  register('auroraSg.runPlan', (arg?: unknown) => runPlanCommand(services, arg));
  register('auroraSg.runBackout', (arg?: unknown) => runBackoutCommand(services, arg));
  register('auroraSg.copyCli', (arg?: unknown) => copyCli(services, arg));
  register('auroraSg.showJournal', () => showJournal(services));
  register('auroraSg.exportReport', (format?: unknown) => exportReport(services, format));
  register('auroraSg.openDemo', () => openDemo(services));
  register('auroraSg.openPlanScript', (arg?: unknown) => openPlanScript(services, arg));
  register('auroraSg.suppress', (arg?: unknown, reason?: string) => suppress(services, arg, reason));
  register('auroraSg.addEvidenceFolder', () => addEvidenceFolder());
  register('auroraSg.configureProfile', () => configureProfile());
  register('auroraSg.revealRule', (sourceId: string, groupId: string, rule: never) => revealRule(services, sourceId, groupId, rule));

  subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SECTION)) return;
    settings = undefined;
    const refetch = ['endpointUrl', 'profiles', 'regions', 'evidenceFolders'].some((key) => e.affectsConfiguration(`${SECTION}.${key}`));
    // Where to look changed: fetch again. Only how to judge changed: re-audit what is loaded.
    if (refetch) explorer.refresh(); else store.reaudit();
  }));

  log.info(`Activated in ${Date.now() - started} ms.`);
  return { explorer, store, diagnostics, documents };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it.
}
