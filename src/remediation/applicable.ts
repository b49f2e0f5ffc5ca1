// Which fixes fit a finding, most targeted first.

import type { Finding, FixKind, Inventory, RuleId } from '../model/types';

/** Findings whose rule is the problem itself: removing or narrowing it fixes them. */
const RULE_FINDINGS: ReadonlySet<RuleId> = new Set<RuleId>(['AURSG-001', 'AURSG-002', 'AURSG-003', 'AURSG-004', 'AURSG-005', 'AURSG-006', 'AURSG-009', 'AURSG-011']);

/** Findings about an instance the internet reaches, or would but for its network ACL: making it private fixes them. */
const INSTANCE_FINDINGS: ReadonlySet<RuleId> = new Set<RuleId>(['AURSG-009', 'AURSG-011']);

export function applicableFixes(finding: Finding, inventory: Inventory): FixKind[] {
  // IaC declares groups that do not exist yet (or exist under other ids): the fix is an edit of the template, not a CLI call.
  if (finding.target.kind === 'iac' || inventory.target.kind === 'iac') return [];
  const fixes: FixKind[] = [];
  if (INSTANCE_FINDINGS.has(finding.ruleId) && finding.instanceId) fixes.push('private');
  if (finding.ruleId === 'AURSG-008' && finding.rule?.direction === 'egress') fixes.push('egress');
  if (RULE_FINDINGS.has(finding.ruleId) && finding.rule?.direction === 'ingress') fixes.push('revoke', 'restrict');
  if (finding.clusterId && inventory.clusters.some((c) => c.clusterId === finding.clusterId) && finding.ruleId !== 'AURSG-008') {
    fixes.push('dedicated-sg');
  }
  return fixes;
}
