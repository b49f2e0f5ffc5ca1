// Judges one security group's rules against a set of database ports (the cluster's port,
// or the configured ports for a group without a cluster): AURSG-001..006 and 008.
// Hot path: no allocation per rule unless the rule makes a finding.

import type { Cluster, Rule, SecurityGroup } from '../model/types';
import { parseCidrCached, type Family, type ParsedCidr, type Reach } from './cidr';
import { addFinding, addNote, insideVpc, isApprovedCidr, prefixListVerdict, type AuditContext } from './context';
import { judgeCoverage } from './coverage';
import { describeGroup, describePortList, describeRule, listSome, showId } from './describe';
import { MAX_PORT, MIN_PORT, portBound, tcpKind } from './ports';
import type { PrefixListVerdict } from './prefixLists';

/**
 * Per family, the rules that open a database port to every address: a /0, a prefix list that
 * holds or covers the family, or the rules whose ranges together cover it (AURSG-009's condition).
 */
export interface OpenToAnywhere { 4: Rule[]; 6: Rule[] }

export function noneOpen(): OpenToAnywhere {
  return { 4: [], 6: [] };
}

export interface GroupJudgement {
  /** The group's rules that open a database port to every address by themselves. */
  open: OpenToAnywhere;
  /**
   * Per family, the sum of 2^-prefix over the ranges (not /0) of rules reaching a database port:
   * only groups whose sums reach 1 together can cover a family, so the cluster's union check
   * runs only then.
   */
  share: Record<Family, number>;
}

class Judging {
  private text: string | undefined;
  /** The VPC whose own blocks are internal sources: the group's, else the cluster's. */
  readonly vpcId: string | undefined;
  constructor(readonly ctx: AuditContext, readonly group: SecurityGroup, readonly cluster: Cluster | undefined) {
    this.vpcId = group.vpcId ?? cluster?.vpcId;
  }
  get ownerId(): string | undefined { return this.group.ownerId; }
  /** Built only when a finding or note needs it: most groups have none. */
  get groupText(): string { return (this.text ??= describeGroup(this.group)); }
}

/**
 * Where a range sits for this group: a public range inside one of its VPC's own blocks (a VPC's
 * IPv6 /56 is globally routable on paper) is held only by the VPC's hosts, so it is internal.
 */
function reachFor(j: Judging, range: ParsedCidr): Reach {
  if (range.reach !== 'public' || !j.vpcId) return range.reach;
  return insideVpc(j.ctx, j.vpcId, range) ? 'private' : 'public';
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
 * rules opening a database port to every address, per family. Ranges that only together cover
 * a family are judged here for a group on its own (`coverage`); a cluster's groups are judged
 * together, over their union (coverage.ts), because that is what the cluster's interfaces admit.
 */
export function judgeGroup(ctx: AuditContext, group: SecurityGroup, ports: readonly number[], cluster: Cluster | undefined, coverage: boolean): GroupJudgement {
  const open = noneOpen();
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
        open[parsed.family].push(rule);
        reportAnywhere(j, rule, reached, `${parsed.text} is every IPv${parsed.family} address`, allPorts);
      } else {
        if (parsed.family === 4) share4 += parsed.share; else share6 += parsed.share;
        if (!isApproved && (reachFor(j, parsed) === 'public' || isBroad(j, parsed))) {
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
          open[4].push(rule);
          reportAnywhere(j, rule, reached, `${prefixListText(verdict)} ${verdict.anywhereReason[4]}`, allPorts);
        }
        if (verdict.anywhere[6]) {
          open[6].push(rule);
          reportAnywhere(j, rule, reached, `${prefixListText(verdict)} ${verdict.anywhereReason[6]}`, allPorts);
        }
        share4 += verdict.share[4];
        share6 += verdict.share[6];
        if (verdict.invalidEntries.length) {
          addNote(ctx, 'warning', `${prefixListText(verdict)} has entries that are not CIDRs (${listSome(verdict.invalidEntries.map((e) => JSON.stringify(e)))}); they were not judged.`);
        }
        const judged = judgedEntries(j, verdict);
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
  if (coverage) {
    if (share4 >= 1 - 1e-9) open[4].push(...judgeCoverage(ctx, [group], ports, 4, cluster));
    if (share6 >= 1 - 1e-9) open[6].push(...judgeCoverage(ctx, [group], ports, 6, cluster));
  }
  return { open, share: { 4: share4, 6: share6 } };
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

/** A private (or VPC-internal) range broader than one VPC (AURSG-004's thresholds). */
function isBroad(j: Judging, range: ParsedCidr): boolean {
  const thresholds = j.ctx.settings.broadCidrThresholds;
  return range.prefix < (range.family === 4 ? thresholds.ipv4 : thresholds.ipv6) && reachFor(j, range) === 'private';
}

interface JudgedEntries {
  /** Unapproved entries that are public or broad private, not /0 (that is AURSG-001's). */
  risky: ParsedCidr[];
  /** With approved sources set: the list is not approved by id and has an entry no approved CIDR holds. */
  unapproved: boolean;
}

const judgedByVerdict = new WeakMap<PrefixListVerdict, Map<string, JudgedEntries>>();

/** Per prefix list, VPC and audit (settings are fixed for the run), the entries that matter. */
function judgedEntries(j: Judging, verdict: PrefixListVerdict): JudgedEntries {
  let byVpc = judgedByVerdict.get(verdict);
  if (!byVpc) { byVpc = new Map(); judgedByVerdict.set(verdict, byVpc); }
  let judged = byVpc.get(j.vpcId ?? '');
  if (!judged) {
    const approved = j.ctx.approved;
    const listApproved = approved.any && approved.ids.has(verdict.prefixListId);
    const unapprovedEntries = listApproved ? [] : verdict.entries.filter((e) => !(approved.any && isApprovedCidr(approved, e)));
    judged = {
      risky: unapprovedEntries.filter((e) => e.prefix !== 0 && (reachFor(j, e) === 'public' || isBroad(j, e))),
      unapproved: approved.any && unapprovedEntries.length > 0,
    };
    byVpc.set(j.vpcId ?? '', judged);
  }
  return judged;
}

function rangeTexts(ranges: readonly ParsedCidr[], reach: 'public' | 'broad', j: Judging): string {
  const texts: string[] = [];
  for (const range of ranges) {
    if (reach === 'public' ? reachFor(j, range) === 'public' : isBroad(j, range)) texts.push(range.text);
  }
  return listSome(texts);
}

/** AURSG-003 (public) and AURSG-004 (broad private or VPC-internal) for the rule's unapproved, non-/0 ranges. */
function judgeRanges(j: Judging, rule: Rule, reached: readonly number[], ranges: readonly ParsedCidr[], via: string | undefined): void {
  let anyPublic = false;
  let anyBroad = false;
  for (const range of ranges) {
    if (reachFor(j, range) === 'public') anyPublic = true;
    else if (isBroad(j, range)) anyBroad = true;
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
    for (const range of ranges) if (isBroad(j, range)) { if (range.family === 4) v4 = true; else v6 = true; }
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
