// Which quick fixes a line offers, for live and evidence findings: one entry per fix and
// subject, however many findings share the rule (an open rule is AURSG-001 and AURSG-009 and
// AURSG-005 at once, and revoking it is one thing to do); the preferred fix keeps connectivity
// (restrict when approved sources are set, else revoke); suppress comes last. Pure.

import { ruleKey } from '../../model/fromAws';
import { SEVERITIES, type Finding, type FixKind } from '../../model/types';
import { ruleLabel } from './presentation';
import { shortTitle } from './severity';

export const FIX_TITLES: Record<FixKind, string> = {
  revoke: 'Revoke the rule',
  restrict: 'Restrict the rule to the approved sources',
  'dedicated-sg': 'Move the cluster to a dedicated security group',
  private: 'Make the instance private',
  egress: 'Restrict egress to the VPC',
};

export interface FixCandidate {
  sourceId: string;
  finding: Finding;
  /** applicableFixes(finding), best first. */
  fixes: FixKind[];
}

export interface QuickFix {
  title: string;
  command: 'auroraSg.generatePlan' | 'auroraSg.suppress';
  /** generatePlan: one ref with its fix; suppress: every finding of the rule id on the line. */
  args: { sourceId: string; findingId: string; fix?: FixKind }[];
  /** Ids of the findings whose diagnostics this entry addresses. */
  findingIds: string[];
  preferred: boolean;
}

/** Findings about the rule itself say best what revoking it means; an instance finding (AURSG-009) is about more. */
const RULE_LEVEL = new Set(['AURSG-001', 'AURSG-002', 'AURSG-003', 'AURSG-004', 'AURSG-005', 'AURSG-006', 'AURSG-008']);

function representativeOrder(a: Finding, b: Finding): number {
  return Number(RULE_LEVEL.has(b.ruleId)) - Number(RULE_LEVEL.has(a.ruleId))
    || (a.relatedRules?.length ?? 0) - (b.relatedRules?.length ?? 0)
    || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
}

/** What a fix acts on: the rule for revoke, restrict and egress; the cluster or the instance for the others. */
function subjectOf(fix: FixKind, finding: Finding): string | undefined {
  switch (fix) {
    case 'dedicated-sg': return finding.clusterId && `cluster:${finding.clusterId}`;
    case 'private': return finding.instanceId && `instance:${finding.instanceId}`;
    default: return finding.rule && `rule:${ruleKey(finding.rule)}`;
  }
}

function fixTitle(fix: FixKind, finding: Finding, approvedSourcesSet: boolean, named: boolean): string {
  switch (fix) {
    case 'revoke': return named && finding.rule ? `Revoke ${ruleLabel(finding.rule)}` : FIX_TITLES.revoke;
    case 'restrict': {
      const base = approvedSourcesSet ? FIX_TITLES.restrict : 'Restrict the rule to sources you choose…';
      return named && finding.rule ? `${base} (${ruleLabel(finding.rule)})` : base;
    }
    case 'dedicated-sg': return finding.clusterId ? `Move ${finding.clusterId} to a dedicated security group` : FIX_TITLES['dedicated-sg'];
    case 'private': return finding.instanceId ? `Make ${finding.instanceId} private` : FIX_TITLES.private;
    case 'egress': return named && finding.rule ? `Restrict ${ruleLabel(finding.rule)} to the VPC` : FIX_TITLES.egress;
  }
}

const FIX_ORDER: FixKind[] = ['restrict', 'revoke', 'private', 'egress', 'dedicated-sg'];

export function quickFixes(candidates: readonly FixCandidate[], approvedSourcesSet: boolean): QuickFix[] {
  const active = candidates.filter((c) => !c.finding.suppressed);
  // fix + subject -> the findings it fixes, the best-suited one first.
  const groups = new Map<string, { fix: FixKind; members: FixCandidate[] }>();
  for (const candidate of active) {
    for (const fix of candidate.fixes) {
      const subject = subjectOf(fix, candidate.finding);
      if (!subject) continue;
      const key = `${fix}|${subject}`;
      const group = groups.get(key);
      if (group) group.members.push(candidate); else groups.set(key, { fix, members: [candidate] });
    }
  }
  const ruleSubjects = new Set([...groups.keys()].filter((k) => k.includes('|rule:')).map((k) => k.slice(k.indexOf('|') + 1)));
  const named = ruleSubjects.size > 1;
  const fixes: QuickFix[] = [...groups.values()].map(({ fix, members }) => {
    const best = [...members].sort((a, b) => representativeOrder(a.finding, b.finding))[0] as FixCandidate;
    return {
      title: fixTitle(fix, best.finding, approvedSourcesSet, named),
      command: 'auroraSg.generatePlan',
      args: [{ sourceId: best.sourceId, findingId: best.finding.id, fix }],
      findingIds: [...new Set(members.map((m) => m.finding.id))],
      preferred: false,
    };
  });
  fixes.sort((a, b) => FIX_ORDER.indexOf(a.args[0]!.fix!) - FIX_ORDER.indexOf(b.args[0]!.fix!) || a.title.localeCompare(b.title));
  // The preferred fix keeps connectivity when it can: restrict to approved sources, else revoke.
  const preferredKind: FixKind | undefined = approvedSourcesSet && fixes.some((f) => f.args[0]!.fix === 'restrict') ? 'restrict'
    : fixes.some((f) => f.args[0]!.fix === 'revoke') ? 'revoke' : fixes[0]?.args[0]!.fix;
  const preferred = fixes.find((f) => f.args[0]!.fix === preferredKind);
  if (preferred) {
    preferred.preferred = true;
    fixes.splice(fixes.indexOf(preferred), 1);
    fixes.unshift(preferred);
  }

  // Suppress, last: one entry per rule id on the line, for all its findings there.
  const byRuleId = new Map<string, FixCandidate[]>();
  for (const candidate of active) {
    const list = byRuleId.get(candidate.finding.ruleId);
    if (list) list.push(candidate); else byRuleId.set(candidate.finding.ruleId, [candidate]);
  }
  const suppressions: QuickFix[] = [...byRuleId.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, members]) => ({
    title: byRuleId.size > 1 ? `Suppress "${shortTitle(members[0]!.finding)}" with a reason…` : 'Suppress with a reason…',
    command: 'auroraSg.suppress',
    args: members.map((m) => ({ sourceId: m.sourceId, findingId: m.finding.id })),
    findingIds: members.map((m) => m.finding.id),
    preferred: false,
  }));
  return [...fixes, ...suppressions];
}
