// revoke: remove the risky rule(s). Backout: authorize the exact old rule(s), description included.

import type { Plan } from '../../model/plan';
import { type PlanContext, checkRuleIds, findingRules } from '../context';
import { PlanError } from '../errors';
import { describeRule } from '../permissions';
import { authorizeStep, restoreExplanation, revokeExplanation, revokeStep, withoutRuleId } from '../steps';

export function buildRevokePlan(ctx: PlanContext): Plan {
  const rules = findingRules(ctx.finding).map(checkRuleIds);
  if (rules.length === 0) throw new PlanError(`Finding ${ctx.finding.id} (${ctx.finding.ruleId}) is not about a rule; there is nothing to revoke.`);
  const steps = rules.map((rule) => revokeStep(ctx.target, rule, revokeExplanation(rule,
    `it is what finding ${ctx.finding.ruleId} reports.`)));
  const backout = [...rules].reverse().map((rule) => authorizeStep(ctx.target, withoutRuleId(rule), restoreExplanation(rule)));
  const warnings: string[] = [];
  if (rules.some((r) => !r.ruleId)) {
    warnings.push('No security group rule id (sgr-...) is known for a rule, so it is revoked by its exact properties; collect describe-security-group-rules to revoke by id.');
  }
  warnings.push('Anything that connects through these rules loses access; use the restrict fix to keep the sources that need it.');
  return {
    fix: 'revoke',
    findingId: ctx.finding.id,
    title: rules.length === 1 ? `Revoke ${describeRule(rules[0])} on ${rules[0].groupId}` : `Revoke ${rules.length} rules behind ${ctx.finding.ruleId}`,
    summary: `Removes the rule${rules.length === 1 ? '' : 's'} that finding ${ctx.finding.ruleId} reports (${ctx.finding.title}). The backout authorizes the same rule${rules.length === 1 ? '' : 's'} again, descriptions included.`,
    target: ctx.target,
    steps,
    backout,
    warnings,
  };
}
