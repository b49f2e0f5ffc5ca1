// Judges one security group's rules against a set of database ports (the cluster's port,
// or the configured ports for a group without a cluster): AURSG-001..006 and 008.
// Hot path: no allocation per rule unless the rule makes a finding.

import { ruleKey } from '../model/fromAws';
import type { Cluster, Rule, SecurityGroup } from '../model/types';
import { coversFamily, parseCidrCached, type Family, type ParsedCidr } from './cidr';
import { addFinding, addNote, isApprovedCidr, prefixListVerdict, type AuditContext } from './context';
import { describeGroup, describePortList, describeRule, listSome, showId } from './describe';
import { MAX_PORT, MIN_PORT, portBound, reachesPort, tcpKind } from './ports';
import type { PrefixListVerdict } from './prefixLists';

/** Per family, the first rule of the group that opens a database port to every address (for AURSG-009). */
export interface OpenToAnywhere { 4?: Rule; 6?: Rule }

class Judging {
  private text: string | undefined;
  constructor(readonly ctx: AuditContext, readonly group: SecurityGroup, readonly cluster: Cluster | undefined) {}
  get ownerId(): string | undefined { return this.group.ownerId; }
  /** Built only when a finding or note needs it: most groups have none. */
  get groupText(): string { return (this.text ??= describeGroup(this.group)); }
}

/** "port 3306 of cluster orders" or "database port 3306" (no cluster). */
function portsText(j: Judging, ports: readonly number[]): string {
  return j.cluster ? `port ${ports[0]} of cluster ${showId(j.cluster.clusterId)}` : `database ${describePortList(ports)}`;
}

/** The rule for messages; a reference to another account's group says so. */
function ruleText(j: Judging, rule: Rule): string {
  const text = describeRule(rule, j.ownerId);
  const owner = rule.source.ownerId;
  if (rule.source.kind === 'group' && owner && j.ownerId && owner !== j.ownerId) return `${text}, a security group owned by another account`;
  return text;
}

function prefixListText(verdict: PrefixListVerdict): string {
  return verdict.name ? `prefix list ${showId(verdict.prefixListId)} (${JSON.stringify(verdict.name)})` : `prefix list ${showId(verdict.prefixListId)}`;
}

/**
 * Judges a group against `ports` and records findings and notes in the context. Returns the
 * rules opening a database port to every address, per family.
 */
export function judgeGroup(ctx: AuditContext, group: SecurityGroup, ports: readonly number[], cluster: Cluster | undefined): OpenToAnywhere {
  const open: OpenToAnywhere = {};
  const j = new Judging(ctx, group, cluster);
  const rules = Array.isArray(group.rules) ? group.rules : [];
  const onePort = ports.length === 1 ? ports[0]! : -1;
  const approved = ctx.approved;
  // Sums of 2^-prefix per family: a cheap necessary condition for "together cover everything".
  let share4 = 0;
  let share6 = 0;

  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const source = rule.source;
    if (!source || typeof source.value !== 'string') {
      addNote(ctx, 'warning', `${j.groupText}: a rule without a source was not judged.`, rule?.location ?? group.location);
      continue;
    }
    if (rule.direction === 'egress') {
      judgeEgress(j, rule);
      continue;
    }
    if (rule.direction !== 'ingress') continue;
    const protocol = rule.protocol;
    const kind = protocol === 'tcp' ? 'ports' : protocol === 'all' ? 'all' : tcpKind(protocol);
    if (kind === 'none') continue;
    let from = MIN_PORT;
    let to = MAX_PORT;
    if (kind === 'ports') {
      from = portBound(rule.fromPort, MIN_PORT);
      to = portBound(rule.toPort, MAX_PORT);
      if (from > to) { const t = from; from = to; to = t; }
    }
    let reached: readonly number[];
    if (onePort >= 0) {
      if (onePort < from || onePort > to) continue;
      reached = ports;
    } else {
      reached = ports.filter((p) => p >= from && p <= to);
      if (reached.length === 0) continue;
    }
    const allPorts = from <= 1 && to === MAX_PORT;

    if (from < to) {
      const other = kind === 'all' ? 'every other port and protocol' : allPorts ? 'every other tcp port' : `the other ports of tcp ${from}-${to}`;
      addFinding(ctx, {
        ruleId: 'AURSG-005', cluster, group, rule,
        message: `${j.groupText} allows ${ruleText(j, rule)}: it reaches ${portsText(j, reached)} and also opens ${other}.`,
      });
    }

    if (source.kind === 'cidr4' || source.kind === 'cidr6') {
      const parsed = parseCidrCached(source.value);
      if (!parsed) {
        addNote(ctx, 'warning', `${j.groupText}: the rule ${ruleText(j, rule)} has a source that is not a valid CIDR, so it was not judged.`, rule.location ?? group.location);
        continue;
      }
      const isApproved = approved.any && isApprovedCidr(approved, parsed);
      if (parsed.prefix === 0) {
        if (!open[parsed.family]) open[parsed.family] = rule;
        reportAnywhere(j, rule, reached, `${parsed.text} is every IPv${parsed.family} address`, allPorts);
      } else {
        if (parsed.family === 4) share4 += parsed.share; else share6 += parsed.share;
        if (!isApproved && (parsed.reach === 'public' || isBroad(ctx, parsed))) {
          judgeRanges(j, rule, reached, [parsed], undefined);
        }
      }
      if (approved.any && !isApproved) reportUnapproved(j, rule, reached, showId(source.value));
    } else if (source.kind === 'prefixList') {
      const verdict = prefixListVerdict(ctx, source.value);
      if (!verdict.resolved) {
        addFinding(ctx, {
          ruleId: 'AURSG-003', cluster, group, rule,
          message: `${j.groupText} allows ${ruleText(j, rule)}, but the entries of ${prefixListText(verdict)} could not be read, so what it lets reach ${portsText(j, reached)} cannot be verified; it may admit public or all addresses.`,
        });
      } else {
        if (verdict.anywhere[4]) {
          if (!open[4]) open[4] = rule;
          reportAnywhere(j, rule, reached, `${prefixListText(verdict)} ${verdict.anywhereReason[4]}`, allPorts);
        }
        if (verdict.anywhere[6]) {
          if (!open[6]) open[6] = rule;
          reportAnywhere(j, rule, reached, `${prefixListText(verdict)} ${verdict.anywhereReason[6]}`, allPorts);
        }
        share4 += verdict.share[4];
        share6 += verdict.share[6];
        if (verdict.invalidEntries.length) {
          addNote(ctx, 'warning', `${prefixListText(verdict)} has entries that are not CIDRs (${listSome(verdict.invalidEntries.map((e) => JSON.stringify(e)))}); they were not judged.`);
        }
        const judged = judgedEntries(ctx, verdict);
        if (judged.risky.length) judgeRanges(j, rule, reached, judged.risky, prefixListText(verdict));
        if (judged.unapproved) reportUnapproved(j, rule, reached, prefixListText(verdict));
      }
    } else if (source.kind === 'group') {
      if (approved.any && !approved.ids.has(source.value)) reportUnapproved(j, rule, reached, showId(source.value));
    } else {
      addNote(ctx, 'warning', `${j.groupText}: a rule with an unknown kind of source (${JSON.stringify(String(source.kind))}) was not judged.`, rule.location ?? group.location);
    }
  }

  // Only a group whose ranges add up to a whole family can cover it; almost none do.
  if (share4 >= 1 - 1e-9) judgeCoverage(j, rules, ports, 4, open);
  if (share6 >= 1 - 1e-9) judgeCoverage(j, rules, ports, 6, open);
  return open;
}

function reportAnywhere(j: Judging, rule: Rule, reached: readonly number[], why: string, allPorts: boolean): void {
  addFinding(j.ctx, {
    ruleId: 'AURSG-001', cluster: j.cluster, group: j.group, rule,
    message: `${j.groupText} allows ${ruleText(j, rule)}: ${why}, so any address can reach ${portsText(j, reached)}.`,
  });
  if (allPorts) {
    addFinding(j.ctx, {
      ruleId: 'AURSG-002', cluster: j.cluster, group: j.group, rule,
      message: `${j.groupText} allows ${ruleText(j, rule)}: ${why}, so all traffic from any address is let in, ${portsText(j, reached)} included.`,
    });
  }
}

/** A private range broader than one VPC (AURSG-004's thresholds). */
function isBroad(ctx: AuditContext, range: ParsedCidr): boolean {
  const thresholds = ctx.settings.broadCidrThresholds;
  return range.reach === 'private' && range.prefix < (range.family === 4 ? thresholds.ipv4 : thresholds.ipv6);
}

interface JudgedEntries {
  /** Unapproved entries that are public or broad private, not /0 (that is AURSG-001's). */
  risky: ParsedCidr[];
  /** With approved sources set: the list is not approved by id and has an entry no approved CIDR holds. */
  unapproved: boolean;
}

const judgedByVerdict = new WeakMap<PrefixListVerdict, JudgedEntries>();

/** Per prefix list and audit (settings are fixed for the run), the entries that matter. */
function judgedEntries(ctx: AuditContext, verdict: PrefixListVerdict): JudgedEntries {
  let judged = judgedByVerdict.get(verdict);
  if (!judged) {
    const approved = ctx.approved;
    const listApproved = approved.any && approved.ids.has(verdict.prefixListId);
    const unapprovedEntries = listApproved ? [] : verdict.entries.filter((e) => !(approved.any && isApprovedCidr(approved, e)));
    judged = {
      risky: unapprovedEntries.filter((e) => e.prefix !== 0 && (e.reach === 'public' || isBroad(ctx, e))),
      unapproved: approved.any && unapprovedEntries.length > 0,
    };
    judgedByVerdict.set(verdict, judged);
  }
  return judged;
}

function rangeTexts(ranges: readonly ParsedCidr[], reach: 'public' | 'broad', j: Judging): string {
  const texts: string[] = [];
  for (const range of ranges) {
    if (reach === 'public' ? range.reach === 'public' : isBroad(j.ctx, range)) texts.push(range.text);
  }
  return listSome(texts);
}

/** AURSG-003 (public) and AURSG-004 (broad private) for the rule's unapproved, non-/0 ranges. */
function judgeRanges(j: Judging, rule: Rule, reached: readonly number[], ranges: readonly ParsedCidr[], via: string | undefined): void {
  let anyPublic = false;
  let anyBroad = false;
  for (const range of ranges) {
    if (range.reach === 'public') anyPublic = true;
    else if (isBroad(j.ctx, range)) anyBroad = true;
  }
  if (anyPublic) {
    const texts = rangeTexts(ranges, 'public', j);
    const what = via ? `${via} holds public address ranges that are not approved sources (${texts})` : `${texts} is a public address range and not an approved source`;
    addFinding(j.ctx, {
      ruleId: 'AURSG-003', cluster: j.cluster, group: j.group, rule,
      message: `${j.groupText} allows ${ruleText(j, rule)}: ${what}, so hosts on the internet in that range can reach ${portsText(j, reached)}.`,
    });
  }
  if (anyBroad) {
    const thresholds = j.ctx.settings.broadCidrThresholds;
    const texts = rangeTexts(ranges, 'broad', j);
    let v4 = false;
    let v6 = false;
    for (const range of ranges) if (isBroad(j.ctx, range)) { if (range.family === 4) v4 = true; else v6 = true; }
    const limits = v4 && v6 ? `broader than /${thresholds.ipv4} (IPv4) or /${thresholds.ipv6} (IPv6), more than one VPC`
      : `broader than /${v4 ? thresholds.ipv4 : thresholds.ipv6}, more than one VPC`;
    const what = via ? `${via} holds private ranges ${limits} (${texts})` : `${texts} is a private range ${limits}`;
    addFinding(j.ctx, {
      ruleId: 'AURSG-004', cluster: j.cluster, group: j.group, rule,
      message: `${j.groupText} allows ${ruleText(j, rule)}: ${what}, so hosts across many networks can reach ${portsText(j, reached)}.`,
    });
  }
}

function reportUnapproved(j: Judging, rule: Rule, reached: readonly number[], sourceText: string): void {
  addFinding(j.ctx, {
    ruleId: 'AURSG-006', cluster: j.cluster, group: j.group, rule,
    message: `${j.groupText} allows ${ruleText(j, rule)} to reach ${portsText(j, reached)}, but ${sourceText} is not in the approved sources.`,
  });
}

function judgeEgress(j: Judging, rule: Rule): void {
  if (tcpKind(rule.protocol) !== 'all') return;
  if (rule.source.kind !== 'cidr4' && rule.source.kind !== 'cidr6') return;
  const parsed = parseCidrCached(rule.source.value);
  if (!parsed || parsed.prefix !== 0) return;
  addFinding(j.ctx, {
    ruleId: 'AURSG-008', cluster: j.cluster, group: j.group, rule,
    message: `${j.groupText} allows ${ruleText(j, rule)}: the database can open connections to any IPv${parsed.family} address.`,
  });
}

/**
 * AURSG-001 for CIDR sources that together cover a whole family (0.0.0.0/1 + 128.0.0.0/1),
 * per database port. Rules that are a /0 by themselves, or prefix lists that cover the
 * family by themselves, are already reported and left out: what remains is the exposure
 * that would still be there after fixing them.
 */
function judgeCoverage(j: Judging, rules: readonly Rule[], ports: readonly number[], family: Family, open: OpenToAnywhere): void {
  for (const port of ports) {
    const ranges: ParsedCidr[] = [];
    const contributors: Rule[] = [];
    for (const rule of rules) {
      if (rule.direction !== 'ingress' || !rule.source || typeof rule.source.value !== 'string') continue;
      if (!reachesPort(rule, port)) continue;
      const before = ranges.length;
      if (rule.source.kind === 'cidr4' || rule.source.kind === 'cidr6') {
        const parsed = parseCidrCached(rule.source.value);
        if (parsed && parsed.family === family && parsed.prefix > 0) ranges.push(parsed);
      } else if (rule.source.kind === 'prefixList') {
        const verdict = prefixListVerdict(j.ctx, rule.source.value);
        if (verdict.resolved && !verdict.anywhere[family]) {
          for (const entry of verdict.entries) if (entry.family === family) ranges.push(entry);
        }
      }
      if (ranges.length > before) contributors.push(rule);
    }
    if (contributors.length < 2 || !coversFamily(ranges, family)) continue;
    // Order by identity, not input order, so the finding reads the same whatever order AWS listed the rules in.
    const keyed = contributors.map((rule) => ({ rule, key: ruleKey(rule) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    contributors.splice(0, contributors.length, ...keyed.map((k) => k.rule));
    const [first, ...others] = contributors;
    if (!open[family]) open[family] = first;
    addFinding(j.ctx, {
      ruleId: 'AURSG-001', cluster: j.cluster, group: j.group, rule: first, relatedRules: others,
      message: `${j.groupText} has ${contributors.length} rules whose sources together cover every IPv${family} address (${listSome(contributors.map((r) => ruleText(j, r)))}), so any address can reach ${portsText(j, [port])}.`,
    });
  }
}
