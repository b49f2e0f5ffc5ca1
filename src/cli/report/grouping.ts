// Findings grouped by cluster, worst cluster first, for the table and Markdown reports.

import { type Cluster, type Finding, type Inventory, severityRank } from '../../model/types';

export interface ClusterGroup {
  heading: string;
  detail: string;
  findings: Finding[];
  worst: number;
  cluster?: Cluster;
}

/** One group per cluster (clean ones too), worst first; findings without a cluster last. */
export function clusterGroups(inventory: Inventory, findings: Finding[]): ClusterGroup[] {
  const byCluster = new Map<string, Finding[]>();
  const unattached: Finding[] = [];
  for (const finding of findings) {
    if (!finding.clusterId) { unattached.push(finding); continue; }
    const own = byCluster.get(finding.clusterId);
    if (own) own.push(finding);
    else byCluster.set(finding.clusterId, [finding]);
  }
  const groups: ClusterGroup[] = inventory.clusters.map((cluster) => {
    const own = sortFindings(byCluster.get(cluster.clusterId) ?? []);
    byCluster.delete(cluster.clusterId);
    return { heading: cluster.clusterId, detail: clusterDetail(cluster), findings: own, worst: worstOf(own), cluster };
  });
  // Findings naming a cluster the inventory does not hold (should not happen; never drop them).
  for (const [clusterId, own] of byCluster) groups.push({ heading: clusterId, detail: '', findings: sortFindings(own), worst: worstOf(own) });
  groups.sort((a, b) => b.worst - a.worst || countAt(b.findings, b.worst) - countAt(a.findings, a.worst) || a.heading.localeCompare(b.heading));
  if (unattached.length) {
    groups.push({ heading: 'Security groups not attached to a cluster', detail: 'judged against the database ports of the settings', findings: sortFindings(unattached), worst: worstOf(unattached) });
  }
  return groups;
}

function clusterDetail(cluster: Cluster): string {
  const members = cluster.memberInstanceIds.length;
  return `${cluster.engine}${cluster.engineVersion ? ` ${cluster.engineVersion}` : ''}, port ${cluster.port}, ${members} instance${members === 1 ? '' : 's'}, ${cluster.securityGroupIds.length} security group${cluster.securityGroupIds.length === 1 ? '' : 's'}`;
}

/** Active findings worst first, suppressed ones after them. */
function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => Number(!!a.suppressed) - Number(!!b.suppressed) || severityRank(b.severity) - severityRank(a.severity));
}

function worstOf(findings: Finding[]): number {
  const active = findings.filter((f) => !f.suppressed);
  return active.length ? Math.max(...active.map((f) => severityRank(f.severity))) : -1;
}

function countAt(findings: Finding[], rank: number): number {
  return findings.filter((f) => !f.suppressed && severityRank(f.severity) === rank).length;
}
