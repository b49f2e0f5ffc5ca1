// AURSG-001 and AURSG-002 for CIDR sources that only together cover a whole address family
// (0.0.0.0/1 + 128.0.0.0/1). A cluster's network interfaces admit the union of the rules of
// all its groups (design.md section 10), so a cluster's groups are judged together: halves in
// two groups are anywhere too. Rules that are a /0 by themselves, or prefix lists that cover
// the family by themselves, are reported by judgeGroup and left out here: what remains is the
// exposure that would still be there after fixing them.

import { ruleKey } from '../model/fromAws';
import type { Cluster, Rule, SecurityGroup } from '../model/types';
import { coversFamily, parseCidrCached, type Family, type ParsedCidr } from './cidr';
import { addFinding, insideVpc, prefixListVerdict, type AuditContext } from './context';
import { describeGroup, describeGroups, describeRule, listSome, showId } from './describe';
import { opensAllPorts, reachesPort } from './ports';

interface Contribution {
  rule: Rule;
  group: SecurityGroup;
  ranges: ParsedCidr[];
  /** Some of its addresses are public (and not the VPC's own): a fix must act on it. */
  public: boolean;
  allPorts: boolean;
}

function contributionsOf(ctx: AuditContext, groups: readonly SecurityGroup[], port: number, family: Family, cluster: Cluster | undefined): Contribution[] {
  const out: Contribution[] = [];
  for (const group of groups) {
    const vpcId = group.vpcId ?? cluster?.vpcId;
    for (const rule of Array.isArray(group.rules) ? group.rules : []) {
      if (rule.direction !== 'ingress' || !rule.source || typeof rule.source.value !== 'string') continue;
      if (!reachesPort(rule, port)) continue;
      const ranges: ParsedCidr[] = [];
      if (rule.source.kind === 'cidr4' || rule.source.kind === 'cidr6') {
        const parsed = parseCidrCached(rule.source.value);
        if (parsed && parsed.family === family && parsed.prefix > 0) ranges.push(parsed);
      } else if (rule.source.kind === 'prefixList') {
        const verdict = prefixListVerdict(ctx, rule.source.value);
        if (verdict.resolved && !verdict.anywhere[family]) {
          for (const entry of verdict.entries) if (entry.family === family) ranges.push(entry);
        }
      }
      if (ranges.length === 0) continue;
      const isPublic = ranges.some((r) => r.reach === 'public' && !(vpcId && insideVpc(ctx, vpcId, r)));
      out.push({ rule, group, ranges, public: isPublic, allPorts: opensAllPorts(rule) });
    }
  }
  return out;
}

/** Ordered by identity, not input order, so a finding reads the same whatever order AWS listed the rules in. */
function byIdentity(contributions: Contribution[]): Contribution[] {
  return contributions.map((c) => ({ c, key: ruleKey(c.rule) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ c }) => c);
}

const rangesOf = (contributions: readonly Contribution[]) => contributions.flatMap((c) => c.ranges);

/** The rules to fix (public) and, only when those alone do not cover the family, the others that help. */
function split(contributions: Contribution[], family: Family): { contributors: Contribution[]; helpers: Contribution[] } {
  const contributors = contributions.filter((c) => c.public);
  const helpers = coversFamily(rangesOf(contributors), family) ? [] : contributions.filter((c) => !c.public);
  return { contributors: byIdentity(contributors), helpers: byIdentity(helpers) };
}

/**
 * Judges whether the rules of `groups` together cover `family` on each port, reporting
 * AURSG-001 (and AURSG-002 when the rules that cover it all open every port). A finding names
 * the rules that hold public addresses: removing them leaves only ranges inside private,
 * special or the VPC's own blocks, which can never cover a family, while the VPC's and the
 * private ranges that helped stay untouched. Returns those rules (for AURSG-009).
 */
export function judgeCoverage(ctx: AuditContext, groups: readonly SecurityGroup[], ports: readonly number[], family: Family, cluster: Cluster | undefined): Rule[] {
  const opening: Rule[] = [];
  for (const port of ports) {
    const all = contributionsOf(ctx, groups, port, family, cluster);
    if (all.length < 2 || !coversFamily(rangesOf(all), family)) continue;
    const { contributors, helpers } = split(all, family);
    if (contributors.length === 0) continue; // cannot happen: non-public blocks never cover a family
    for (const c of contributors) if (!opening.includes(c.rule)) opening.push(c.rule);
    report(ctx, 'AURSG-001', contributors, helpers, family, port, cluster);
    const allPorts = all.filter((c) => c.allPorts);
    if (coversFamily(rangesOf(allPorts), family)) {
      const split002 = split(allPorts, family);
      report(ctx, 'AURSG-002', split002.contributors, split002.helpers, family, port, cluster);
    }
  }
  return opening;
}

function report(
  ctx: AuditContext, ruleId: 'AURSG-001' | 'AURSG-002', contributors: Contribution[], helpers: Contribution[],
  family: Family, port: number, cluster: Cluster | undefined,
): void {
  const [first, ...others] = contributors;
  if (!first) return;
  const groups = [...new Set(contributors.map((c) => c.group))];
  const several = groups.length > 1;
  const text = (c: Contribution) => `${describeRule(c.rule, c.group.ownerId)}${several ? ` in ${showId(c.group.groupId)}` : ''}`;
  const where = cluster ? `port ${port} of cluster ${showId(cluster.clusterId)}` : `database port ${port}`;
  const who = several
    ? `Together, the ${describeGroups(groups)} of cluster ${showId(cluster?.clusterId ?? '')} have`
    : `${describeGroup(first.group)} has`;
  const kind = ruleId === 'AURSG-002' ? ' allowing all traffic' : '';
  const helped = helpers.length ? `, with the private or VPC ranges of ${listSome(helpers.map(text))}` : '';
  const outcome = ruleId === 'AURSG-002' ? `so all traffic from any address is let in, ${where} included` : `so any address can reach ${where}`;
  addFinding(ctx, {
    ruleId, cluster, group: first.group, rule: first.rule, relatedRules: others.map((c) => c.rule),
    message: `${who} ${contributors.length} rules${kind} whose sources together cover every IPv${family} address (${listSome(contributors.map(text))}${helped}), ${outcome}.`,
  });
}
