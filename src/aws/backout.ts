// Backs out a journaled run: the exact reverse of the steps that ran (real ids, exact old
// rules with their descriptions), computed from the journal, not from the plan alone.
// A step whose outcome is unknown (the process died during the call) is undone only if
// it took effect.

import type { AwsIpPermission } from '../model/awsShapes';
import { ruleFromSecurityGroupRule, ruleKey, rulesFromPermission } from '../model/fromAws';
import type { Precondition, Step } from '../model/plan';
import type { Rule } from '../model/types';
import { AwsError } from './errors';
import { executeRun, poolFor, recordVerification, type ExecStep, type ExecutionContext, type RunOptions, type RunResult } from './executor';
import { currentOwner, mayStillBeRunning, newRunId, readRun, writeRun, type JournalRun, type JournalStep } from './journal';
import { describeRuleBriefly } from './preconditions';
import { assumedRoleOf, namedProfile } from './credentialsKey';
import { clusterGroupIds, diffNormalised, normaliseSnapshot, permissionOfRule, readState, rulesOfGroup, type StateSnapshot } from './state';

/** Looks up a group by name in a VPC (the id of a group whose create call's answer was lost). */
export type GroupLookup = (groupName: string, vpcId: string) => Promise<string | undefined>;

function targetArgs(run: JournalRun): string[] {
  const profile = namedProfile(run.profile);
  return ['--region', run.region, ...(profile ? ['--profile', profile] : [])];
}

function rulesOfPermissions(groupId: string, direction: 'ingress' | 'egress', permissions: AwsIpPermission[]): Rule[] {
  return permissions.flatMap((p, i) => rulesFromPermission(groupId, direction, p, [i], { notes: [] }));
}

/** The old rules a revoke removed, exactly as they were (descriptions included). */
function oldRulesOf(step: JournalStep, state: StateSnapshot, groupId: string, direction: 'ingress' | 'egress'): Rule[] {
  const input = step.input ?? {};
  const ids = input.SecurityGroupRuleIds as string[] | undefined;
  if (ids?.length) {
    return ids.map((id) => {
      const raw = state.securityGroupRules.find((r) => r.SecurityGroupRuleId === id);
      const rule = raw ? ruleFromSecurityGroupRule(raw) : undefined;
      if (!rule) throw new AwsError('aws-error', `The journal does not hold rule ${id} as it was before step ${step.index + 1}; it cannot be restored exactly.`);
      return rule;
    });
  }
  const wanted = rulesOfPermissions(groupId, direction, (input.IpPermissions as AwsIpPermission[]) ?? []);
  const existing = rulesOfGroup(state, groupId) ?? [];
  return wanted.map((rule) => existing.find((r) => ruleKey(r) === ruleKey(rule)) ?? rule);
}

function undoStepFor(run: JournalRun, step: JournalStep, lookup: Map<number, string | undefined>): ExecStep | undefined {
  const input = step.input ?? {};
  const uncertain = step.status === 'running';
  const state = step.before ?? run.before;
  const tail = targetArgs(run);
  const base = { mutating: true, tolerant: uncertain } as const;
  const ingress = /Ingress/.test(step.sdkCommand);
  const direction = ingress ? 'ingress' : 'egress';
  const groupId = input.GroupId as string;

  switch (step.sdkCommand) {
    case 'AuthorizeSecurityGroupIngressCommand':
    case 'AuthorizeSecurityGroupEgressCommand': {
      const added = rulesOfPermissions(groupId, direction, (input.IpPermissions as AwsIpPermission[]) ?? []);
      const preconditions: Precondition[] = added.map((rule) => ({ kind: 'ruleExists', rule }));
      const operation = ingress ? 'revoke-security-group-ingress' : 'revoke-security-group-egress';
      const sdkCommand = ingress ? 'RevokeSecurityGroupIngressCommand' : 'RevokeSecurityGroupEgressCommand';
      const ids = step.result?.SecurityGroupRuleIds;
      const what = added.map(describeRuleBriefly).join('; ');
      if (ids?.length && !uncertain) {
        return { ...base, service: 'ec2', sdkCommand, preconditions, explanation: `Revoke the rule(s) step ${step.index + 1} added to ${groupId}: ${what}.`,
          cli: ['aws', 'ec2', operation, '--group-id', groupId, '--security-group-rule-ids', ...ids, ...tail],
          sdkInput: { GroupId: groupId, SecurityGroupRuleIds: ids } };
      }
      const permissions = added.map((r) => permissionOfRule(r, false));
      return { ...base, service: 'ec2', sdkCommand, preconditions, explanation: `Revoke the rule(s) step ${step.index + 1} added to ${groupId}: ${what}.`,
        cli: ['aws', 'ec2', operation, '--group-id', groupId, '--ip-permissions', JSON.stringify(permissions), ...tail],
        sdkInput: { GroupId: groupId, IpPermissions: permissions } };
    }
    case 'RevokeSecurityGroupIngressCommand':
    case 'RevokeSecurityGroupEgressCommand': {
      const old = oldRulesOf(step, state, groupId, direction);
      const permissions = old.map((r) => permissionOfRule(r, true));
      const operation = ingress ? 'authorize-security-group-ingress' : 'authorize-security-group-egress';
      return { ...base, service: 'ec2', sdkCommand: ingress ? 'AuthorizeSecurityGroupIngressCommand' : 'AuthorizeSecurityGroupEgressCommand',
        explanation: `Authorize again the exact rule(s) step ${step.index + 1} revoked on ${groupId}, descriptions included: ${old.map(describeRuleBriefly).join('; ')}.`,
        preconditions: old.map((rule) => ({ kind: 'ruleAbsent', rule: { ...rule, ruleId: undefined } })),
        cli: ['aws', 'ec2', operation, '--group-id', groupId, '--ip-permissions', JSON.stringify(permissions), ...tail],
        sdkInput: { GroupId: groupId, IpPermissions: permissions } };
    }
    case 'CreateSecurityGroupCommand': {
      const created = step.result?.GroupId ?? lookup.get(step.index);
      if (!created) return undefined; // the call never created the group
      return { ...base, tolerant: false, service: 'ec2', sdkCommand: 'DeleteSecurityGroupCommand', preconditions: [],
        explanation: `Delete the group step ${step.index + 1} created (${created}, "${String(input.GroupName)}").`,
        cli: ['aws', 'ec2', 'delete-security-group', '--group-id', created, ...tail],
        sdkInput: { GroupId: created } };
    }
    case 'ModifyDBClusterCommand': {
      const clusterId = input.DBClusterIdentifier as string;
      const was = state.dbClusters.find((c) => c.DBClusterIdentifier === clusterId);
      if (!was) throw new AwsError('aws-error', `The journal does not hold cluster ${clusterId} as it was; its groups cannot be restored.`);
      const old = clusterGroupIds(was);
      const now = (input.VpcSecurityGroupIds as string[]) ?? [];
      return { ...base, service: 'rds', sdkCommand: 'ModifyDBClusterCommand',
        explanation: `Give cluster ${clusterId} back its previous security groups (${old.join(', ')}).`,
        preconditions: [{ kind: 'clusterGroups', clusterId, groupIds: now }],
        cli: ['aws', 'rds', 'modify-db-cluster', '--db-cluster-identifier', clusterId, '--vpc-security-group-ids', ...old, '--apply-immediately', ...tail],
        sdkInput: { DBClusterIdentifier: clusterId, VpcSecurityGroupIds: old, ApplyImmediately: true } };
    }
    case 'ModifyDBInstanceCommand': {
      const instanceId = input.DBInstanceIdentifier as string;
      if (typeof input.PubliclyAccessible !== 'boolean') throw new AwsError('aws-error', `Step ${step.index + 1} changed instance ${instanceId} in a way aurora-sg cannot undo.`);
      const was = state.dbInstances.find((i) => i.DBInstanceIdentifier === instanceId);
      const old = was ? was.PubliclyAccessible === true : !input.PubliclyAccessible;
      return { ...base, service: 'rds', sdkCommand: 'ModifyDBInstanceCommand',
        explanation: `Make instance ${instanceId} ${old ? 'publicly accessible' : 'private'} again, as it was.`,
        preconditions: [{ kind: 'instancePublic', instanceId, publiclyAccessible: input.PubliclyAccessible }],
        cli: ['aws', 'rds', 'modify-db-instance', '--db-instance-identifier', instanceId, old ? '--publicly-accessible' : '--no-publicly-accessible', '--apply-immediately', ...tail],
        sdkInput: { DBInstanceIdentifier: instanceId, PubliclyAccessible: old, ApplyImmediately: true } };
    }
    case 'DeleteSecurityGroupCommand':
      throw new AwsError('aws-error', `Step ${step.index + 1} deleted ${groupId}; a deleted group cannot be brought back with its id.`);
    default:
      if (step.mutating) throw new AwsError('aws-error', `Step ${step.index + 1} (${step.sdkCommand}) cannot be undone by aurora-sg.`);
      return undefined;
  }
}

/**
 * The steps that undo a run, newest first: only steps that ran ('done'), plus steps whose
 * call may or may not have happened ('running'), which are undone only if they did.
 */
export async function computeBackoutSteps(run: JournalRun, lookupGroup: GroupLookup): Promise<ExecStep[]> {
  const lookup = new Map<number, string | undefined>();
  for (const step of run.steps) {
    if (step.sdkCommand === 'CreateSecurityGroupCommand' && step.status === 'running' && !step.result?.GroupId && step.input) {
      lookup.set(step.index, await lookupGroup(String(step.input.GroupName), String(step.input.VpcId)));
    }
  }
  const ran = run.steps.filter((s) => s.status === 'done' || s.status === 'running').reverse();
  return ran.map((s) => undoStepFor(run, s, lookup)).filter((s): s is ExecStep => !!s);
}

export interface BackoutPreview {
  original: JournalRun;
  /** The steps the backout would run, in order; each with its AWS CLI argv. */
  steps: ExecStep[];
}

function checkBackoutable(original: JournalRun, journalId: string): void {
  if (original.kind === 'backout') throw new AwsError('aws-error', `${journalId} is itself a backout; run the original plan again instead.`);
  if (mayStillBeRunning(original)) {
    const who = original.owner ? ` (process ${original.owner.pid} on ${original.owner.host})` : '';
    throw new AwsError('aws-error', `${journalId} is still running${who}. Let it end, cancel it, or stop that process first.`);
  }
}

async function computeFor(ctx: ExecutionContext, original: JournalRun): Promise<ExecStep[]> {
  return computeBackoutSteps(original, async (groupName, vpcId) => {
    const state = await readState(ctx.pool, ctx.profile, ctx.region, { groupNames: [{ groupName, vpcId }] });
    return state.securityGroups[0]?.GroupId;
  });
}

function contextFor(original: JournalRun, options: RunOptions): ExecutionContext {
  const endpointUrl = options.endpointUrl ?? original.endpointUrl;
  const runOptions: RunOptions = { ...options, ...(endpointUrl ? { endpointUrl } : {}) };
  return { pool: poolFor(runOptions), profile: options.profile ?? original.profile, region: options.region ?? original.region, options: runOptions };
}

/** The steps a backout of this run would take, without running them (for showing before asking). */
export async function planBackout(journalId: string, options: RunOptions): Promise<BackoutPreview> {
  const original = await readRun(options.journalDir, journalId);
  checkBackoutable(original, journalId);
  const ctx = contextFor(original, options);
  try {
    return { original, steps: await computeFor(ctx, original) };
  } finally {
    if (!options.pool) await ctx.pool.dispose();
  }
}

/** Backs out a run from its journal, journals the backout (linked to the run), and checks the account is as it was. */
export async function backoutRun(journalId: string, options: RunOptions): Promise<RunResult> {
  const original = await readRun(options.journalDir, journalId);
  checkBackoutable(original, journalId);
  const ctx = contextFor(original, options);
  const { profile, region } = ctx;
  const endpointUrl = ctx.options.endpointUrl;
  try {
    const steps = await computeFor(ctx, original);
    const createdGroups = original.steps.map((s) => s.result?.GroupId).filter((id): id is string => !!id);
    const plan = {
      fix: original.plan.fix,
      findingId: original.plan.findingId,
      title: `Backout of ${original.id}: ${original.plan.title}`,
      summary: `Undoes the ${steps.length} step(s) of run ${original.id} that changed the account, newest first, from its journal.`,
      // The credentials key as a plan target: a named profile, or a member account's role (never a key as --profile).
      target: {
        ...(namedProfile(profile) ? { profile } : {}), region,
        ...(assumedRoleOf(profile) ? { assumedRole: assumedRoleOf(profile)!, accountId: original.plan.target.accountId, accountName: original.plan.target.accountName } : {}),
      },
      steps: steps as Step[],
      backout: [],
      warnings: [],
    };
    const run: JournalRun = {
      version: 1,
      id: newRunId('backout', original.plan.fix),
      kind: 'backout',
      backoutOf: original.id,
      createdAt: new Date().toISOString(),
      updatedAt: '',
      status: 'running',
      profile,
      region,
      ...(endpointUrl ? { endpointUrl } : {}),
      owner: currentOwner(),
      plan,
      before: original.before,
      steps: steps.map((step, index) => ({ index, explanation: step.explanation, service: step.service, sdkCommand: step.sdkCommand, cli: step.cli as string[], mutating: true, status: 'pending' })),
      produced: {},
    };
    original.backedOutBy = [...(original.backedOutBy ?? []), run.id];
    await writeRun(options.journalDir, original);
    const result = await executeRun(ctx, run, steps);
    if (result.status === 'completed' && options.verify !== false) {
      await recordVerification(ctx.options, run, result, () => verifyRestored(ctx, original, createdGroups));
    }
    return result;
  } finally {
    if (!options.pool) await ctx.pool.dispose();
  }
}

/** Re-reads what the run touched and compares it with the journal's "before": it must be equal, and created groups gone. */
async function verifyRestored(ctx: ExecutionContext, original: JournalRun, createdGroups: string[]): Promise<NonNullable<RunResult['verification']>> {
  const before = original.before;
  const now = await readState(ctx.pool, ctx.profile, ctx.region, {
    groupIds: [...before.securityGroups.map((g) => g.GroupId).filter((id): id is string => !!id), ...createdGroups],
    clusterIds: before.dbClusters.map((c) => c.DBClusterIdentifier).filter((id): id is string => !!id),
    instanceIds: before.dbInstances.map((i) => i.DBInstanceIdentifier).filter((id): id is string => !!id),
  });
  const details = diffNormalised(normaliseSnapshot(before), normaliseSnapshot(now));
  if (!details.length) return { ok: true, message: `Verified: the groups, clusters and instances run ${original.id} touched are as they were before it.` };
  return { ok: false, message: `The backout ran, but the account differs from before run ${original.id} in ${details.length} place(s).`, details };
}
