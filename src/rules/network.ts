// Findings that need more than a group's rules: whether an instance is reachable from the
// internet (AURSG-009: public flag + internet-gateway route + open group) and whether a
// group is shared with other resources (AURSG-010).

import type { Cluster, Instance, NetworkInterface, Route, RouteTable, Rule, SecurityGroup } from '../model/types';
import { parseCidrCached, type Family } from './cidr';
import { addFinding, addNote, type AuditContext } from './context';
import { describeGroup, describePortList, describeRule, listSome, quote, showId } from './describe';
import type { OpenToAnywhere } from './judgeGroup';

interface RouteIndex {
  bySubnet: Map<string, RouteTable>;
  mainByVpc: Map<string, RouteTable>;
  vpcBySubnet: Map<string, string>;
}

const routeIndexes = new WeakMap<AuditContext, RouteIndex>();

function routeIndex(ctx: AuditContext): RouteIndex {
  let index = routeIndexes.get(ctx);
  if (!index) {
    index = { bySubnet: new Map(), mainByVpc: new Map(), vpcBySubnet: new Map() };
    for (const table of Array.isArray(ctx.inventory.routeTables) ? ctx.inventory.routeTables : []) {
      for (const subnetId of Array.isArray(table.subnetIds) ? table.subnetIds : []) index.bySubnet.set(subnetId, table);
      if (table.main) index.mainByVpc.set(table.vpcId, table);
    }
    for (const subnet of Array.isArray(ctx.inventory.subnets) ? ctx.inventory.subnets : []) index.vpcBySubnet.set(subnet.subnetId, subnet.vpcId);
    routeIndexes.set(ctx, index);
  }
  return index;
}

type RouteVerdict =
  | { kind: 'internet'; table: RouteTable; route: Route; subnetId: string }
  | { kind: 'private' }
  | { kind: 'unknown'; why: string };

/** Whether a subnet sends the family's default route to an internet gateway (explicit table, else the VPC's main table). */
function subnetRoute(ctx: AuditContext, subnetId: string, fallbackVpcId: string | undefined, family: Family): RouteVerdict {
  if (!ctx.inventory.coverage?.routeTables) return { kind: 'unknown', why: 'route tables were not collected' };
  const index = routeIndex(ctx);
  let table = index.bySubnet.get(subnetId);
  if (!table) {
    const vpcId = index.vpcBySubnet.get(subnetId) ?? fallbackVpcId;
    table = vpcId ? index.mainByVpc.get(vpcId) : undefined;
    if (!table) {
      return { kind: 'unknown', why: vpcId
        ? `subnet ${showId(subnetId)} has no route table association and no main route table of ${showId(vpcId)} is in the inventory`
        : `the VPC of subnet ${showId(subnetId)} is not known (subnets were not collected)` };
    }
  }
  for (const route of Array.isArray(table.routes) ? table.routes : []) {
    if (typeof route.target !== 'string' || !route.target.startsWith('igw-') || route.state === 'blackhole') continue;
    const destination = parseCidrCached(String(route.destination));
    if (destination && destination.family === family && destination.prefix === 0) return { kind: 'internet', table, route, subnetId };
  }
  return { kind: 'private' };
}

/** AURSG-009 for each publicly accessible instance of the cluster, per address family the groups open. */
export function judgeInstances(ctx: AuditContext, cluster: Cluster, open: OpenToAnywhere, groupOf: Map<Rule, SecurityGroup>): void {
  const instances = ctx.instancesByCluster.get(cluster.clusterId) ?? [];
  for (const instance of instances) {
    if (instance.publiclyAccessible !== true) continue;
    judgeInstance(ctx, cluster, instance, open, groupOf);
  }
}

function judgeInstance(ctx: AuditContext, cluster: Cluster, instance: Instance, open: OpenToAnywhere, groupOf: Map<Rule, SecurityGroup>): void {
  const unknowns: string[] = [];
  for (const family of [4, 6] as const) {
    const rule = open[family];
    if (!rule) continue;
    const group = groupOf.get(rule);
    const subnetIds = Array.isArray(instance.subnetIds) ? instance.subnetIds : [];
    if (subnetIds.length === 0) { unknowns.push('its subnets are not known'); continue; }
    let internet: Extract<RouteVerdict, { kind: 'internet' }> | undefined;
    for (const subnetId of subnetIds) {
      const verdict = subnetRoute(ctx, subnetId, instance.vpcId ?? cluster.vpcId, family);
      if (verdict.kind === 'internet') { internet = verdict; break; }
      if (verdict.kind === 'unknown') unknowns.push(verdict.why);
    }
    if (!internet) continue;
    addFinding(ctx, {
      ruleId: 'AURSG-009', cluster, group, instance, rule,
      location: instance.location ?? rule.location,
      message: `Instance ${showId(instance.instanceId)} of cluster ${showId(cluster.clusterId)} is reachable from the internet on port ${cluster.port}: `
        + `it is publicly accessible, subnet ${showId(internet.subnetId)} routes ${showId(String(internet.route.destination))} to internet gateway ${showId(internet.route.target)} `
        + `(route table ${showId(internet.table.routeTableId)}), and ${group ? describeGroup(group) : 'a cluster security group'} allows ${describeRule(rule, group?.ownerId)}.`,
    });
    return;
  }
  if (unknowns.length) {
    addNote(ctx, 'warning', `AURSG-009 could not be judged for instance ${showId(instance.instanceId)} of cluster ${showId(cluster.clusterId)}: `
      + `it is publicly accessible and a cluster security group opens ${describePortList([cluster.port])} to any address, but ${[...new Set(unknowns)].join('; ')}.`,
      instance.location);
  }
}

export function isRdsInterface(eni: NetworkInterface): boolean {
  return eni.requesterId === 'amazon-rds' || eni.description === 'RDSNetworkInterface';
}

/** AURSG-010: the group is also attached to another cluster or to a non-RDS network interface. */
export function judgeSharing(ctx: AuditContext, cluster: Cluster, group: SecurityGroup): void {
  const clusters = ctx.clustersByGroup.get(group.groupId) ?? [];
  const interfaces = ctx.interfacesByGroup.get(group.groupId) ?? [];
  if (clusters.length <= 1 && interfaces.length === 0) return; // the common case: a group of one cluster
  const otherClusters = clusters.filter((c) => c.clusterId !== cluster.clusterId);
  const otherInterfaces = interfaces.filter((eni) => !isRdsInterface(eni));
  if (otherClusters.length === 0 && otherInterfaces.length === 0) return;
  const parts: string[] = [];
  if (otherClusters.length) {
    parts.push(`${otherClusters.length === 1 ? 'cluster' : 'clusters'} ${listSome(otherClusters.map((c) => showId(c.clusterId)))}`);
  }
  if (otherInterfaces.length) {
    parts.push(`${otherInterfaces.length === 1 ? 'network interface' : 'network interfaces'} ${listSome(otherInterfaces.map(describeInterface))}`);
  }
  addFinding(ctx, {
    ruleId: 'AURSG-010', cluster, group,
    location: group.location ?? cluster.location,
    message: `${describeGroup(group)} of cluster ${showId(cluster.clusterId)} is shared: it is also attached to ${parts.join(' and ')}, so a change to it changes them too.`,
  });
}

function describeInterface(eni: NetworkInterface): string {
  const what = eni.attachedInstanceId ? `instance ${showId(eni.attachedInstanceId)}` : eni.description ? quote(eni.description) : eni.interfaceType ?? eni.requesterId;
  return what ? `${showId(eni.networkInterfaceId)} (${what})` : showId(eni.networkInterfaceId);
}
