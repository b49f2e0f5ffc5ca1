// Running plans and backouts. Never in an untrusted workspace; always after a modal
// confirmation that lists the exact commands. The SDK route keeps a journal (for exact
// backouts); the terminal route runs the AWS CLI where the user can watch it and records the
// run, so its backout script can be run from the journal too. Either way the progress closes
// when the run ends, and the message that follows offers Back Out and Show Log.

import * as path from 'path';
import * as vscode from 'vscode';
import { renderCommandLine } from '../../remediation';
import type { RunEvent, RunResult } from '../../aws/executor';
import type { Plan } from '../../model/plan';
import { accountLabel, credentialsLabel } from '../../aws/credentialsKey';
import { loadAwsLayer } from '../awsLayer';
import { runInTerminal } from '../terminalRunner';
import { isTerminalRunId, newTerminalRunId, readTerminalRun, writeTerminalRun, type TerminalRun } from '../terminalJournal';
import { UntrustedWorkspaceError } from './errors';
import type { Services } from '../services';
import { planDocumentArg } from '../planDocuments';
import { planFromArgument, recentPlans, type PlannedFix } from './planCommands';
import { backoutCandidates, terminalRunsDir } from './journalCommands';

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
/** design.md section 4: EC2 steps support a dry run (DryRun, answered by DryRunOperation); it goes through the SDK whatever the run mode. */
const DRY_RUN = 'Dry Run';
export const BACK_OUT = 'Back Out';
export const SHOW_LOG = 'Show Log';

export interface RunOutcome {
  mode: 'sdk' | 'terminal';
  journalId?: string;
  status?: RunResult['status'] | TerminalRun['status'];
  exitCode?: number;
  ok: boolean;
  /** The message the user was shown when it ended. */
  message?: string;
}

/** The credentials a plan runs with, as people name them: the profile, a member account's role, or the environment's keys. */
function whoRuns(target: Plan['target']): string {
  // A member account of an organization runs under its role, assumed from the organization profile.
  const role = target.assumedRole;
  return target.profile ?? (role ? `${accountLabel(target.accountId ?? '?', target.accountName)} through ${role.roleArn}` : 'environment credentials');
}

/** Which plan to run: the one given (a plan document, a finding), the active plan document, or one generated this session. */
async function plannedFor(services: Services, arg: unknown): Promise<PlannedFix | undefined> {
  if (arg === undefined) {
    const active = planDocumentArg(vscode.window.activeTextEditor?.document.uri);
    if (active) return planFromArgument(services, active, 'run a remediation');
    if (recentPlans.length) {
      const picked = await vscode.window.showQuickPick(recentPlans.map((p) => ({ label: p.plan.title, description: `${p.plan.steps.length} steps`, detail: p.plan.summary, p })), { title: 'Aurora SG: run which plan?' });
      return picked?.p;
    }
  }
  return planFromArgument(services, arg, 'run a remediation');
}

export async function runPlanCommand(services: Services, arg: unknown, only?: 'dry-run'): Promise<RunOutcome | undefined> {
  requireTrust(only ? 'A dry run' : 'Running a remediation');
  const planned = await plannedFor(services, arg);
  if (!planned) return undefined;
  const { plan, sourceId } = planned;
  const source = services.store.get(sourceId);
  if (source?.descriptor.kind !== 'live') {
    void vscode.window.showWarningMessage(`Aurora SG: "${plan.title}" comes from ${source?.descriptor.label ?? 'files'}, saved evidence rather than a live profile, so it cannot be run here. Copy it or open it as a script instead.`);
    return undefined;
  }
  const settings = services.settings();
  const shell = settings.preferredShell;
  const where = `${whoRuns(plan.target)} / ${plan.target.region ?? 'default region'}${settings.endpointUrl ? ` at ${settings.endpointUrl}` : ''}`;
  const lines = plan.steps.map((s, i) => `${i + 1}. ${renderCommandLine(s.cli, shell)}`);
  const terminal = settings.runMode === 'terminal';
  const viaWhat = only ? 'as a dry run through the AWS SDK (nothing changes)' : terminal ? 'in a terminal with the AWS CLI' : 'through the AWS SDK (journaled)';
  const buttons = only ? [DRY_RUN] : [RUN, DRY_RUN];
  const answer = await confirm(`${only ? 'Dry-run' : 'Run'} ${plan.steps.length} step(s) against ${where} ${viaWhat}?`, lines, plan.warnings, ...buttons);
  if (answer !== RUN && answer !== DRY_RUN) return undefined;
  const dryRun = answer === DRY_RUN;
  services.log.info(`${dryRun ? 'Dry run of' : 'Running'} "${plan.title}" on ${where} ${dryRun ? 'through the AWS SDK' : viaWhat}:\n${lines.join('\n')}`);

  let outcome: RunOutcome;
  if (terminal && !dryRun) {
    outcome = await runPlanInTerminal(services, plan, where);
  } else {
    outcome = reportRun(services, await runWithSdk(services, plan, dryRun), dryRun ? 'Dry run' : 'Remediation');
  }
  if (!dryRun && outcome.journalId) services.plans.ran(planned.uri, outcome.journalId);
  if (!dryRun) await services.store.reload(sourceId);
  services.journalChanged();
  return outcome;
}

/** The environment a terminal needs to see the same profiles and endpoint as the extension. */
function terminalEnv(endpointUrl: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) if (process.env[name]) env[name] = process.env[name] as string;
  if (endpointUrl) env.AWS_ENDPOINT_URL = endpointUrl;
  return env;
}

async function runPlanInTerminal(services: Services, plan: Plan, where: string, backoutOf?: TerminalRun): Promise<RunOutcome> {
  const settings = services.settings();
  const shell = settings.preferredShell;
  const kind = backoutOf ? 'backout' : 'run';
  const record: TerminalRun = {
    version: 1, id: newTerminalRunId(kind, plan.fix), kind, route: 'terminal', createdAt: new Date().toISOString(), status: 'running',
    who: whoRuns(plan.target), shell, script: '', commandLine: '', plan,
  };
  if (plan.target.region) record.region = plan.target.region;
  if (settings.endpointUrl) record.endpointUrl = settings.endpointUrl;
  if (backoutOf) record.backoutOf = backoutOf.id;
  const dir = terminalRunsDir(services);
  const scripts = path.join(services.context.globalStorageUri.fsPath, 'scripts');
  const execution = await runInTerminal(plan, shell, scripts, terminalEnv(settings.endpointUrl), backoutOf ? 'backout' : 'remediation');
  record.script = execution.script;
  record.commandLine = execution.commandLine;
  record.finishedAt = new Date().toISOString();
  if (execution.exitCode === undefined) record.status = 'sent';
  else {
    record.exitCode = execution.exitCode;
    record.status = execution.exitCode === 0 ? 'completed' : 'failed';
  }
  await writeTerminalRun(dir, record);
  if (backoutOf) {
    backoutOf.backedOutBy = [...(backoutOf.backedOutBy ?? []), record.id];
    await writeTerminalRun(dir, backoutOf);
  }
  const what = backoutOf ? 'Backout' : 'Remediation';
  services.log.info(`Terminal (${where}): ${execution.commandLine}${execution.exitCode === undefined ? ': sent; the terminal has no shell integration, so its exit code is unknown' : ` exited ${execution.exitCode}`}`);
  const ok = record.status === 'completed';
  const message = record.status === 'sent'
    ? `${what} "${plan.title}" was sent to the terminal; watch it there for the result (journal ${record.id}).`
    : `${what} "${plan.title}" ${ok ? 'completed' : `failed (exit ${execution.exitCode})`} in the terminal (journal ${record.id}).`;
  tell(services, ok || record.status === 'sent', message, backoutOf ? undefined : record.id);
  return { mode: 'terminal', journalId: record.id, status: record.status, exitCode: execution.exitCode, ok, message };
}

function runWithSdk(services: Services, plan: Plan, dryRun = false): Thenable<RunResult> {
  const settings = services.settings();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Aurora SG: ${dryRun ? 'dry run of ' : ''}${plan.title}`, cancellable: true },
    async (progress, token) => {
      const aws = await loadAwsLayer();
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        return await aws.runPlan(plan, {
          journalDir: services.journalDir(),
          endpointUrl: settings.endpointUrl,
          settings: settings.audit,
          signal: abort.signal,
          dryRun,
          onStep: (event) => {
            const message = stepMessage(event, plan.steps.length);
            if (!message) return;
            progress.report({ message, increment: event.type === 'step-done' ? 100 / Math.max(1, plan.steps.length) : undefined });
            services.log.info(`${dryRun ? 'Dry run' : 'Run'}: ${message}`);
          },
        });
      } finally {
        cancelled.dispose();
      }
    },
  );
}

/**
 * One line per executor event, for the progress notification and the log; undefined for the
 * events the closing message says anyway (the end). The commands were logged, quoted, before
 * the run, so a step's line names it by number and explanation only.
 */
export function stepMessage(event: RunEvent, total: number): string | undefined {
  switch (event.type) {
    case 'run-start': return `journal ${event.journalId}`;
    case 'step-start': return `step ${event.index + 1}/${total}: ${event.step.explanation}`;
    case 'step-done': return `step ${event.index + 1}/${total} done`;
    case 'step-skipped': return `step ${event.index + 1}/${total} skipped: ${event.reason}`;
    case 'step-failed': return `step ${event.index + 1}/${total} failed: ${event.message}`;
    case 'drift': return `stopped before step ${event.index + 1}: the account changed since the plan was made: ${event.problems.join('; ')}`;
    case 'dry-run': return `dry run of step ${event.index + 1}: ${event.message}`;
    case 'verify': return `${event.ok ? 'verified' : 'not verified'}: ${event.message}`;
    case 'run-end': return undefined;
  }
}

/** The closing message, after the progress has closed: Back Out (a run that changed something) and Show Log. */
function tell(services: Services, ok: boolean, message: string, backOut?: string): void {
  if (ok) services.log.info(message); else services.log.warn(message);
  const buttons = backOut ? [BACK_OUT, SHOW_LOG] : [SHOW_LOG];
  const shown = ok ? vscode.window.showInformationMessage(`Aurora SG: ${message}`, ...buttons) : vscode.window.showErrorMessage(`Aurora SG: ${message}`, ...buttons);
  void Promise.resolve(shown).then((answer) => {
    if (answer === SHOW_LOG) services.log.show();
    if (answer === BACK_OUT && backOut) void vscode.commands.executeCommand('auroraSg.runBackout', backOut);
  });
}

function reportRun(services: Services, result: RunResult, what: string): RunOutcome {
  const ok = (result.status === 'completed' || result.status === 'dry-run-ok') && result.verification?.ok !== false;
  // A dry run's message says what it is, and a dry run keeps no journal.
  const message = result.journalId ? `${what} ${result.status}: ${result.message} (journal ${result.journalId})` : result.message;
  const changed = result.steps.some((s) => s.status === 'done' && s.mutating);
  tell(services, ok, message, what === 'Remediation' && result.journalId && changed ? result.journalId : undefined);
  return { mode: 'sdk', journalId: result.journalId, status: result.status, ok, message };
}

function journalIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { journalId?: unknown }).journalId === 'string') return (arg as { journalId: string }).journalId;
  return undefined;
}

export async function runBackoutCommand(services: Services, arg: unknown): Promise<RunOutcome | undefined> {
  requireTrust('Running a backout');
  let journalId = journalIdOf(arg);
  if (!journalId) {
    const candidates = await backoutCandidates(services);
    if (!candidates.length) {
      void vscode.window.showInformationMessage('Aurora SG: no run to back out: every run in the journal is backed out already, or changed nothing.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(candidates, { title: 'Aurora SG: back out which run?', matchOnDescription: true, matchOnDetail: true });
    if (!picked) return undefined;
    journalId = picked.id;
  }
  const outcome = isTerminalRunId(journalId) ? await backoutTerminalRun(services, journalId) : await backoutSdkRun(services, journalId);
  if (outcome?.ok || outcome?.status === 'sent') services.plans.backedOut(journalId);
  services.journalChanged();
  return outcome;
}

async function backoutTerminalRun(services: Services, journalId: string): Promise<RunOutcome | undefined> {
  const original = await readTerminalRun(terminalRunsDir(services), journalId);
  if (original.kind === 'backout') throw new Error(`${journalId} is itself a backout; run the original plan again instead.`);
  if (original.backedOutBy?.length) {
    void vscode.window.showInformationMessage(`Aurora SG: run ${journalId} is backed out already (${original.backedOutBy.join(', ')}).`);
    return undefined;
  }
  const settings = services.settings();
  const where = `${original.who} / ${original.region ?? 'default region'}${settings.endpointUrl ? ` at ${settings.endpointUrl}` : ''}`;
  const lines = original.plan.backout.map((s, i) => `${i + 1}. ${renderCommandLine(s.cli, settings.preferredShell)}`);
  const warning = 'A terminal run keeps no record of the ids AWS returned: this runs the backout script of the plan that ran.';
  if ((await confirm(`Back out run ${journalId}: ${lines.length} step(s) against ${where} in a terminal with the AWS CLI?`, lines, [warning], BACK_OUT)) !== BACK_OUT) return undefined;
  services.log.info(`Backing out terminal run ${journalId} on ${where}:\n${lines.join('\n')}`);
  const outcome = await runPlanInTerminal(services, original.plan, where, original);
  await reloadLive(services);
  return outcome;
}

async function backoutSdkRun(services: Services, journalId: string): Promise<RunOutcome | undefined> {
  const aws = await loadAwsLayer();
  const settings = services.settings();
  // The steps are rebuilt from the journal (real ids, exact old rules): show them before asking.
  const { original, steps } = await aws.planBackout(journalId, { journalDir: services.journalDir(), endpointUrl: settings.endpointUrl });
  if (original.backedOutBy?.length) {
    void vscode.window.showInformationMessage(`Aurora SG: run ${journalId} is backed out already (${original.backedOutBy.join(', ')}).`);
    return undefined;
  }
  if (!steps.length) {
    void vscode.window.showInformationMessage(`Aurora SG: nothing to undo: no step of run ${journalId} changed the account.`);
    return undefined;
  }
  const endpoint = settings.endpointUrl ?? original.endpointUrl;
  const where = `${credentialsLabel(original.profile)} / ${original.region}${endpoint ? ` at ${endpoint}` : ''}`;
  const lines = steps.map((s, i) => `${i + 1}. ${renderCommandLine(s.cli, settings.preferredShell)}${s.tolerant ? ' (only if the original call took effect)' : ''}`);
  if ((await confirm(`Back out run ${journalId}: ${steps.length} step(s) against ${where} through the AWS SDK (journaled)?`, lines, [], BACK_OUT)) !== BACK_OUT) return undefined;
  services.log.info(`Backing out run ${journalId} on ${where}:\n${lines.join('\n')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Aurora SG: backing out ${original.plan.title}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        return await aws.backoutRun(journalId, {
          journalDir: services.journalDir(),
          endpointUrl: settings.endpointUrl,
          settings: settings.audit,
          signal: abort.signal,
          onStep: (event) => {
            const message = stepMessage(event, steps.length);
            if (!message) return;
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
  await reloadLive(services);
  return outcome;
}

async function reloadLive(services: Services): Promise<void> {
  for (const source of services.store.all()) if (source.descriptor.kind === 'live') await services.store.reload(source.descriptor.id);
}
