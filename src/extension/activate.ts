// The one place where every command, view and provider is registered. Activation only
// registers: the commands, the tree, the document provider and the code actions forward to the
// runtime (runtime.ts), which is loaded through a dynamic import on first need, so activation
// evaluates neither the rules nor the parsers nor, ever, the AWS SDK.

import * as vscode from 'vscode';
import { isUntrustedWorkspaceError } from './commands/errors';
import { DEMO_STATE_KEY, VIEW_ID } from './core/contextKeys';
import { JOURNAL_SCHEME, PLAN_SCHEME, SCHEME, VIRTUAL_SCHEMES } from './core/uris';
import { looksAudited } from './core/documentKinds';
import { createLog, type Log } from './log';
import type { Runtime } from './runtime';
import type { TreeNode } from './tree/treeNode';

export { VIEW_ID };

/** Every command the manifest contributes. */
export const COMMAND_IDS = [
  'auroraSg.refresh', 'auroraSg.auditAll', 'auroraSg.generatePlan', 'auroraSg.runPlan', 'auroraSg.runBackout',
  'auroraSg.copyCli', 'auroraSg.showJournal', 'auroraSg.exportReport', 'auroraSg.openDemo', 'auroraSg.openPlanScript',
  'auroraSg.suppress', 'auroraSg.addEvidenceFolder', 'auroraSg.configureProfile', 'auroraSg.revealRule',
  'auroraSg.iacReplaceSource', 'auroraSg.iacSuppressInline', 'auroraSg.auditOrganization',
  'auroraSg.dryRunPlan',
] as const;

/** What activate() returns: the runtime, for the integration tests (and other extensions). */
export interface AuroraSgApi {
  ready(): Promise<Runtime>;
  /** Shows a root node of the view (or one that knows its parent), expanded `expand` levels deep (the integration suite's screenshots). */
  reveal(node: TreeNode, expand: number): Thenable<void>;
}

const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { scheme: SCHEME },
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', language: 'terraform' },
  // Without a Terraform extension .tf files are plain text.
  { scheme: 'file', pattern: '**/*.{tf,tf.json,template}' },
];

export function activate(context: vscode.ExtensionContext): AuroraSgApi {
  const started = Date.now();
  const subscriptions = context.subscriptions;
  const log: Log = createLog();
  subscriptions.push(log);

  let runtime: Promise<Runtime> | undefined;
  const treeChanged = new vscode.EventEmitter<TreeNode | undefined>();
  const documentChanged = new vscode.EventEmitter<vscode.Uri>();
  const lensesChanged = new vscode.EventEmitter<void>();
  const ready = (): Promise<Runtime> => {
    runtime ??= Promise.resolve().then(() => {
      // A require, not import(): Node's import() of a CommonJS bundle first scans all of it for
      // its exports (about 60 ms for dist/runtime.js). esbuild.mjs keeps it external and lazy.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createRuntime } = require('./runtime') as typeof import('./runtime');
      const loaded = createRuntime(context, log, treeView);
      subscriptions.push(
        loaded.explorer.onDidChangeTreeData((node) => treeChanged.fire(node)),
        ...Object.values(loaded.content).map((provider) => provider.onDidChange((uri) => documentChanged.fire(uri))),
        ...Object.values(loaded.codeLenses).map((provider) => provider.onDidChangeCodeLenses(() => lensesChanged.fire())),
      );
      log.info('Runtime loaded.');
      return loaded;
    });
    return runtime;
  };

  const treeView = vscode.window.createTreeView<TreeNode>(VIEW_ID, {
    showCollapseAll: true,
    treeDataProvider: {
      onDidChangeTreeData: treeChanged.event,
      getTreeItem: (node) => node.getTreeItem(),
      getChildren: async (node) => (await ready()).explorer.getChildren(node),
      // Only reveal() asks; nodes that know their parent say so, the rest are roots.
      getParent: (node) => (node as { parent?: TreeNode }).parent,
    },
  });
  subscriptions.push(
    treeChanged,
    documentChanged,
    lensesChanged,
    treeView,
    // Read-only documents: security groups and clusters, plans and scripts, the journal.
    ...VIRTUAL_SCHEMES.map((scheme) => vscode.workspace.registerTextDocumentContentProvider(scheme, {
      onDidChange: (listener, thisArgs, disposables) => documentChanged.event((uri) => { if (uri.scheme === scheme) listener.call(thisArgs, uri); }, undefined, disposables),
      provideTextDocumentContent: async (uri, token) => (await ready()).content[scheme]!.provideTextDocumentContent(uri, token) ?? '',
    })),
    // Run, Dry Run and Copy on plans; Back Out on the journal's runs (they exist only once the runtime runs).
    vscode.languages.registerCodeLensProvider([{ scheme: PLAN_SCHEME }, { scheme: JOURNAL_SCHEME }], {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses: (document, token) => (runtime ? runtime.then((r) => r.codeLenses[document.uri.scheme]?.provideCodeLenses(document, token) ?? []) : []),
    }),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR, {
      // Diagnostics exist only once the runtime runs; before that there is nothing to fix.
      provideCodeActions: (document, range, context) => (runtime ? runtime.then((r) => r.codeActions.provideCodeActions(document, range, context)) : []),
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );

  for (const id of COMMAND_IDS) {
    subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        const handler = (await ready()).commands[id] as (...a: unknown[]) => unknown;
        return await handler(...args);
      } catch (error) {
        if (isUntrustedWorkspaceError(error)) return undefined;
        const message = error instanceof Error ? error.message : String(error);
        log.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(`Aurora SG: ${message}`);
        return undefined;
      }
    }));
  }

  // Evidence and IaC files get diagnostics as soon as they are open: start the runtime for them.
  const startFor = (doc: vscode.TextDocument) => { if (!runtime && looksAudited(doc.uri.scheme, doc.fileName, () => doc.getText())) void ready(); };
  subscriptions.push(vscode.workspace.onDidOpenTextDocument(startFor));
  for (const doc of vscode.workspace.textDocuments) startFor(doc);

  void vscode.commands.executeCommand('setContext', DEMO_STATE_KEY, context.workspaceState.get<boolean>(DEMO_STATE_KEY, false));
  log.info(`Activated in ${Date.now() - started} ms.`);
  return { ready, reveal: (node, expand) => treeView.reveal(node, { expand, focus: true }) };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it.
}
