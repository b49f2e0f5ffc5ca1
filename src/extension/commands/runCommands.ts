// Running plans and backouts. Never in an untrusted workspace; always after a modal
// confirmation that lists the exact commands. The SDK route keeps a journal (for exact
// backouts); the terminal route runs the AWS CLI where the user can watch it.

import * as path from 'path';
import * as vscode from 'vscode';
import { renderCommandLine } from '../../remediation';
import type { RunEvent, RunResult } from '../../aws/executor';
import type { JournalSummary } from '../../aws/journal';
import type { Plan } from '../../model/plan';
import { accountLabel, credentialsLabel } from '../../aws/credentialsKey';
import { loadAwsLayer } from '../awsLayer';
import { runInTerminal } from '../terminalRunner';
import { UntrustedWorkspaceError } from './errors';
import type { Services } from '../services';
import { planFromArgument, recentPlans } from './planCommands';


/** Throws (and tells the user) when the workspace is not trusted: it may browse and copy, never run. */
export function requireTrust(action: string): void {
  if (vscode.workspace.isTrusted) return;
  const message = `Aurora SG: ${action} is disabled in an untrusted workspace (its settings could point the AWS calls elsewhere). Trust the workspace to run plans; copying commands still works.`;
  void vscode.window.showWarningMessage(message);
  throw new UntrustedWorkspaceError(message);
}

/** A modal question listing the exact commands; resolves with the button chosen (undefined: cancelled). */
async function confirm(title: string, lines: string[], warnings: string[], ...buttons: string[]): Promise<string | undefined> {
  const detail = [...lines, ...(warnings.length ? ['', ...warnings.map((w) => `⚠ ${w}`)] : [])].join('\n');
  return vscode.window.showWarningMessage(title, { modal: true, detail }, ...buttons);
}

const RUN = 'Run';
/** design.md section 4: EC2 steps support a dry run (DryRun, answered by DryRunOperation); offered beside Run on the SDK route. */
const DRY_RUN = 'Dry Run';

export interface RunOutcome {
  mode: 'sdk' | 'terminal';
  journalId?: string;
  status?: RunResult['status'];
  exitCode?: number;
  ok: boolean;
}

export async function runPlanCommand(services: Services, arg: unknown): Promise<RunOutcome | undefined> {
  requireTrust('Running a remediation');
  const planned = arg === undefined && recentPlans.length ? await pickRecentPlan() : await planFromArgument(services, arg, 'run a remediation');
  if (!planned) return undefined;
  const { plan, sourceId } = planned;
  const source = services.store.get(sourceId);
  if (source?.descriptor.kind !== 'live') {
    void vscode.window.showWarningMessage(`Aurora SG: "${plan.title}" comes from ${source?.descriptor.label ?? 'files'}, not from a live profile, so it is not run. Copy it or open it as a script instead.`);
    return undefined;
  }
  const settings = services.settings();
  const shell = settings.preferredShell;
  // A member account of an organization runs under its role, assumed from the organization profile.
  const role = plan.target.assumedRole;
  const who = plan.target.profile ?? (role ? `${accountLabel(plan.target.accountId ?? '?', plan.target.accountName)} through ${role.roleArn}` : 'environment credentials');
  const where = `${who} / ${plan.target.region ?? 'default region'}${settings.endpointUrl ? ` at ${settings.endpointUrl}` : ''}`;
  const lines = plan.steps.map((s, i) => `${i + 1}. ${renderCommandLine(s.cli, shell)}`);
  const viaWhat = settings.runMode === 'terminal' ? 'in a terminal with the AWS CLI' : 'through the AWS SDK (journaled)';
  const answer = await confirm(`Run ${plan.steps.length} step(s) against ${where} ${viaWhat}?`, lines, plan.warnings, ...(settings.runMode === 'terminal' ? [RUN] : [RUN, DRY_RUN]));
  if (answer === DRY_RUN) {
    services.log.info(`Dry run of "${plan.title}" on ${where}:\n${lines.join('\n')}`);
    return runWithSdk(services, plan, true);
  }
  if (answer !== RUN) return undefined;
  services.log.info(`Running "${plan.title}" on ${where} ${viaWhat}:\n${lines.join('\n')}`);

  let outcome: RunOutcome;
  if (settings.runMode === 'terminal') {
    // The terminal sees the same profiles and endpoint as the extension.
    const env: Record<string, string> = {};
    for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) if (process.env[name]) env[name] = process.env[name] as string;
    if (settings.endpointUrl) env.AWS_ENDPOINT_URL = settings.endpointUrl;
    const run = await runInTerminal(plan, shell, path.join(services.context.globalStorageUri.fsPath, 'scripts'), env);
    services.log.info(`Terminal: ${run.commandLine}${run.exitCode === undefined ? ' (no shell integration: exit code unknown)' : ` exited ${run.exitCode}`}`);
    outcome = { mode: 'terminal', exitCode: run.exitCode, ok: run.exitCode === 0 };
  } else {
    outcome = await runWithSdk(services, plan);
  }
  await services.store.reload(sourceId);
  return outcome;
}

async function pickRecentPlan(): Promise<{ plan: Plan; sourceId: string } | undefined> {
  const picked = await vscode.window.showQuickPick(recentPlans.map((p) => ({ label: p.plan.title, description: `${p.plan.steps.length} steps`, detail: p.plan.summary, p })), { title: 'Aurora SG: run which plan?' });
  return picked?.p;
}

async function runWithSdk(services: Services, plan: Plan, dryRun = false): Promise<RunOutcome> {
  const aws = await loadAwsLayer();
  const settings = services.settings();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Aurora SG: ${dryRun ? 'dry run of ' : ''}${plan.title}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        const result = await aws.runPlan(plan, {
          journalDir: services.journalDir(),
          endpointUrl: settings.endpointUrl,
          settings: settings.audit,
          signal: abort.signal,
          dryRun,
          onStep: (event) => {
            const message = stepMessage(event, plan.steps.length);
            progress.report({ message, increment: event.type === 'step-done' ? 100 / Math.max(1, plan.steps.length) : undefined });
            services.log.info(`${dryRun ? 'Dry run' : 'Run'}: ${message}`);
          },
        });
        return reportRun(services, result, 'Remediation');
      } finally {
        cancelled.dispose();
      }
    },
  );
}

/** One line per executor event, for the progress notification and the log. */
export function stepMessage(event: RunEvent, total: number): string {
  switch (event.type) {
    case 'run-start': return `journal ${event.journalId}`;
    case 'step-start': return `step ${event.index + 1}/${total}: ${event.step.explanation}`;
    case 'step-done': return `step ${event.index + 1}/${total} done: ${event.step.cli.join(' ')}`;
    case 'step-skipped': return `step ${event.index + 1}/${total} skipped: ${event.reason}`;
    case 'step-failed': return `step ${event.index + 1}/${total} failed: ${event.message}`;
    case 'drift': return `stopped before step ${event.index + 1}: the account changed since the plan was made: ${event.problems.join('; ')}`;
    case 'dry-run': return `dry run of step ${event.index + 1}: ${event.message}`;
    case 'verify': return `${event.ok ? 'verified' : 'not verified'}: ${event.message}`;
    case 'run-end': return `${event.status}: ${event.message}`;
  }
}

function reportRun(services: Services, result: RunResult, what: string): RunOutcome {
  const ok = (result.status === 'completed' || result.status === 'dry-run-ok') && result.verification?.ok !== false;
  // A dry run's message says what it is, and a dry run keeps no journal.
  const message = result.journalId ? `${what} ${result.status}: ${result.message} (journal ${result.journalId})` : result.message;
  if (ok) {
    services.log.info(message);
    void vscode.window.showInformationMessage(`Aurora SG: ${message}`);
  } else {
    services.log.warn(message);
    void vscode.window.showErrorMessage(`Aurora SG: ${message}`, 'Show Log').then((a) => { if (a) services.log.show(); });
  }
  return { mode: 'sdk', journalId: result.journalId, status: result.status, ok };
}

export async function runBackoutCommand(services: Services, arg: unknown): Promise<RunOutcome | undefined> {
  requireTrust('Running a backout');
  const aws = await loadAwsLayer();
  let journalId = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { journalId?: unknown }).journalId === 'string' ? (arg as { journalId: string }).journalId : undefined;
  if (!journalId) {
    const candidates = (await aws.listRuns(services.journalDir())).filter((run) => run.kind === 'run' && run.status !== 'unreadable');
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Aurora SG: no journaled runs to back out (terminal runs are not journaled: use their backout script).');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(candidates.map((run) => ({ ...journalItem(run), run })), { title: 'Aurora SG: back out which run?' });
    if (!picked) return undefined;
    journalId = picked.run.id;
  }
  const settings = services.settings();
  // The steps are rebuilt from the journal (real ids, exact old rules): show them before asking.
  const { original, steps } = await aws.planBackout(journalId, { journalDir: services.journalDir(), endpointUrl: settings.endpointUrl });
  if (!steps.length) {
    void vscode.window.showInformationMessage(`Aurora SG: nothing to undo: no step of run ${journalId} changed the account.`);
    return undefined;
  }
  const endpoint = settings.endpointUrl ?? original.endpointUrl;
  const where = `${credentialsLabel(original.profile)} / ${original.region}${endpoint ? ` at ${endpoint}` : ''}`;
  const lines = steps.map((s, i) => `${i + 1}. ${renderCommandLine(s.cli, settings.preferredShell)}${s.tolerant ? ' (only if the original call took effect)' : ''}`);
  if ((await confirm(`Back out run ${journalId}: ${steps.length} step(s) against ${where} through the AWS SDK (journaled)?`, lines, [], 'Back out')) !== 'Back out') return undefined;
  services.log.info(`Backing out run ${journalId} on ${where}:\n${lines.join('\n')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Aurora SG: backing out ${journalId}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        return await aws.backoutRun(journalId as string, {
          journalDir: services.journalDir(),
          endpointUrl: settings.endpointUrl,
          settings: settings.audit,
          signal: abort.signal,
          onStep: (event) => {
            const message = stepMessage(event, steps.length);
            progress.report({ message });
            services.log.info(`Backout: ${message}`);
          },
        });
      } finally {
        cancelled.dispose();
      }
    },
  );
  const outcome = reportRun(services, result, 'Backout');
  for (const source of services.store.all()) if (source.descriptor.kind === 'live') await services.store.reload(source.descriptor.id);
  return outcome;
}

export function journalItem(run: JournalSummary): vscode.QuickPickItem {
  return {
    label: run.title,
    description: [run.kind, run.status, `${run.stepsDone}/${run.stepsTotal} steps`, run.createdAt].filter(Boolean).join(' · '),
    detail: [run.id, run.profile, run.region, run.backedOutBy?.length ? `backed out by ${run.backedOutBy.join(', ')}` : undefined, run.problem].filter(Boolean).join(' · '),
  };
}

export async function showJournal(services: Services): Promise<JournalSummary | undefined> {
  const aws = await loadAwsLayer();
  const runs = await aws.listRuns(services.journalDir());
  if (!runs.length) {
    void vscode.window.showInformationMessage(`Aurora SG: the journal is empty (${services.journalDir()}).`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runs.map((run) => ({ ...journalItem(run), run })), { title: 'Aurora SG: journal', placeHolder: 'Pick a run to open its journal entry' });
  if (!picked) return undefined;
  await vscode.window.showTextDocument(vscode.Uri.file(picked.run.file), { preview: true });
  return picked.run;
}
