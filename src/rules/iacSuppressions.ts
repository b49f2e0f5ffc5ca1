// Suppressions that IaC files make possible: inline `aurora-sg:ignore` comments, and settings
// entries that name a resource by its address (aws_security_group.db) or logical id. Both match
// by where the finding is declared, since IaC has no AWS ids yet. Pure.

import type { Finding, InlineSuppression, Inventory, Position, SourceRange } from '../model/types';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(outer: SourceRange, inner: SourceRange | undefined): boolean {
  return !!inner && inner.file === outer.file && before(outer.start, inner.start) && before(inner.end, outer.end);
}

/** Where a finding is declared: its own location, its rule's, and those of the rules that make it with it. */
function locationsOf(finding: Finding): (SourceRange | undefined)[] {
  return [finding.location, finding.rule?.location, ...(finding.relatedRules ?? []).map((r) => r.location)];
}

function inlineMatches(suppression: InlineSuppression, finding: Finding): boolean {
  if (!suppression.ruleIds.includes(finding.ruleId)) return false;
  if (suppression.address !== undefined && suppression.address === finding.groupId) return true;
  const [own, rule] = locationsOf(finding);
  // The finding's rule (or, for a finding about a group or cluster, the finding itself) is under the comment.
  return contains(suppression.subject, rule ?? own);
}

/** The inline suppression of an IaC file that covers a finding, if any. */
export function inlineSuppressionFor(inventory: Inventory, finding: Finding): InlineSuppression | undefined {
  const suppressions = inventory.iac?.suppressions;
  return Array.isArray(suppressions) ? suppressions.find((s) => s && inlineMatches(s, finding)) : undefined;
}

/** Whether a finding is about the IaC resource `address`: its group, cluster or instance, or declared inside it. */
export function aboutResource(inventory: Inventory, address: string, finding: Finding): boolean {
  if (finding.groupId === address || finding.clusterId === address || finding.instanceId === address) return true;
  const resources = inventory.iac?.resources;
  if (!Array.isArray(resources)) return false;
  return resources.some((r) => r.address === address && locationsOf(finding).slice(0, 2).some((l) => contains(r.location, l)));
}
