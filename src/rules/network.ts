// AURSG-010: whether a group is shared with other resources. (Whether an instance is reachable
// from the internet, AURSG-009 and AURSG-011, is reachability.ts.)

import type { Cluster, NetworkInterface, SecurityGroup } from '../model/types';
import { addFinding, type AuditContext } from './context';
import { describeGroup, listSome, quote, showId } from './describe';

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
