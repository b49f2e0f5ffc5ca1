// egress: replace the all-traffic egress rule to anywhere with all-traffic egress to the
// VPC's own CIDRs. The VPC rules are added first, so in-VPC traffic never has a gap.
// Backout: authorize the old rule again, then revoke the VPC rules.

import { ruleKey } from '../../model/fromAws';
import type { Plan, Step } from '../../model/plan';
import type { Rule } from '../../model/types';
import { type PlanContext, checkRuleIds, clusterOf, groupById } from '../context';
import { PlanError } from '../errors';
import { describeRule } from '../permissions';
import { authorizeStep, restoreExplanation, revokeExplanation, revokeStep, withoutRuleId } from '../steps';

export function buildEgressPlan(ctx: PlanContext): Plan {
  const rule = ctx.finding.rule;
  if (ctx.finding.ruleId !== 'AURSG-008' || !rule || rule.direction !== 'egress') {
    throw new PlanError(`The egress fix applies to unrestricted egress (AURSG-008), not to ${ctx.finding.ruleId}.`);
  }
  checkRuleIds(rule);
  const group = groupById(ctx, rule.groupId);
  const vpcId = group?.vpcId ?? clusterOf(ctx)?.vpcId;
  if (!vpcId) throw new PlanError(`The VPC of ${rule.groupId} is unknown, so its CIDR cannot be used; collect describe-security-groups with VpcId for it.`);
  const vpc = ctx.inventory.vpcs.find((v) => v.vpcId === vpcId);
  if (!vpc) {
    throw new PlanError(`The CIDR of ${vpcId} is unknown: describe-vpcs is needed (run \`aws ec2 describe-vpcs --vpc-ids ${vpcId}\`, or add describe-vpcs.json to the evidence folder) to restrict egress to the VPC.`);
  }
  const cidrs = rule.source.kind === 'cidr6' ? vpc.ipv6CidrBlocks : vpc.cidrBlocks;
  const existing = new Set(group?.rules.map(ruleKey) ?? []);
  const warnings: string[] = [
    'Traffic from the database to anything outside the VPC stops: Aurora features that call other services (S3 import/export, Lambda, Comprehend, SageMaker) need VPC endpoints or explicit egress rules first.',
  ];
  const added: Rule[] = [];
  for (const cidr of cidrs) {
    const candidate: Rule = {
      groupId: rule.groupId, direction: 'egress', protocol: 'all',
      source: { kind: rule.source.kind === 'cidr6' ? 'cidr6' : 'cidr4', value: cidr },
      description: `Egress within ${vpcId}, added by aurora-sg (egress)`,
    };
    if (existing.has(ruleKey(candidate))) warnings.push(`${rule.groupId} already allows egress to ${cidr}.`);
    else added.push(candidate);
  }
  if (cidrs.length === 0) {
    warnings.push(`${vpcId} has no ${rule.source.kind === 'cidr6' ? 'IPv6' : 'IPv4'} CIDR, so no replacement rule is added for ${rule.source.value}.`);
  }
  const steps: Step[] = [
    ...added.map((r) => authorizeStep(ctx.target, r, `Authorize ${describeRule(r)} on ${r.groupId} first, so traffic inside the VPC keeps flowing.`)),
    revokeStep(ctx.target, rule, revokeExplanation(rule, `egress is now limited to the VPC (${vpcId}).`)),
  ];
  const backout: Step[] = [
    authorizeStep(ctx.target, withoutRuleId(rule), restoreExplanation(rule)),
    ...[...added].reverse().map((r) => revokeStep(ctx.target, r, `Revoke ${describeRule(r)} on ${r.groupId}, the rule the remediation added.`)),
  ];
  return {
    fix: 'egress',
    findingId: ctx.finding.id,
    title: `Restrict egress of ${rule.groupId} to ${vpcId}`,
    summary: `Replaces ${describeRule(rule)} on ${rule.groupId} with egress to the CIDRs of ${vpcId} only (CIS: restrict outbound if necessary). The VPC rules are added before the old rule is revoked.`,
    target: ctx.target,
    steps,
    backout,
    warnings,
  };
}
