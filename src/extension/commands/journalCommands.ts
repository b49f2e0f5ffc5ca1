// The journal, readable: Show Journal opens a read-only document listing every run (the SDK's
// journal and the terminal runs) with its steps, in local time, with Back Out above each run
// that can be backed out. The backout picker offers the same runs.

import * as path from 'path';
import * as vscode from 'vscode';
import { credentialsLabel } from '../../aws/credentialsKey';
import type { JournalRun } from '../../aws/journal';
import { loadAwsLayer } from '../awsLayer';
import { commandOf, renderJournal, type JournalEntry } from '../core/journalText';
import { JOURNAL_SCHEME } from '../core/uris';
import type { Services } from '../services';
import { listTerminalRuns, type TerminalRun } from '../terminalJournal';

export const JOURNAL_URI = vscode.Uri.from({ scheme: JOURNAL_SCHEME, path: '/Aurora SG journal.md' });

/** How many runs the view shows (the newest). */
const SHOWN = 100;

export function terminalRunsDir(services: Services): string {
  return path.join(services.context.globalStorageUri.fsPath, 'terminal-runs');
}

function sdkEntry(run: JournalRun, file: string, shell: 'bash' | 'powershell'): JournalEntry {
  const changed = run.steps.some((s) => s.status === 'done' && s.mutating);
  return {
    id: run.id,
    route: 'sdk',
    kind: run.kind,
    title: run.plan.title,
    status: run.status,
    createdAt: run.createdAt,
    who: credentialsLabel(run.profile),
    region: run.region,
    endpointUrl: run.endpointUrl,
    message: run.message,
    backoutOf: run.backoutOf,
    backedOutBy: run.backedOutBy,
    steps: run.steps.map((s) => ({ explanation: s.explanation, command: commandOf(s.cli, shell), status: s.status, at: s.finishedAt ?? s.startedAt, message: s.status === 'done' ? undefined : s.message })),
    file,
    backoutable: run.kind === 'run' && changed && !run.backedOutBy?.length && run.status !== 'running',
  };
}

function terminalEntry(run: TerminalRun, shell: 'bash' | 'powershell'): JournalEntry {
  const steps = run.kind === 'backout' ? run.plan.backout : run.plan.steps;
  return {
    id: run.id,
    route: 'terminal',
    kind: run.kind,
    title: run.plan.title,
    status: run.status === 'sent' ? 'sent (exit code unknown)' : run.status,
    createdAt: run.createdAt,
    who: run.who,
    region: run.region,
    endpointUrl: run.endpointUrl,
    exitCode: run.exitCode,
    backoutOf: run.backoutOf,
    backedOutBy: run.backedOutBy,
    steps: steps.map((s) => ({ explanation: s.explanation, command: commandOf(s.cli.map((a) => (typeof a === 'string' ? a : `$${a.ref}`)), shell) })),
    backoutable: run.kind === 'run' && !run.backedOutBy?.length && run.status !== 'running',
  };
}

/** Every run, SDK and terminal, newest first. Unreadable journal files are listed by the SDK journal's own summary. */
export async function journalEntries(services: Services): Promise<JournalEntry[]> {
  const shell = services.settings().preferredShell;
  const aws = await loadAwsLayer();
  const summaries = await aws.listRuns(services.journalDir());
  const sdk = await Promise.all(summaries.slice(0, SHOWN).map(async (summary): Promise<JournalEntry> => {
    if (summary.status === 'unreadable') {
      return { id: summary.id, route: 'sdk', kind: 'run', title: summary.title, status: 'unreadable', message: summary.problem, steps: [], file: summary.file, backoutable: false };
    }
    try {
      return sdkEntry(await aws.readRun(services.journalDir(), summary.id), summary.file, shell);
    } catch (error) {
      return { id: summary.id, route: 'sdk', kind: 'run', title: summary.title, status: 'unreadable', message: error instanceof Error ? error.message : String(error), steps: [], file: summary.file, backoutable: false };
    }
  }));
  const terminal = (await listTerminalRuns(terminalRunsDir(services))).slice(0, SHOWN).map((run) => terminalEntry(run, shell));
  return [...sdk, ...terminal].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '')).slice(0, SHOWN);
}

function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The runs Back Out can undo, as quick-pick items. */
export async function backoutCandidates(services: Services): Promise<(vscode.QuickPickItem & { id: string })[]> {
  return (await journalEntries(services)).filter((e) => e.backoutable).map((e) => ({
    id: e.id,
    label: e.title,
    description: [e.route === 'sdk' ? 'AWS SDK' : 'terminal', e.status, e.createdAt && localTime(e.createdAt)].filter(Boolean).join(' · '),
    detail: [[e.who, e.region].filter(Boolean).join(' / '), e.id].filter(Boolean).join(' · '),
  }));
}

export class JournalView implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private headings: { line: number; entry: JournalEntry }[] = [];

  constructor(private readonly services: () => Services) {}

  /** A run or a backout ended: the open journal shows it. */
  refresh(): void {
    this.changed.fire(JOURNAL_URI);
  }

  async provideTextDocumentContent(): Promise<string> {
    const services = this.services();
    const rendered = renderJournal(await journalEntries(services), localTime, services.journalDir());
    this.headings = rendered.headings;
    this.lensesChanged.fire();
    return rendered.text;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.toString() !== JOURNAL_URI.toString()) return [];
    const trusted = vscode.workspace.isTrusted;
    return this.headings.flatMap(({ line, entry }) => {
      const range = new vscode.Range(line, 0, line, 0);
      const lenses: vscode.CodeLens[] = [];
      if (entry.backoutable && trusted) lenses.push(new vscode.CodeLens(range, { title: '$(history) Back Out', command: 'auroraSg.runBackout', arguments: [entry.id] }));
      if (entry.file) lenses.push(new vscode.CodeLens(range, { title: '$(json) Journal File', command: 'vscode.open', arguments: [vscode.Uri.file(entry.file)] }));
      return lenses;
    });
  }

  dispose(): void {
    this.changed.dispose();
    this.lensesChanged.dispose();
  }
}

export async function showJournal(): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(JOURNAL_URI);
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}
