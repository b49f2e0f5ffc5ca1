// private: turn off PubliclyAccessible on the instance the finding is about. Backout: turn it on again.

import type { Plan } from '../../model/plan';
import type { PlanContext } from '../context';
import { PlanError } from '../errors';
import { modifyInstancePublicStep } from '../steps';
import { checkId } from '../validate';

export function buildPrivatePlan(ctx: PlanContext): Plan {
  const instanceId = ctx.finding.instanceId;
  if (!instanceId) throw new PlanError(`Finding ${ctx.finding.id} (${ctx.finding.ruleId}) is not about a DB instance; the private fix applies to publicly accessible instances.`);
  checkId('DB instance identifier', instanceId, `finding ${ctx.finding.id}`);
  const instance = ctx.inventory.instances.find((i) => i.instanceId === instanceId);
  if (instance && !instance.publiclyAccessible) throw new PlanError(`DB instance ${instanceId} is already not publicly accessible.`);
  return {
    fix: 'private',
    findingId: ctx.finding.id,
    title: `Make DB instance ${instanceId} private`,
    summary: `Turns off PubliclyAccessible on ${instanceId}, so its endpoint resolves to its private address only and the internet cannot reach it, whatever its security groups allow. It is a per-instance setting, also on Aurora.`,
    target: ctx.target,
    steps: [modifyInstancePublicStep(ctx.target, instanceId, false,
      `Make ${instanceId} not publicly accessible, so it has no public address while its subnets route to an internet gateway.`)],
    backout: [modifyInstancePublicStep(ctx.target, instanceId, true,
      `Make ${instanceId} publicly accessible again, as it was before.`)],
    warnings: [
      `Clients that reach ${instanceId} from outside its VPC (over the internet) lose access; they need a VPN, peering or a bastion inside the VPC.`,
      'The change applies within minutes; the endpoint name stays the same, but it resolves to the private address.',
    ],
  };
}
