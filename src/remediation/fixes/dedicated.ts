// dedicated-sg, the CIS implementation plan made Aurora-correct: create a group in the
// cluster's VPC with only the inbound rules the database needs (the approved sources and
// the cluster's existing safe database-port sources, so applications keep working), then
// attach it with modify-db-cluster. Backout: the old group list again, then delete the group.

import type { Plan, Step } from '../../model/plan';
import type { Rule, RuleSource, SecurityGroup } from '../../model/types';
import { type PlanContext, clusterOf, groupById } from '../context';
import { PlanError } from '../errors';
import { reachesPort } from '../../rules';
import { describeSource } from '../permissions';
import { parseAllowedSource, unsafeSourceReason } from '../sources';
import { authorizeStep, createGroupStep, deleteGroupStep, modifyClusterGroupsStep } from '../steps';
import { checkGroupName, checkId } from '../validate';

export const NEW_GROUP_REF = 'NEW_GROUP_ID';

interface Carried { source: RuleSource; description: string; why: string }

export function buildDedicatedGroupPlan(ctx: PlanContext): Plan {
  const cluster = clusterOf(ctx);
  if (!cluster) throw new PlanError(`Finding ${ctx.finding.id} is not about a cluster in this inventory; the dedicated-sg fix needs the cluster.`);
  const clusterId = checkId('DB cluster identifier', cluster.clusterId, 'the finding\'s cluster');
  const currentGroups: SecurityGroup[] = cluster.securityGroupIds.map((id) => {
    checkId('security group id', id, `a security group of ${clusterId}`);
    const group = groupById(ctx, id);
    if (!group) throw new PlanError(`Security group ${id} of cluster ${clusterId} is not in the inventory (describe-security-groups); its rules must be known to carry them over.`);
    return group;
  });
  const vpcId = cluster.vpcId ?? currentGroups.find((g) => g.vpcId)?.vpcId;
  if (!vpcId) throw new PlanError(`The VPC of cluster ${clusterId} is unknown (no DB subnet group or group VpcId in the inventory); the new group must be created in it.`);
  checkId('VPC id', vpcId, `the VPC of ${clusterId}`);
  const groupName = checkGroupName(ctx.request.groupName ?? `aurora-sg-${clusterId}`);
  if (ctx.inventory.securityGroups.some((g) => g.groupName === groupName && g.vpcId === vpcId)) {
    throw new PlanError(`A security group named ${JSON.stringify(groupName)} already exists in ${vpcId}; choose another with --group-name.`);
  }
  const port = cluster.port;
  const warnings: string[] = [];

  // Groups that open the database port are replaced (their safe sources are carried over),
  // and so are the VPC's default group and the group the finding is about (a shared one);
  // groups that do not touch the port stay.
  const kept: string[] = [];
  const replaced: SecurityGroup[] = [];
  for (const group of currentGroups) {
    const opensPort = group.rules.some((r) => r.direction === 'ingress' && reachesPort(r, port));
    if (group.groupName === 'default' || opensPort || group.groupId === ctx.finding.groupId) replaced.push(group);
    else kept.push(group.groupId);
  }
  if (replaced.length === 0) {
    throw new PlanError(`No security group of cluster ${clusterId} opens port ${port} or is its VPC's default group; there is nothing for a dedicated group to replace.`);
  }

  const carried = new Map<string, Carried>();
  const given = ctx.request.allow?.length ? ctx.request.allow : ctx.settings.approvedSources;
  for (const raw of given) {
    const { source, note } = parseAllowedSource(raw);
    if (note) warnings.push(note);
    carried.set(`${source.kind}:${source.value.toLowerCase()}`, { source, description: 'Approved source, added by aurora-sg (dedicated-sg)', why: 'an approved source' });
  }
  for (const group of replaced) {
    for (const rule of group.rules) {
      if (rule.direction !== 'ingress' || !reachesPort(rule, port)) continue;
      const key = `${rule.source.kind}:${rule.source.value.toLowerCase()}`;
      if (carried.has(key)) continue;
      const reason = unsafeSourceReason(rule.source, ctx.inventory, ctx.settings);
      if (reason) {
        warnings.push(`Not carried over from ${group.groupId}: ${describeSource(rule)} (${reason}).`);
        continue;
      }
      carried.set(key, {
        source: rule.source,
        description: rule.description ?? `Carried over from ${group.groupId} by aurora-sg`,
        why: `already allowed by ${group.groupId}, so the applications behind it keep working`,
      });
    }
  }
  if (carried.size === 0) {
    warnings.unshift(`The new group allows no inbound traffic: nothing will reach ${clusterId} until you add a source (pass --allow).`);
  }
  warnings.push(`The new group gets AWS's default egress rule (all traffic to 0.0.0.0/0, AURSG-008); apply the egress fix to it afterwards if outbound must be restricted.`);
  if (kept.length) warnings.push(`Kept because they do not open port ${port}: ${kept.join(', ')}.`);

  const newGroup = { ref: NEW_GROUP_REF };
  const newRules: Rule[] = [...carried.values()].map((c) => ({
    groupId: NEW_GROUP_REF, direction: 'ingress', protocol: 'tcp', fromPort: port, toPort: port, source: c.source, description: c.description,
  }));
  const oldIds = cluster.securityGroupIds;
  const steps: Step[] = [
    createGroupStep(ctx.target, groupName, `Dedicated security group for Aurora cluster ${clusterId}, created by aurora-sg`, vpcId, NEW_GROUP_REF,
      `Create the security group ${groupName} in ${vpcId}, dedicated to ${clusterId}; a new group allows no inbound traffic.`),
    ...newRules.map((rule, i) => authorizeStep(ctx.target, rule,
      `Allow tcp ${port} from ${describeSource(rule)} on the new group: ${[...carried.values()][i].why}.`,
      { groupRef: newGroup, preconditions: [] })),
    modifyClusterGroupsStep(ctx.target, clusterId, [newGroup, ...kept],
      `Attach the new group to cluster ${clusterId} in place of ${replaced.map((g) => g.groupId).join(', ')} with modify-db-cluster (on Aurora the security groups belong to the cluster; modify-db-instance would fail with InvalidParameterCombination).`,
      [{ kind: 'clusterGroups', clusterId, groupIds: [...oldIds] }]),
  ];
  const backout: Step[] = [
    modifyClusterGroupsStep(ctx.target, clusterId, [...oldIds],
      `Give cluster ${clusterId} its previous security groups again (${oldIds.join(', ')}).`, []),
    deleteGroupStep(ctx.target, newGroup,
      `Delete the group the remediation created (${groupName}); this can fail with DependencyViolation for a few minutes while RDS detaches it, so retry then.`),
  ];
  return {
    fix: 'dedicated-sg',
    findingId: ctx.finding.id,
    title: `Give cluster ${clusterId} a dedicated security group (${groupName})`,
    summary: `Creates ${groupName} in ${vpcId} with only tcp ${port} from the approved sources and the cluster's existing safe sources, then attaches it with modify-db-cluster. The CIS text uses modify-db-instance, but on Aurora the security groups belong to the cluster: modify-db-instance --vpc-security-group-ids on a cluster member fails with InvalidParameterCombination.`,
    target: ctx.target,
    steps,
    backout,
    warnings,
  };
}
