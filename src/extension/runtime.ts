// Everything the extension does, built on first need (the tree is expanded, a command runs, an
// evidence or IaC file is opened). activate.ts loads this module through a dynamic import, so
// its dependencies (rules, remediation, parsers) are not evaluated at activation.

import * as path from 'path';
import * as vscode from 'vscode';
import { AuroraCodeActions } from './codeActions';
import { JournalView, showJournal } from './commands/journalCommands';
import { copyCli, generatePlan, openPlanScript, suppress } from './commands/planCommands';
import { configureProfile } from './commands/profileCommand';
import { exportReport } from './commands/reportCommand';
import { runBackoutCommand, runPlanCommand } from './commands/runCommands';
import { addEvidenceFolder, auditAll, openDemo, refresh, revealRule } from './commands/viewCommands';
import { DEMO_STATE_KEY, VIEW_ID } from './core/contextKeys';
import { JOURNAL_SCHEME, PLAN_SCHEME, SCHEME } from './core/uris';
import { DiagnosticsManager } from './diagnostics/diagnosticsManager';
import { replaceSourceCommand, suppressInlineCommand, type IacFixRef } from './iac/quickFixes';
import type { Log } from './log';
import { PlanDocuments } from './planDocuments';
import { readSettings, SECTION, type ExtensionSettings } from './settings';
import type { Services } from './services';
import { SourceStore } from './sourceStore';
import { Summary } from './summary';
import { Explorer } from './tree/explorer';
import { OrgSessions } from './orgSessions';
import { auditOrganization } from './commands/orgCommands';
import type { TreeNode } from './tree/treeNode';
import { VirtualDocuments } from './virtualDocuments';

export type CommandHandler = (...args: never[]) => unknown;

type ContentProvider = vscode.TextDocumentContentProvider & { onDidChange: vscode.Event<vscode.Uri> };

export interface Runtime {
  explorer: Explorer;
  store: SourceStore;
  diagnostics: DiagnosticsManager;
  documents: VirtualDocuments;
  plans: PlanDocuments;
  journal: JournalView;
  codeActions: AuroraCodeActions;
  summary: Summary;
  log: Log;
  /** The read-only documents of each scheme (activate.ts registered the schemes and forwards to these). */
  content: Record<string, ContentProvider>;
  /** CodeLenses of plans (Run, Dry Run, Copy) and of the journal (Back Out). */
  codeLenses: Record<string, vscode.CodeLensProvider & { onDidChangeCodeLenses: vscode.Event<void> }>;
  /** Command id -> handler; activate.ts registered the ids and forwards to these. */
  commands: Record<string, CommandHandler>;
}

export function createRuntime(context: vscode.ExtensionContext, log: Log, view?: vscode.TreeView<TreeNode>): Runtime {
  let settings: ExtensionSettings | undefined;
  const currentSettings = () => {
    if (!settings) {
      settings = readSettings();
      for (const problem of settings.problems) log.warn(problem);
    }
    return settings;
  };

  const demoFolder = path.join(context.extensionPath, 'samples', 'demo-account');
  const organizations = new OrgSessions(currentSettings, log);
  const store = new SourceStore(currentSettings, log, (key, region, signal) => organizations.loadTarget(key, region, signal));
  const explorer = new Explorer({
    store,
    log,
    settings: currentSettings,
    demoFolder,
    isDemoOpen: () => context.workspaceState.get<boolean>(DEMO_STATE_KEY, false),
    organizations,
  });
  const documents = new VirtualDocuments(store, demoFolder);
  const plans = new PlanDocuments(store, currentSettings, demoFolder);
  const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
  const diagnostics = new DiagnosticsManager({ store, documents, readme, log, isShownSource: (id) => explorer.isShownSource(id) });
  const codeActions = new AuroraCodeActions(diagnostics, store, currentSettings);
  const summary = new Summary(store, view, VIEW_ID);
  // The journal view reads the services, which refresh it: built first, it reads them once they exist.
  const journal = new JournalView(() => services);
  context.subscriptions.push(store, explorer, documents, plans, journal, diagnostics, summary, organizations);

  const services: Services = {
    context,
    log,
    store,
    explorer,
    documents,
    diagnostics,
    plans,
    settings: currentSettings,
    loadAll: () => explorer.loadAll(),
    journalDir: () => path.join(context.globalStorageUri.fsPath, 'journal'),
    journalChanged: () => journal.refresh(),
    demoFolder,
    organizations,
  };

  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(SECTION)) return;
    settings = undefined;
    const refetch = ['endpointUrl', 'profiles', 'regions', 'evidenceFolders', 'organizations'].some((key) => e.affectsConfiguration(`${SECTION}.${key}`));
    // Where to look changed: fetch again. Only how to judge changed: re-audit what is loaded.
    if (refetch) void explorer.reloadAll({ drop: true }); else store.reaudit();
  }));

  const commands: Record<string, CommandHandler> = {
    'auroraSg.refresh': (node?: TreeNode) => refresh(services, node),
    'auroraSg.auditAll': () => auditAll(services),
    'auroraSg.auditOrganization': (arg?: unknown) => auditOrganization(services, arg),
    'auroraSg.generatePlan': (arg?: unknown) => generatePlan(services, arg),
    'auroraSg.runPlan': (arg?: unknown) => runPlanCommand(services, arg),
    'auroraSg.dryRunPlan': (arg?: unknown) => runPlanCommand(services, arg, 'dry-run'),
    'auroraSg.runBackout': (arg?: unknown) => runBackoutCommand(services, arg),
    'auroraSg.copyCli': (arg?: unknown) => copyCli(services, arg),
    'auroraSg.showJournal': () => showJournal(),
    'auroraSg.exportReport': (format?: unknown, target?: unknown) => exportReport(services, format, target),
    'auroraSg.openDemo': () => openDemo(services),
    'auroraSg.openPlanScript': (arg?: unknown) => openPlanScript(services, arg),
    'auroraSg.suppress': (arg?: unknown, reason?: string) => suppress(services, arg, reason),
    'auroraSg.addEvidenceFolder': () => addEvidenceFolder(),
    'auroraSg.configureProfile': () => configureProfile(services),
    'auroraSg.revealRule': (sourceId: string, groupId: string, rule: never) => revealRule(services, sourceId, groupId, rule),
    'auroraSg.iacReplaceSource': (ref: IacFixRef, answer?: string) => replaceSourceCommand(() => currentSettings().audit, ref, answer),
    'auroraSg.iacSuppressInline': (ref: IacFixRef, reason?: string) => suppressInlineCommand(() => currentSettings().audit, ref, reason),
  };
  return {
    explorer, store, diagnostics, documents, plans, journal, codeActions, summary, log, commands,
    content: { [SCHEME]: documents, [PLAN_SCHEME]: plans, [JOURNAL_SCHEME]: journal },
    codeLenses: { [PLAN_SCHEME]: plans, [JOURNAL_SCHEME]: journal },
  };
}
