// What every plan builder needs: the request, the finding's cluster, group and rules, the
// target the commands run against, and the settings that apply.

import type { AuditSettings } from '../model/settings';
import type { Cluster, Finding, FixKind, Inventory, Rule, SecurityGroup } from '../model/types';
import { parseArn, ruleKey } from '../model/fromAws';
import { PlanError } from './errors';
import type { PlanTarget } from './steps';
import { checkAssumedRole, checkId, checkProfile } from './validate';
import { completeSettings, databasePortsFor, reachesPort } from '../rules';
import { describeRule } from './permissions';

export interface PlanRequest {
  finding: Finding;
  inventory: Inventory;
  fix: FixKind;
  /** Sources to allow (restrict, dedicated-sg): CIDRs, sg-... or pl-...; overrides the approved sources. */
  allow?: string[];
  /** Name of the group dedicated-sg creates (default aurora-sg-CLUSTER). */
  groupName?: string;
  /** Approved sources, broad-CIDR thresholds and database ports; defaults apply when absent. */
  settings?: Partial<AuditSettings>;
}

export interface PlanContext {
  request: PlanRequest;
  finding: Finding;
  inventory: Inventory;
  settings: AuditSettings;
  target: PlanTarget;
}

export function planContext(request: PlanRequest): PlanContext {
  const { finding, inventory } = request;
  const settings = completeSettings(request.settings);
  const target: PlanTarget = {};
  const profile = finding.target.profile ?? inventory.target.profile;
  // The cluster's ARN names its region and account when the target does not (an evidence folder).
  const fromArn = parseArn(finding.clusterId ? inventory.clusters.find((c) => c.clusterId === finding.clusterId)?.arn : undefined);
  const region = finding.target.region ?? inventory.target.region ?? fromArn.region;
  const accountId = finding.target.accountId ?? inventory.target.accountId ?? fromArn.accountId;
  if (profile) target.profile = checkProfile(profile);
  if (region) target.region = checkId('region', region, 'the finding\'s target');
  if (accountId) target.accountId = accountId;
  const accountName = finding.target.accountName ?? inventory.target.accountName;
  if (accountName) target.accountName = accountName;
  const role = finding.target.assumedRole ?? inventory.target.assumedRole;
  if (role) target.assumedRole = checkAssumedRole(role, accountId);
  return { request, finding, inventory, settings, target };
}

/** Warnings every plan carries, about where its facts came from. */
export function contextWarnings(ctx: PlanContext): string[] {
  const warnings: string[] = [];
  if (!ctx.target.region) {
    warnings.push('The region is unknown, so the commands carry no --region: the AWS CLI will use your default region. Add --region or set AWS_REGION before running them.');
  }
  if (ctx.inventory.target.kind === 'evidence') {
    warnings.push(`Built from saved evidence (${ctx.inventory.target.label}), not a live read: the account may have changed since. A run from a live read re-checks every step before it changes anything; a script does not.`);
  }
  return warnings;
}

export function clusterOf(ctx: PlanContext): Cluster | undefined {
  const id = ctx.finding.clusterId;
  return id ? ctx.inventory.clusters.find((c) => c.clusterId === id) : undefined;
}

export function groupById(ctx: PlanContext, groupId: string): SecurityGroup | undefined {
  return ctx.inventory.securityGroups.find((g) => g.groupId === groupId);
}

/** The finding's rule and the rules that make it together with it (0.0.0.0/1 + 128.0.0.0/1), once each. */
export function findingRules(finding: Finding): Rule[] {
  const seen = new Set<string>();
  const rules: Rule[] = [];
  for (const rule of [finding.rule, ...(finding.relatedRules ?? [])]) {
    if (!rule) continue;
    const key = ruleKey(rule);
    if (seen.has(key)) continue;
    seen.add(key);
    rules.push(rule);
  }
  return rules;
}

/** Validates every id of a rule that will become a command argument. */
export function checkRuleIds(rule: Rule): Rule {
  checkId('security group id', rule.groupId, `rule ${rule.direction} of ${rule.groupId}`);
  if (rule.ruleId) checkId('security group rule id', rule.ruleId, `rule of ${rule.groupId}`);
  return rule;
}

/**
 * The database ports a rule is judged against: the cluster's real port, or for findings
 * without a cluster (evidence files, IaC) the configured database ports the rule reaches.
 */
export function databasePorts(ctx: PlanContext, rule: Rule): number[] {
  const cluster = clusterOf(ctx);
  if (cluster) return [cluster.port];
  const ports = databasePortsFor(ctx.inventory, ctx.settings);
  const reached = ports.filter((p) => reachesPort(rule, p));
  if (reached.length === 0) {
    throw new PlanError(`The rule ${describeRule(rule)} on ${rule.groupId} reaches none of the database ports (${ports.join(', ')}); there is no database port to restrict it to.`);
  }
  return reached;
}
