// Runs a plan through the SDK, step by step (design.md section 4, "Running a plan"):
// re-read and check before each mutating step, journal before and after each call,
// an optional EC2 dry run, cancellation between steps, and a final check that the
// finding is gone.

import type { Plan, Precondition, Step } from '../model/plan';
import type { AuditSettings } from '../model/settings';
import { auditInventory } from '../rules';
import { ClientPool, poolOptionsOf } from './clients';
import { AwsError, awsErrorCode, toAwsError } from './errors';
import { currentOwner, newRunId, journalFile, writeRun, type JournalRun, type JournalStep, type RunStatus } from './journal';
import { loadTarget } from './loader';
import { ENVIRONMENT_PROFILE, keyOfAssumedRole } from './credentialsKey';
import { checkPreconditions, queryFor } from './preconditions';
import type { RetryPolicy } from './retry';
import { sleep } from './retry';
import { readState, type StateQuery, type StateSnapshot } from './state';
import { UnresolvedRefError, checkAllowed, cliWithValues, resolveRefs, resultOf, sendCommand, type Produced } from './steps';

export type RunEvent =
  | { type: 'run-start'; journalId: string; journalFile: string; steps: number }
  | { type: 'step-start'; index: number; step: JournalStep }
  | { type: 'step-done'; index: number; step: JournalStep }
  | { type: 'step-skipped'; index: number; step: JournalStep; reason: string }
  | { type: 'step-failed'; index: number; step: JournalStep; message: string }
  | { type: 'drift'; index: number; problems: string[] }
  | { type: 'dry-run'; index: number; ok: boolean; message: string }
  | { type: 'verify'; ok: boolean; message: string }
  | { type: 'run-end'; status: RunResult['status']; message: string };

export interface RunOptions {
  /** Where run journals are written (one JSON file per run). */
  journalDir: string;
  endpointUrl?: string;
  /** Check only: preconditions, and EC2's DryRun for every EC2 step; nothing changes, no journal. */
  dryRun?: boolean;
  /** Told about every step; awaited, so a caller can pause between steps. */
  onStep?: (event: RunEvent) => void | Promise<void>;
  /** Checked between steps: a cancelled run stops cleanly and can be backed out. */
  signal?: AbortSignal;
  /** For the final audit that checks the finding is gone. */
  settings?: AuditSettings;
  /** Override the plan's target profile / region. */
  profile?: string;
  region?: string;
  env?: NodeJS.ProcessEnv;
  maxAttempts?: number;
  retry?: RetryPolicy;
  /** Use this client pool (the caller disposes it). */
  pool?: ClientPool;
  /** Skip the final check (default: check). */
  verify?: boolean;
  /** How long to wait for RDS to finish applying group changes before the final check gives up (ms, default 120000). */
  settleTimeoutMs?: number;
}

export interface RunResult {
  journalId?: string;
  journalFile?: string;
  status: RunStatus | 'dry-run-ok' | 'dry-run-failed';
  message: string;
  steps: JournalStep[];
  produced: Produced;
  drift?: string[];
  verification?: { ok: boolean; message: string; details?: string[] };
}

/** A step as the engine runs it; `tolerant` steps undo a call whose outcome is unknown (skipped, not drift, when it never happened). */
export type ExecStep = Step & { tolerant?: boolean };

interface Context {
  pool: ClientPool;
  profile: string;
  region: string;
  options: RunOptions;
}

function poolFor(options: RunOptions): ClientPool {
  return options.pool ?? new ClientPool(poolOptionsOf(options));
}

/** Everything a list of steps names: groups, clusters, instances, group names. */
export function queryForSteps(steps: readonly Step[], produced: Produced = {}): StateQuery {
  const query: Required<StateQuery> = { groupIds: [], clusterIds: [], instanceIds: [], groupNames: [] };
  const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  for (const step of steps) {
    let input: Record<string, unknown>;
    let preconditions: Precondition[];
    try {
      input = resolveRefs(step.sdkInput, produced);
      preconditions = resolveRefs(step.preconditions, produced);
    } catch {
      input = step.sdkInput;
      preconditions = step.preconditions.filter((p) => !JSON.stringify(p).includes('"ref"'));
    }
    query.groupIds.push(...strings(input.GroupId), ...strings(input.VpcSecurityGroupIds));
    query.clusterIds.push(...strings(input.DBClusterIdentifier));
    query.instanceIds.push(...strings(input.DBInstanceIdentifier));
    const fromPreconditions = queryFor(preconditions);
    query.groupIds.push(...fromPreconditions.groupIds ?? []);
    query.clusterIds.push(...fromPreconditions.clusterIds ?? []);
    query.instanceIds.push(...fromPreconditions.instanceIds ?? []);
    query.groupNames.push(...fromPreconditions.groupNames ?? []);
  }
  query.groupIds = query.groupIds.filter((id) => id.startsWith('sg-'));
  return query;
}

/** Adds the groups the named clusters and instances use, so the snapshot can restore their memberships' rules too. */
async function readWholeState(ctx: Context, query: StateQuery): Promise<StateSnapshot> {
  const first = await readState(ctx.pool, ctx.profile, ctx.region, query);
  const attached = [
    ...first.dbClusters.flatMap((c) => (c.VpcSecurityGroups ?? []).map((m) => m.VpcSecurityGroupId)),
    ...first.dbInstances.flatMap((i) => (i.VpcSecurityGroups ?? []).map((m) => m.VpcSecurityGroupId)),
  ].filter((id): id is string => !!id && !first.securityGroups.some((g) => g.GroupId === id));
  if (!attached.length) return first;
  const more = await readState(ctx.pool, ctx.profile, ctx.region, { groupIds: attached });
  return { ...first, securityGroups: [...first.securityGroups, ...more.securityGroups], securityGroupRules: [...first.securityGroupRules, ...more.securityGroupRules] };
}

function journalStepOf(step: Step, index: number): JournalStep {
  return { index, explanation: step.explanation, service: step.service, sdkCommand: step.sdkCommand, cli: cliWithValues(step.cli, {}), mutating: step.mutating, status: 'pending' };
}

async function emit(options: RunOptions, event: RunEvent): Promise<void> {
  await options.onStep?.(event);
}

function targetOf(plan: Plan, options: RunOptions): { profile: string; region: string } {
  // A live plan names no profile when its target's credentials came from the environment
  // (AWS_ACCESS_KEY_ID ...): it runs on those again, as its AWS CLI lines would.
  // A member account's plan names the role it runs under: assumed again here, from the same source.
  const role = plan.target.assumedRole;
  const profile = options.profile ?? plan.target.profile ?? (role ? keyOfAssumedRole(role, plan.target.accountName) : ENVIRONMENT_PROFILE);
  const region = options.region ?? plan.target.region;
  if (!region) throw new AwsError('aws-error', 'The plan names no region; pass one (--region).');
  return { profile, region };
}

/** Runs a plan: journaled, checked before each step, verified at the end. With `dryRun`, only checks. */
export async function runPlan(plan: Plan, options: RunOptions): Promise<RunResult> {
  for (const step of plan.steps) checkAllowed(step);
  const { profile, region } = targetOf(plan, options);
  const ctx: Context = { pool: poolFor(options), profile, region, options };
  try {
    if (options.dryRun) return await dryRun(ctx, plan.steps);
    const before = await readWholeState(ctx, queryForSteps(plan.steps));
    const run: JournalRun = {
      version: 1,
      id: newRunId('run', plan.fix),
      kind: 'run',
      createdAt: new Date().toISOString(),
      updatedAt: '',
      status: 'running',
      profile,
      region,
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
      owner: currentOwner(),
      plan,
      before,
      steps: plan.steps.map(journalStepOf),
      produced: {},
    };
    const result = await executeRun(ctx, run, plan.steps);
    if (result.status === 'completed' && options.verify !== false) {
      await recordVerification(options, run, result, () => verifyFindingGone(ctx, plan, run));
    }
    return result;
  } finally {
    if (!options.pool) await ctx.pool.dispose();
  }
}

/** Runs the steps of a journaled run (a plan or a backout), writing the journal before and after each call. */
export async function executeRun(ctx: Context, run: JournalRun, steps: readonly ExecStep[]): Promise<RunResult> {
  const { options } = ctx;
  const file = journalFile(options.journalDir, run.id);
  await writeRun(options.journalDir, run);
  await emit(options, { type: 'run-start', journalId: run.id, journalFile: file, steps: steps.length });
  const finish = async (status: RunStatus, message: string, drift?: string[]): Promise<RunResult> => {
    run.status = status;
    run.message = message;
    await writeRun(options.journalDir, run);
    await emit(options, { type: 'run-end', status, message });
    const result: RunResult = { journalId: run.id, journalFile: file, status, message, steps: run.steps, produced: run.produced };
    if (drift) result.drift = drift;
    return result;
  };

  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    const entry = run.steps[index];
    if (options.signal?.aborted) {
      return finish('cancelled', `Cancelled before step ${index + 1} of ${steps.length}; ${index} step(s) ran. Back out with the journal id ${run.id}.`);
    }
    let input: Record<string, unknown>;
    let preconditions: Precondition[];
    try {
      input = resolveRefs(step.sdkInput, run.produced);
      preconditions = resolveRefs(step.preconditions, run.produced);
    } catch (error) {
      entry.status = 'failed';
      entry.message = (error as Error).message;
      return finish('failed', `Step ${index + 1} cannot run: ${(error as Error).message}`);
    }
    entry.cli = cliWithValues(step.cli, run.produced);
    entry.input = input;

    if (step.mutating && preconditions.length) {
      let state: StateSnapshot;
      try {
        state = await readState(ctx.pool, ctx.profile, ctx.region, queryFor(preconditions));
      } catch (error) {
        const mapped = toAwsError(error, { profile: ctx.profile, region: ctx.region });
        entry.status = 'failed';
        entry.message = `Could not re-read the state before the step: ${mapped.message}`;
        entry.errorCode = mapped.code;
        return finish('failed', `Step ${index + 1}: ${entry.message}`);
      }
      entry.before = state;
      const problems = checkPreconditions(preconditions, state);
      if (problems.length) {
        if (step.tolerant) {
          entry.status = 'skipped';
          entry.message = `Nothing to undo: ${problems.join(' ')}`;
          await writeRun(options.journalDir, run);
          await emit(options, { type: 'step-skipped', index, step: entry, reason: entry.message });
          continue;
        }
        entry.status = 'skipped';
        entry.message = `Stopped: the account changed since the plan was made. ${problems.join(' ')}`;
        await emit(options, { type: 'drift', index, problems });
        return finish('drift', `Step ${index + 1} was not run because the account changed: ${problems.join(' ')}`, problems);
      }
    }

    entry.status = 'running';
    entry.startedAt = new Date().toISOString();
    await writeRun(options.journalDir, run);
    await emit(options, { type: 'step-start', index, step: entry });
    try {
      let output: Record<string, unknown>;
      try {
        // Cancellation waits for a mutating call to finish: aborting it mid-flight would leave
        // its outcome unknown to the journal.
        output = await sendCommand(ctx.pool, ctx.profile, ctx.region, step.service, step.sdkCommand, input, step.mutating ? undefined : options.signal);
      } catch (error) {
        if (!ownRetryLanded(step, error)) throw error;
        output = {};
        entry.message = 'An earlier attempt of this call (retried by the SDK) had already taken effect.';
      }
      const result = resultOf(output);
      if (Object.keys(result).length) entry.result = result;
      if (step.produces) {
        const value = result[step.produces.from];
        if (value === undefined) throw new AwsError('aws-error', `${step.sdkCommand} returned no ${step.produces.from}, which later steps need.`);
        run.produced[step.produces.ref] = value;
      }
      entry.status = 'done';
      entry.finishedAt = new Date().toISOString();
      await writeRun(options.journalDir, run);
    } catch (error) {
      const mapped = toAwsError(error, { profile: ctx.profile, region: ctx.region, action: `${step.service}:${step.sdkCommand.replace(/Command$/, '')}` });
      // AWS answered with an error: the call did not happen. No answer (connection lost):
      // it may have; the step stays 'running' so that a backout undoes it only if it did.
      entry.status = answeredByAws(error) && !ownCreateLanded(step, error) ? 'failed' : 'running';
      entry.finishedAt = new Date().toISOString();
      entry.message = entry.status === 'running' ? `Outcome unknown (no answer from AWS): ${mapped.message}` : mapped.message;
      entry.errorCode = mapped.awsCode ?? mapped.code;
      await writeRun(options.journalDir, run);
      await emit(options, { type: 'step-failed', index, step: entry, message: entry.message });
      const ranBefore = index > 0 || entry.status === 'running';
      return finish(mapped.code === 'cancelled' ? 'cancelled' : 'failed', `Step ${index + 1} failed: ${entry.message}${ranBefore ? ` Back out what ran with the journal id ${run.id}.` : ''}`);
    }
    await emit(options, { type: 'step-done', index, step: entry });
  }
  return finish('completed', `All ${steps.length} step(s) ran.`);
}

/**
 * Runs the final check of a completed run and journals its outcome. A check that cannot be
 * made (the re-read fails, the wait is cancelled) is a failed verification, not an error:
 * the steps did run, and the caller must still get the journal id to back them out.
 */
export async function recordVerification(
  options: RunOptions, run: JournalRun, result: RunResult,
  verify: () => Promise<NonNullable<RunResult['verification']>>,
): Promise<void> {
  try {
    run.verification = await verify();
  } catch (error) {
    const mapped = toAwsError(error, { profile: run.profile, region: run.region });
    run.verification = { ok: false, message: `The steps ran, but the check afterwards could not be made: ${mapped.message}` };
  }
  await writeRun(options.journalDir, run);
  result.verification = run.verification;
  await emit(options, { type: 'verify', ok: run.verification.ok, message: run.verification.message });
}

/** Whether AWS itself answered (an HTTP status came back), so the call certainly did not take effect. */
function answeredByAws(error: unknown): boolean {
  return typeof (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 'number';
}

/**
 * The SDK retried a mutating call whose first attempt had in fact succeeded (the answer was
 * lost): the retry then finds its own work done. The preconditions, checked just before,
 * rule out anyone else having done it.
 */
function ownRetryLanded(step: Step, error: unknown): boolean {
  const attempts = (error as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
  if (attempts < 2) return false;
  const code = awsErrorCode(error);
  return (/^Authorize/.test(step.sdkCommand) && code === 'InvalidPermission.Duplicate')
    || (/^Revoke/.test(step.sdkCommand) && code === 'InvalidPermission.NotFound');
}

/** A retried create-security-group that finds the name taken: the group may be the first attempt's (the backout looks it up by name). */
function ownCreateLanded(step: Step, error: unknown): boolean {
  const attempts = (error as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
  return attempts > 1 && step.sdkCommand === 'CreateSecurityGroupCommand' && awsErrorCode(error) === 'InvalidGroup.Duplicate';
}

/** Checks every step without changing anything: preconditions, and EC2's DryRun. */
async function dryRun(ctx: Context, steps: readonly Step[]): Promise<RunResult> {
  const { options } = ctx;
  const state = await readWholeState(ctx, queryForSteps(steps));
  const journalSteps = steps.map(journalStepOf);
  let ok = true;
  const lines: string[] = [];
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    const entry = journalSteps[index];
    const report = async (passed: boolean, message: string) => {
      if (!passed) ok = false;
      entry.status = passed ? 'done' : 'failed';
      entry.message = message;
      lines.push(`Step ${index + 1}: ${message}`);
      await emit(options, { type: 'dry-run', index, ok: passed, message });
    };
    let input: Record<string, unknown>;
    try {
      input = resolveRefs(step.sdkInput, {});
    } catch (error) {
      if (!(error instanceof UnresolvedRefError)) throw error;
      entry.status = 'skipped';
      entry.message = `not checked: it needs ${error.ref}, which an earlier step creates.`;
      lines.push(`Step ${index + 1}: ${entry.message}`);
      await emit(options, { type: 'dry-run', index, ok: true, message: entry.message });
      continue;
    }
    const checkable = step.preconditions.filter((p) => !JSON.stringify(p).includes('"ref"'));
    const problems = step.mutating ? checkPreconditions(checkable, state) : [];
    if (problems.length) { await report(false, problems.join(' ')); continue; }
    if (step.service !== 'ec2' || !step.mutating) {
      await report(true, step.service === 'rds' ? 'preconditions hold (RDS has no dry run).' : 'read-only.');
      continue;
    }
    try {
      await sendCommand(ctx.pool, ctx.profile, ctx.region, step.service, step.sdkCommand, { ...input, DryRun: true }, options.signal);
      await report(false, 'the dry run was not refused but not confirmed either (no DryRunOperation answer).');
    } catch (error) {
      if (awsErrorCode(error) === 'DryRunOperation') await report(true, 'AWS would accept it (DryRunOperation).');
      else await report(false, toAwsError(error, { profile: ctx.profile, region: ctx.region, action: `ec2:${step.sdkCommand.replace(/Command$/, '')}` }).message);
    }
  }
  const status = ok ? 'dry-run-ok' : 'dry-run-failed';
  const message = ok ? `Dry run: all ${steps.length} step(s) check out; nothing was changed.` : `Dry run found problems; nothing was changed.\n${lines.join('\n')}`;
  await emit(options, { type: 'run-end', status, message });
  return { status, message, steps: journalSteps, produced: {} };
}

/** Waits until RDS has applied group membership and instance changes (they go through adding/removing/modifying). */
function settling(load: Awaited<ReturnType<typeof loadTarget>>): boolean {
  return load.raw.dbClusters.some((c) => (c.VpcSecurityGroups ?? []).some((m) => m.Status === 'adding' || m.Status === 'removing'))
    || load.raw.dbInstances.some((i) => i.DBInstanceStatus === 'modifying');
}

/** Loads the target afresh and runs the rules: the finding the plan fixes must be gone. */
async function verifyFindingGone(ctx: Context, plan: Plan, run: JournalRun): Promise<NonNullable<RunResult['verification']>> {
  const deadline = Date.now() + (ctx.options.settleTimeoutMs ?? 120_000);
  const clusterIds = [...new Set(run.steps.map((s) => s.input?.DBClusterIdentifier).filter((id): id is string => typeof id === 'string'))];
  for (;;) {
    const load = await loadTarget(ctx.pool, ctx.profile, ctx.region, {
      ...(clusterIds.length ? { clusterIds } : {}),
      ...(ctx.options.signal ? { signal: ctx.options.signal } : {}),
    });
    const findings = auditInventory(load.inventory, ctx.options.settings);
    const still = findings.find((f) => f.id === plan.findingId);
    if (!still) return { ok: true, message: `Verified: finding ${plan.findingId} is gone after a fresh read of ${ctx.profile} / ${ctx.region}.` };
    if (!settling(load) || Date.now() > deadline) {
      return { ok: false, message: `The steps ran, but finding ${plan.findingId} is still reported: ${still.message}`, details: [still.title] };
    }
    await sleep(5000, ctx.options.signal);
  }
}

export type { Context as ExecutionContext };
export { poolFor };
