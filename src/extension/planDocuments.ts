// Plans open as read-only documents (scheme aurora-sg-plan), never as unsaved editors: the plan
// as Markdown (remediation and backout), or as a bash or PowerShell script. The address holds
// the finding and what the user chose, so the document rebuilds its plan from the loaded source
// (after a reload of the window too). CodeLenses and editor-title actions run it (live sources
// only), dry-run it, copy it, or open it as a script.

import * as vscode from 'vscode';
import { markdownText, renderMarkdown, renderScript, type Shell } from '../remediation';
import { PlanError } from '../remediation';
import type { Plan } from '../model/plan';
import { FIX_KINDS, type FixKind } from '../model/types';
import { parsePlanDoc, PLAN_SCHEME, planDocAddress, planDocQuery, type PlanRef, type PlanView } from './core/uris';
import { buildPlanFor, type PlanChoice } from './planning';
import type { ExtensionSettings } from './settings';
import { descriptorFromId, type LoadedSource, type SourceStore } from './sourceStore';

/** Context key: the active editor is a plan of a live source (Run and Dry Run apply). */
export const PLAN_RUNNABLE_KEY = 'auroraSg.planRunnable';

export interface OpenedPlan {
  plan: Plan;
  ref: PlanRef;
  source: LoadedSource;
}

export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The plan each document last showed: once its finding is gone (it ran, it was fixed), the document keeps it. */
  private readonly shown = new Map<string, OpenedPlan>();
  /** Plans run from here: document -> the journal of the run. */
  private readonly runs = new Map<string, string>();

  constructor(
    private readonly store: SourceStore,
    private readonly settings: () => ExtensionSettings,
    private readonly demoFolder: string,
  ) {
    // A fix or a reload changes what the plan's finding is: re-render the open plans of that source.
    this.subscriptions.push(store.onDidChange((sourceId) => {
      for (const doc of vscode.workspace.textDocuments) {
        const ref = doc.uri.scheme === PLAN_SCHEME ? parsePlanDoc(doc.uri.query) : undefined;
        if (ref && (sourceId === undefined || ref.sourceId === sourceId)) this.changed.fire(doc.uri);
      }
      this.lensesChanged.fire();
      this.updateContext();
    }));
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => this.updateContext()));
    this.updateContext();
  }

  uriFor(plan: Plan, source: LoadedSource, choice: PlanChoice, view: PlanView, shell?: Shell): vscode.Uri {
    const ref: PlanRef = { sourceId: source.descriptor.id, findingId: plan.findingId, fix: choice.fix, view };
    if (choice.allow?.length) ref.allow = choice.allow;
    if (choice.groupName) ref.groupName = choice.groupName;
    if (view === 'script') ref.shell = shell ?? this.settings().preferredShell;
    return vscode.Uri.from({ scheme: PLAN_SCHEME, ...planDocAddress(ref, { source: source.descriptor.label, title: plan.title }) });
  }

  /** The same plan in the other view (plan <-> script). */
  otherView(uri: vscode.Uri, view: PlanView): vscode.Uri | undefined {
    const ref = parsePlanDoc(uri.query);
    if (!ref) return undefined;
    const path = uri.path.replace(/\.(md|sh|ps1)$/, view === 'plan' ? '.md' : this.settings().preferredShell === 'powershell' ? '.ps1' : '.sh');
    const next: PlanRef = { ...ref, view, shell: view === 'script' ? ref.shell ?? this.settings().preferredShell : undefined };
    return uri.with({ path, query: planDocQuery(next) });
  }

  /** The plan a document shows, rebuilt from its address; a message (thrown) when it cannot be. */
  async open(uri: vscode.Uri): Promise<OpenedPlan> {
    const ref = uri.scheme === PLAN_SCHEME ? parsePlanDoc(uri.query) : undefined;
    if (!ref || !(FIX_KINDS as readonly string[]).includes(ref.fix)) throw new PlanError(`${uri.toString()} is not an Aurora SG plan.`);
    let source = this.store.get(ref.sourceId);
    if (!source) {
      // A plan restored with the window names a source nothing has loaded yet: load it.
      const descriptor = descriptorFromId(ref.sourceId, this.demoFolder);
      if (descriptor) source = await this.store.load(descriptor).catch(() => undefined);
    }
    if (!source) throw new PlanError('The source of this plan is not loaded. Expand it in the Aurora SG view, then open the plan again.');
    const finding = source.index.get(ref.findingId);
    if (!finding) {
      throw new PlanError(`The finding this plan fixes (${ref.findingId}) is no longer in ${source.descriptor.label}: it was fixed, suppressed or changed since. Open the finding again from the Aurora SG view or the Problems panel.`);
    }
    const plan = buildPlanFor({ finding, source }, { fix: ref.fix as FixKind, allow: ref.allow, groupName: ref.groupName }, this.settings());
    return { plan, ref, source };
  }

  /** A plan of this document ran (journal id): it says so, and offers Back Out. */
  ran(uri: vscode.Uri, journalId: string): void {
    for (const view of ['plan', 'script'] as const) {
      const other = this.otherView(uri, view);
      if (other) this.runs.set(other.toString(), journalId);
    }
    this.changed.fire(uri);
    this.lensesChanged.fire();
  }

  /** A run was backed out: its plans no longer say they ran. */
  backedOut(journalId: string): void {
    for (const [key, id] of [...this.runs]) {
      if (id !== journalId) continue;
      this.runs.delete(key);
      this.changed.fire(vscode.Uri.parse(key));
    }
    this.lensesChanged.fire();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    let opened: OpenedPlan;
    let gone: string | undefined;
    try {
      opened = await this.open(uri);
      this.shown.set(key, opened);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const previous = this.shown.get(key);
      const ref = parsePlanDoc(uri.query);
      if (!previous) return ref?.view === 'script' ? `# ${message.replace(/\r?\n/g, ' ')}\n` : `# Plan not available\n\n${markdownText(message)}\n`;
      // Keep showing what was planned: the user ran it, or wants to see what it was.
      opened = previous;
      gone = message;
    }
    const { plan, ref, source } = opened;
    const journalId = this.runs.get(key);
    if (ref.view === 'script') return renderScript(plan, ref.shell ?? this.settings().preferredShell);
    const runnable = source.descriptor.kind === 'live';
    const where = runnable
      ? `From ${markdownText(source.descriptor.label)}. **Run** asks before it changes anything; **Dry Run** has AWS check each step without changing anything.`
      : `From ${markdownText(source.descriptor.label)}, saved evidence: copy the commands or open them as a script to run them yourself against the account.`;
    const banner = journalId
      ? `> **Ran** (journal \`${journalId}\`)${gone ? `, and the finding is gone from ${markdownText(source.descriptor.label)}` : ''}. **Back Out** undoes it.`
      : gone ? `> ${markdownText(gone)} The plan as it was made:` : `> ${where}`;
    return `${banner}\n\n${renderMarkdown(plan)}`;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== PLAN_SCHEME) return [];
    const ref = parsePlanDoc(document.uri.query);
    const source = ref && this.store.get(ref.sourceId);
    if (!ref || !source) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string, arg: unknown = document.uri) => new vscode.CodeLens(top, { title, command, arguments: [arg] });
    const lenses: vscode.CodeLens[] = [];
    const journalId = this.runs.get(document.uri.toString());
    const current = !!source.index.get(ref.findingId);
    if (!current && !this.shown.has(document.uri.toString())) return [];
    if (journalId && vscode.workspace.isTrusted) lenses.push(lens('$(history) Back Out', 'auroraSg.runBackout', journalId));
    if (current && source.descriptor.kind === 'live' && vscode.workspace.isTrusted) {
      lenses.push(lens('$(play) Run', 'auroraSg.runPlan'), lens('$(beaker) Dry Run', 'auroraSg.dryRunPlan'));
    }
    lenses.push(lens('$(copy) Copy', 'auroraSg.copyCli'));
    lenses.push(ref.view === 'plan' ? lens('$(file-code) Open as Script', 'auroraSg.openPlanScript') : lens('$(book) Open as Plan', 'auroraSg.generatePlan'));
    return lenses;
  }

  private updateContext(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const ref = uri?.scheme === PLAN_SCHEME ? parsePlanDoc(uri.query) : undefined;
    const runnable = !!ref && this.store.get(ref.sourceId)?.descriptor.kind === 'live';
    void vscode.commands.executeCommand('setContext', PLAN_RUNNABLE_KEY, runnable);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.lensesChanged.dispose();
  }
}

/** The plan document a command was given (an editor-title or CodeLens action passes its URI). */
export function planDocumentArg(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri && arg.scheme === PLAN_SCHEME ? arg : undefined;
}
