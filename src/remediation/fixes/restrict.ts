// restrict: allow the approved sources on the database port first, then revoke the risky
// rule, so connectivity from the approved sources never has a gap. Backout: authorize the
// old rule again, then revoke the new ones.

import { ruleKey } from '../../model/fromAws';
import type { Plan, Step } from '../../model/plan';
import type { Rule, RuleSource } from '../../model/types';
import { type PlanContext, checkRuleIds, databasePorts, findingRules, groupById } from '../context';
import { PlanError } from '../errors';
import { describeRule, describeSource } from '../permissions';
import { parseAllowedSource } from '../sources';
import { isAnywhere } from '../../rules';
import { authorizeStep, restoreExplanation, revokeExplanation, revokeStep, withoutRuleId } from '../steps';

/** The sources to allow: --allow, else the approved sources, else (AURSG-005 only) the rule's own source on the DB port. */
function allowedSources(ctx: PlanContext, risky: Rule[], warnings: string[]): RuleSource[] {
  const given = ctx.request.allow?.length ? ctx.request.allow : ctx.settings.approvedSources;
  if (given.length) {
    return given.map((raw) => {
      const { source, note } = parseAllowedSource(raw);
      if (note) warnings.push(note);
      return source;
    });
  }
  // Any /0 spelling (::0/0 in a hand-edited evidence file too): narrowing its ports would keep the database open to everyone.
  if (ctx.finding.ruleId === 'AURSG-005' && risky.every((r) => !isAnywhere(r.source.value))) {
    // The rule's source is fine; only its port range is too wide: narrow it to the DB port.
    return risky.map((r) => r.source);
  }
  throw new PlanError('The restrict fix needs the sources that should keep access: pass --allow CIDR|sg-...|pl-... (repeatable) or set approved sources in the settings.');
}

export function buildRestrictPlan(ctx: PlanContext): Plan {
  const risky = findingRules(ctx.finding).filter((r) => r.direction === 'ingress').map(checkRuleIds);
  if (risky.length === 0) throw new PlanError(`Finding ${ctx.finding.id} (${ctx.finding.ruleId}) is not about an inbound rule; there is nothing to restrict.`);
  const warnings: string[] = [];
  const sources = allowedSources(ctx, risky, warnings);
  const riskyKeys = new Set(risky.map(ruleKey));
  const added: Rule[] = [];
  const addedKeys = new Set<string>();
  for (const rule of risky) {
    const group = groupById(ctx, rule.groupId);
    const existing = new Set(group?.rules.map(ruleKey) ?? []);
    for (const port of databasePorts(ctx, rule)) {
      for (const source of sources) {
        const candidate: Rule = {
          groupId: rule.groupId, direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, source,
          description: `Approved source for the database port, added by aurora-sg (restrict)`,
        };
        const key = ruleKey(candidate);
        if (riskyKeys.has(key)) {
          throw new PlanError(`Allowing ${describeSource(candidate)} on port ${port} would re-create the rule being restricted (${describeRule(rule)}); choose narrower sources.`);
        }
        if (addedKeys.has(key)) continue;
        if (existing.has(key)) {
          warnings.push(`${rule.groupId} already allows ${describeSource(candidate)} on tcp ${port}; no new rule is needed for it.`);
          continue;
        }
        addedKeys.add(key);
        added.push(candidate);
      }
    }
  }
  warnings.push(`Clients that reach the database through ${risky.length === 1 ? 'this rule' : 'these rules'} from outside the allowed sources lose access.`);
  const steps: Step[] = [
    ...added.map((rule) => authorizeStep(ctx.target, rule,
      `Authorize ${describeRule(rule)} on ${rule.groupId} first, so the approved source keeps its access before the risky rule goes.`)),
    ...risky.map((rule) => revokeStep(ctx.target, rule, revokeExplanation(rule, `the approved sources are now allowed on their own, so the broader rule (${ctx.finding.ruleId}) can go.`))),
  ];
  const backout: Step[] = [
    ...[...risky].reverse().map((rule) => authorizeStep(ctx.target, withoutRuleId(rule), restoreExplanation(rule))),
    ...[...added].reverse().map((rule) => revokeStep(ctx.target, rule, `Revoke ${describeRule(rule)} on ${rule.groupId}, the rule the remediation added.`)),
  ];
  return {
    fix: 'restrict',
    findingId: ctx.finding.id,
    title: `Restrict ${describeRule(risky[0])} on ${risky[0].groupId} to ${sources.map((s) => describeSource({ source: s })).join(', ')}`,
    summary: `Replaces the rule${risky.length === 1 ? '' : 's'} behind ${ctx.finding.ruleId} with rules that allow only the approved sources on the database port. The new rules are added before the old ${risky.length === 1 ? 'one is' : 'ones are'} revoked, so approved clients never lose access.`,
    target: ctx.target,
    steps,
    backout,
    warnings,
  };
}
