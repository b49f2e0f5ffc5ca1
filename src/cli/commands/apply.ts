// aurora-sg apply: builds the plan of a live finding (or reads one saved with
// "aurora-sg plan --format json"), shows its steps, asks, and runs it through the SDK,
// journaled, with a final check that the finding is gone.

import { parseArgs } from 'node:util';
import type { Arg, Plan } from '../../model/plan';
import { FIX_KINDS, type FixKind } from '../../model/types';
import type { AuditSettings } from '../../model/settings';
import { type PlanRequest, renderCommandLine } from '../../remediation';
import { defaultSettings } from '../../rules';
import { oneOf, parseOrUsage } from '../args';
import { runAudit } from '../auditRun';
import { type Aws, type CliIo, EXIT_CLEAN, EXIT_FINDINGS, loadAws, UsageError } from '../io';
import { loadSettingsFile } from '../settingsFile';
import { readNamedFile } from '../sources';
import { SOURCE_OPTIONS, sourceFlags } from './audit';
import { JOURNAL_HELP_LINE, journalDirOf } from './journal';
import { buildPlanOrUsage, chooseFix, findFinding } from './plan';
import type { Command } from './types';

const HELP = `Usage: aurora-sg apply --profile P --region R --finding ID --fix KIND [--allow SOURCE]... [--yes] [--dry-run]
       aurora-sg apply --org PROFILE [--account ID] [--region R] --finding ID --fix KIND ...
       aurora-sg apply --plan FILE [--yes] [--dry-run]

Runs the fix of one live finding through the AWS SDK: shows the exact steps, asks,
then runs them one by one. Before each step the account is read again; if it changed
since the plan was made, the run stops and says what changed. Every step is written
to a journal before and after its call, so "aurora-sg backout ID" can undo the run,
even one that stopped half-way. At the end the account is read again and the finding
must be gone.

  --profile P, --region R, --endpoint-url URL, --config FILE   as for "aurora-sg audit"
  --org PROFILE and its flags   a member account's finding: the run assumes the same role
                        (--account and --region make the audit that finds it shorter)
  --finding ID          the finding's id, as audit prints it (a unique prefix is enough)
  --fix KIND            ${FIX_KINDS.join(' | ')} (default: the first that applies)
  --allow SOURCE        for restrict and dedicated-sg: a CIDR, sg-... or pl-... (repeatable)
  --group-name NAME     for dedicated-sg: the new group's name
  --plan FILE           run this plan (the JSON of "aurora-sg plan --format json") instead
  --yes                 do not ask before running
  --dry-run             check only: preconditions, and EC2's DryRun for every EC2 step
${JOURNAL_HELP_LINE}

Exit codes: 0 the run completed and the finding is gone (or the dry run passed);
1 the run stopped (drift, error, cancelled) or the finding is still there; 2 usage error.
`;

export const applyCommand: Command = {
  name: 'apply',
  summary: 'run the fix of a live finding through the AWS SDK (journaled, undoable)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseOrUsage('apply', () => parseArgs({
      args,
      options: {
        ...SOURCE_OPTIONS,
        finding: { type: 'string' },
        fix: { type: 'string' },
        allow: { type: 'string', multiple: true },
        'group-name': { type: 'string' },
        plan: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        'dry-run': { type: 'boolean' },
        journal: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) { io.out(HELP); return EXIT_CLEAN; }
    if (values.evidence?.length) throw new UsageError('apply changes a live account: name it with --profile and --region, not --evidence', 'apply');
    const settings = values.config ? await loadSettingsFile(values.config, io.cwd, 'apply') : defaultSettings();

    let plan: Plan;
    if (values.plan !== undefined) {
      if (values.finding || values.fix) throw new UsageError('--plan runs a saved plan; --finding and --fix build one: use one or the other', 'apply');
      plan = await readPlanFile(values.plan, io.cwd);
    } else {
      if (!values.finding) throw new UsageError('say which finding to fix: --finding ID (from "aurora-sg audit --profile P --region R")', 'apply');
      plan = await planForFinding(values, settings, io);
    }
    // A member account's plan runs where its finding is, under its role: --region narrows the
    // organization's audit there, it does not move the plan.
    const fromOrg = values.org !== undefined || (values['role-arn']?.length ?? 0) > 0 || plan.target.assumedRole !== undefined;
    const profile = fromOrg ? undefined : values.profile?.[0];
    const region = fromOrg ? undefined : values.region?.[0];
    const role = plan.target.assumedRole;
    const account = plan.target.accountId ? `${plan.target.accountName ? `${plan.target.accountName} (${plan.target.accountId})` : plan.target.accountId}` : undefined;
    const who = profile ?? plan.target.profile ?? (role && account ? `account ${account} through ${role.roleArn}` : 'environment credentials');
    const where = `${who} / ${region ?? plan.target.region ?? '?'}`;
    showPlan(plan, where, io);

    const dryRun = values['dry-run'] === true;
    if (!dryRun && !values.yes) {
      if (!io.prompt) throw new UsageError('nobody can confirm here (no terminal): review the steps above and pass --yes, or --dry-run to check only', 'apply');
      const answer = (await io.prompt(`Run these ${plan.steps.length} step(s) against ${where}? [y/N] `)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') { io.err('aurora-sg: nothing was run.\n'); return EXIT_FINDINGS; }
    }

    const aws = await loadAws('apply', io);
    const options: Parameters<Aws['runPlan']>[1] = { journalDir: journalDirOf(values.journal, io), env: io.env, settings, dryRun, onStep: (event) => reportEvent(event, io) };
    if (values['endpoint-url'] !== undefined) options.endpointUrl = values['endpoint-url'];
    if (profile) options.profile = profile;
    if (region) options.region = region;
    return withCancellation(options, async () => {
      const result = await aws.runPlan(plan, options);
      return finishRun(result, io, dryRun);
    }, io);
  },
};

async function planForFinding(values: Parameters<typeof sourceFlags>[0] & { finding?: string; fix?: string; allow?: string[]; 'group-name'?: string }, settings: AuditSettings, io: CliIo): Promise<Plan> {
  const report = await runAudit(sourceFlags(values, 'apply'), settings, io, 'apply');
  for (const error of report.errors) io.err(`aurora-sg: warning: ${error.target}: ${error.message}\n`);
  let finding;
  try {
    finding = findFinding(report, values.finding!);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, 'apply');
    throw error;
  }
  const inventory = report.inventoryOf.get(finding)!;
  const wanted = values.fix === undefined ? undefined : oneOf<FixKind>('apply', '--fix', values.fix, FIX_KINDS, 'revoke');
  const request: PlanRequest = { finding, inventory, fix: chooseFix(finding, inventory, wanted, io, 'apply'), settings };
  if (values.allow?.length) request.allow = values.allow;
  if (values['group-name'] !== undefined) request.groupName = values['group-name'];
  return buildPlanOrUsage(request, 'apply');
}

async function readPlanFile(shown: string, cwd: string): Promise<Plan> {
  const text = await readNamedFile(shown, cwd, 'plan', 'apply');
  let plan: Plan;
  try {
    plan = JSON.parse(text) as Plan;
  } catch (error) {
    throw new UsageError(`${shown} is not JSON: ${(error as Error).message}`, 'apply');
  }
  const valid = plan && typeof plan === 'object' && Array.isArray(plan.steps) && Array.isArray(plan.backout) && typeof plan.findingId === 'string' && plan.target
    && plan.steps.every((s) => s && Array.isArray(s.cli) && typeof s.sdkCommand === 'string' && (s.service === 'ec2' || s.service === 'rds') && Array.isArray(s.preconditions));
  if (!valid) throw new UsageError(`${shown} is not a plan as "aurora-sg plan --format json" writes it (findingId, target, steps[], backout[])`, 'apply');
  return plan;
}

function commandLine(cli: Arg[]): string {
  return renderCommandLine(cli, 'bash');
}

function showPlan(plan: Plan, where: string, io: CliIo): void {
  io.err(`${plan.title}\n${plan.summary}\nTarget: ${where}\n\nSteps:\n`);
  plan.steps.forEach((step, i) => io.err(`  ${i + 1}. ${step.explanation}\n     ${commandLine(step.cli)}\n`));
  if (plan.backout.length) {
    io.err('\nBackout (run "aurora-sg backout JOURNAL-ID", which uses the real ids the run recorded):\n');
    plan.backout.forEach((step, i) => io.err(`  ${i + 1}. ${step.explanation}\n`));
  }
  for (const warning of plan.warnings) io.err(`Warning: ${warning}\n`);
  io.err('\n');
}

export function reportEvent(event: Parameters<NonNullable<Parameters<Aws['runPlan']>[1]['onStep']>>[0], io: CliIo): void {
  switch (event.type) {
    case 'run-start': io.err(`Journal: ${event.journalId} (${event.journalFile})\n`); break;
    case 'step-start': io.err(`[${event.index + 1}] ${commandLine(event.step.cli)}\n`); break;
    case 'step-done': io.err(`[${event.index + 1}] done${event.step.result ? ` ${JSON.stringify(event.step.result)}` : ''}\n`); break;
    case 'step-skipped': io.err(`[${event.index + 1}] skipped: ${event.reason}\n`); break;
    case 'step-failed': io.err(`[${event.index + 1}] failed: ${event.message}\n`); break;
    case 'drift': io.err(`[${event.index + 1}] the account changed:\n${event.problems.map((p) => `  - ${p}\n`).join('')}`); break;
    case 'dry-run': io.err(`[${event.index + 1}] ${event.ok ? 'ok' : 'PROBLEM'}: ${event.message}\n`); break;
    case 'verify': break; // finishRun prints the verification
    case 'run-end': break;
  }
}

/** Ctrl-C between steps cancels cleanly (the journal says how far it got). */
export async function withCancellation(options: { signal?: AbortSignal }, run: () => Promise<number>, io: CliIo): Promise<number> {
  const controller = new AbortController();
  options.signal = controller.signal;
  const onInterrupt = () => {
    io.err('\naurora-sg: cancelling after the current step...\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await run();
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

export function finishRun(result: Awaited<ReturnType<Aws['runPlan']>>, io: CliIo, dryRun: boolean, isBackout = false): number {
  io.out(`${result.message}\n`);
  if (result.verification) io.out(`${result.verification.message}\n${(result.verification.details ?? []).map((d) => `  - ${d}\n`).join('')}`);
  if (result.journalId && result.status !== 'completed' && !isBackout) io.out(`Undo what ran with: aurora-sg backout ${result.journalId}\n`);
  else if (result.journalId && !dryRun) io.out(isBackout ? `Journal: ${result.journalId}\n` : `Journal: ${result.journalId} (undo with: aurora-sg backout ${result.journalId})\n`);
  const ok = dryRun ? result.status === 'dry-run-ok' : result.status === 'completed' && (result.verification?.ok ?? true);
  return ok ? EXIT_CLEAN : EXIT_FINDINGS;
}
