// What a managed prefix list admits, judged once per audit: its entries parsed, whether
// they hold or together cover a whole address family, and whether it could be read at all.

import type { PrefixList } from '../model/types';
import { coversFamily, parseCidrCached, type Family, type ParsedCidr } from './cidr';

export interface PrefixListVerdict {
  prefixListId: string;
  name?: string;
  /** False when the inventory has no entries for the list: what it admits is unknown. */
  resolved: boolean;
  entries: ParsedCidr[];
  /** Entries that are not CIDRs (reported, not judged). */
  invalidEntries: string[];
  /** Per family: the list admits every address (an entry is a /0, or the entries together cover it). */
  anywhere: Record<Family, boolean>;
  /** Per family: why, for messages ("holds 0.0.0.0/0" or "entries together cover every IPv4 address"). */
  anywhereReason: Record<Family, string | undefined>;
  /** Per family: the sum of 2^-prefix over entries that are not /0 (for the group's coverage pre-check). */
  share: Record<Family, number>;
}

export function analysePrefixList(prefixListId: string, list: PrefixList | undefined): PrefixListVerdict {
  const verdict: PrefixListVerdict = {
    prefixListId,
    resolved: false,
    entries: [],
    invalidEntries: [],
    anywhere: { 4: false, 6: false },
    anywhereReason: { 4: undefined, 6: undefined },
    share: { 4: 0, 6: 0 },
  };
  if (list?.name) verdict.name = list.name;
  if (!list || !Array.isArray(list.entries)) return verdict;
  verdict.resolved = true;
  for (const entry of list.entries) {
    const parsed = typeof entry === 'string' ? parseCidrCached(entry) : undefined;
    if (parsed) {
      verdict.entries.push(parsed);
      if (parsed.prefix !== 0) verdict.share[parsed.family] += 2 ** -parsed.prefix;
    } else verdict.invalidEntries.push(String(entry));
  }
  for (const family of [4, 6] as const) {
    const whole = verdict.entries.find((e) => e.family === family && e.prefix === 0);
    if (whole) {
      verdict.anywhere[family] = true;
      verdict.anywhereReason[family] = `holds ${whole.text}`;
    } else if (coversFamily(verdict.entries, family)) {
      verdict.anywhere[family] = true;
      verdict.anywhereReason[family] = `has entries that together cover every IPv${family} address`;
    }
  }
  return verdict;
}
