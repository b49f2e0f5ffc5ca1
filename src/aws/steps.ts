// Sending one plan step through the SDK: filling in values earlier steps produced, the
// allow-list of commands a plan may run, and reading back what a backout needs.

import type { Arg, AwsService, Step } from '../model/plan';
import { isArgRef } from '../model/plan';
import type { ClientPool } from './clients';
import { AwsError } from './errors';
import { ec2Sdk, rdsSdk } from './sdk';

/** The commands a plan (or a backout) may run; anything else in a plan file is refused. */
export const ALLOWED_COMMANDS: Record<AwsService, ReadonlySet<string>> = {
  ec2: new Set([
    'AuthorizeSecurityGroupIngressCommand', 'AuthorizeSecurityGroupEgressCommand',
    'RevokeSecurityGroupIngressCommand', 'RevokeSecurityGroupEgressCommand',
    'CreateSecurityGroupCommand', 'DeleteSecurityGroupCommand', 'CreateTagsCommand',
    'DescribeSecurityGroupsCommand', 'DescribeSecurityGroupRulesCommand',
  ]),
  rds: new Set(['ModifyDBClusterCommand', 'ModifyDBInstanceCommand', 'DescribeDBClustersCommand', 'DescribeDBInstancesCommand']),
};

export type Produced = Record<string, string | string[]>;

export class UnresolvedRefError extends Error {
  constructor(readonly ref: string) {
    super(`The value "${ref}" is produced by an earlier step that has not run.`);
  }
}

/** Replaces every ArgRef in a value (deeply) with what earlier steps produced; a list value is spliced into arrays. */
export function resolveRefs<T>(value: T, produced: Produced): T {
  const resolve = (v: unknown): unknown => {
    if (isArgRef(v)) {
      const got = produced[v.ref];
      if (got === undefined) throw new UnresolvedRefError(v.ref);
      return got;
    }
    if (Array.isArray(v)) {
      return v.flatMap((item) => {
        const r = resolve(item);
        return isArgRef(item) && Array.isArray(r) ? r : [r];
      });
    }
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  return resolve(value) as T;
}

/** The CLI argv with produced values filled in where known, `$REF` where not (for display and the journal). */
export function cliWithValues(cli: readonly Arg[], produced: Produced): string[] {
  return cli.flatMap((arg) => {
    if (!isArgRef(arg)) return [arg];
    const value = produced[arg.ref];
    if (value === undefined) return [`$${arg.ref}`];
    return Array.isArray(value) ? value : [value];
  });
}

export function checkAllowed(step: Pick<Step, 'service' | 'sdkCommand'>): void {
  if (!ALLOWED_COMMANDS[step.service]?.has(step.sdkCommand)) {
    throw new AwsError('aws-error', `A plan step asks for ${step.service}:${step.sdkCommand}, which aurora-sg does not run.`);
  }
}

/** Sends one command by its SDK class name. */
export async function sendCommand(
  pool: ClientPool, profile: string, region: string,
  service: AwsService, sdkCommand: string, input: Record<string, unknown>, signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  checkAllowed({ service, sdkCommand });
  const module = (service === 'ec2' ? await ec2Sdk() : await rdsSdk()) as unknown as Record<string, new (input: unknown) => unknown>;
  const Command = module[sdkCommand];
  const client = service === 'ec2' ? await pool.ec2(profile, region) : await pool.rds(profile, region);
  const send = client.send.bind(client) as (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<Record<string, unknown>>;
  return send(new Command(input), signal ? { abortSignal: signal } : undefined);
}

/** What a call returned that later steps and backouts need: the new group id, the new rule ids. */
export function resultOf(output: Record<string, unknown>): { GroupId?: string; SecurityGroupRuleIds?: string[] } {
  const result: { GroupId?: string; SecurityGroupRuleIds?: string[] } = {};
  if (typeof output.GroupId === 'string') result.GroupId = output.GroupId;
  const rules = output.SecurityGroupRules;
  if (Array.isArray(rules)) {
    const ids = rules.map((r) => (r as { SecurityGroupRuleId?: string }).SecurityGroupRuleId).filter((id): id is string => !!id);
    if (ids.length) result.SecurityGroupRuleIds = ids;
  }
  return result;
}
