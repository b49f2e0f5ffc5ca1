// Sources a plan may allow (from --allow and the approved-sources setting), and whether an
// existing source is safe to carry over to a dedicated group.

import type { Inventory, RuleSource } from '../model/types';
import { cidrContains, parseCidr, parseCidrCached, type ParsedCidr } from '../rules';
import { PlanError } from './errors';

/**
 * An --allow value or approved source as a rule source: a CIDR (a bare address becomes /32
 * or /128; host bits are cleared, as AWS wants the network address), sg-... or pl-....
 * Throws a PlanError naming the value when it is none of these or is "anywhere".
 */
export function parseAllowedSource(raw: string): { source: RuleSource; note?: string } {
  const value = raw.trim();
  if (/^sg-[0-9A-Za-z]+$/.test(value)) return { source: { kind: 'group', value } };
  if (/^pl-[0-9A-Za-z]+$/.test(value)) return { source: { kind: 'prefixList', value } };
  // A bare address is one host; the rules layer's parser then validates it like any CIDR.
  const withPrefix = value.includes('/') ? value : `${value}/${value.includes(':') ? 128 : 32}`;
  const cidr = parseCidr(withPrefix);
  if (!cidr) {
    throw new PlanError(`--allow ${JSON.stringify(raw)} is not a CIDR (e.g. 10.0.0.0/16), a security group id (sg-...) or a prefix list id (pl-...).`);
  }
  if (cidr.prefix === 0) throw new PlanError(`--allow ${JSON.stringify(raw)} means anywhere; that would keep the database open to the internet.`);
  const result: { source: RuleSource; note?: string } = { source: { kind: cidr.family === 4 ? 'cidr4' : 'cidr6', value: cidr.text } };
  if (cidr.text !== value) result.note = `--allow ${value} is written as ${cidr.text}, the form AWS stores.`;
  return result;
}

export interface SafetySettings {
  approvedSources: string[];
  broadCidrThresholds: { ipv4: number; ipv6: number };
}

/** Whether the CIDR lies inside one of the approved sources' CIDRs. */
function withinApproved(cidr: ParsedCidr, approved: string[]): boolean {
  return approved.some((entry) => {
    const range = parseCidrCached(entry);
    return range !== undefined && cidrContains(range, cidr);
  });
}

/**
 * Why a source must not be carried over to a dedicated group, or undefined when it may:
 * anywhere, public and unapproved, private but broader than one VPC, an unresolved or
 * unsafe prefix list, or (when approved sources are set) anything not approved.
 */
export function unsafeSourceReason(source: RuleSource, inventory: Inventory, settings: SafetySettings): string | undefined {
  const approved = settings.approvedSources;
  if (source.kind === 'group') {
    if (approved.length && !approved.includes(source.value)) return 'not among the approved sources';
    return undefined;
  }
  if (source.kind === 'prefixList') {
    if (approved.includes(source.value)) return undefined;
    const list = inventory.prefixLists.find((p) => p.prefixListId === source.value);
    if (!list?.entries) return 'its entries are unknown (unresolved prefix list)';
    for (const entry of list.entries) {
      const reason = unsafeSourceReason({ kind: entry.includes(':') ? 'cidr6' : 'cidr4', value: entry }, inventory, { ...settings, approvedSources: [] });
      if (reason) return `its entry ${entry} is ${reason}`;
    }
    if (approved.length) return 'not among the approved sources';
    return undefined;
  }
  const cidr = parseCidr(source.value);
  if (!cidr) return 'not a valid CIDR';
  if (cidr.prefix === 0) return 'anywhere';
  if (approved.length) return withinApproved(cidr, approved) ? undefined : 'not among the approved sources';
  if (cidr.reach === 'public') return 'a public address range that is not approved';
  if (cidr.reach === 'special') return 'a special-use address range (loopback, link-local, multicast or reserved)';
  const threshold = cidr.family === 4 ? settings.broadCidrThresholds.ipv4 : settings.broadCidrThresholds.ipv6;
  if (cidr.prefix < threshold) return `broader than one VPC (shorter than /${threshold})`;
  return undefined;
}
