import type { Plan } from '../model/plan';
import { applicableFixes } from './applicable';
import { contextWarnings, type PlanRequest, planContext } from './context';
import { PlanError } from './errors';
import { buildDedicatedGroupPlan } from './fixes/dedicated';
import { buildEgressPlan } from './fixes/egress';
import { buildPrivatePlan } from './fixes/private';
import { buildRestrictPlan } from './fixes/restrict';
import { buildRevokePlan } from './fixes/revoke';

const BUILDERS = {
  revoke: buildRevokePlan,
  restrict: buildRestrictPlan,
  'dedicated-sg': buildDedicatedGroupPlan,
  private: buildPrivatePlan,
  egress: buildEgressPlan,
} as const;

/** The remediation and backout plan of one fix for one finding; throws PlanError (for the user) when it does not apply. */
export function buildPlan(request: PlanRequest): Plan {
  const { finding, inventory, fix } = request;
  if (!(fix in BUILDERS)) throw new PlanError(`Unknown fix ${JSON.stringify(fix)}; the fixes are ${Object.keys(BUILDERS).join(', ')}.`);
  const fits = applicableFixes(finding, inventory);
  if (!fits.includes(fix)) {
    if (finding.target.kind === 'iac' || inventory.target.kind === 'iac') {
      throw new PlanError(`Finding ${finding.id} comes from an infrastructure-as-code file; change the template instead of running AWS CLI commands.`);
    }
    throw new PlanError(`The ${fix} fix does not apply to ${finding.ruleId} (${finding.title}); ${fits.length ? `applicable fixes: ${fits.join(', ')}` : 'no fix applies to it'}.`);
  }
  const ctx = planContext(request);
  const plan = BUILDERS[fix](ctx);
  plan.warnings.push(...contextWarnings(ctx));
  return plan;
}
