// Sets of addresses of one family as sorted, disjoint, non-adjacent [lo, hi] intervals on big
// integers: what a network ACL admits, what routes reach, what passes every layer. Pure.

import type { Family } from './cidr';

export type Interval = readonly [lo: bigint, hi: bigint];

/** A normalised set: sorted by lo, disjoint, with no two intervals touching. */
export type AddressSet = readonly Interval[];

export const FAMILY_SIZE: Record<Family, bigint> = { 4: 1n << 32n, 6: 1n << 128n };

export function wholeFamily(family: Family): AddressSet {
  return [[0n, FAMILY_SIZE[family] - 1n]];
}

/** Sorts and merges any intervals into a normalised set. */
export function normalise(intervals: Iterable<Interval>): AddressSet {
  const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

export function union(a: AddressSet, b: AddressSet): AddressSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return normalise([...a, ...b]);
}

export function intersect(a: AddressSet, b: AddressSet): AddressSet {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = a[i]![0] > b[j]![0] ? a[i]![0] : b[j]![0];
    const hi = a[i]![1] < b[j]![1] ? a[i]![1] : b[j]![1];
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++; else j++;
  }
  return out;
}

/** The addresses of `a` that are not in `b`. */
export function subtract(a: AddressSet, b: AddressSet): AddressSet {
  const out: Interval[] = [];
  let j = 0;
  for (const [lo0, hi] of a) {
    let lo = lo0;
    while (j < b.length && b[j]![1] < lo) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= hi) {
      if (b[k]![0] > lo) out.push([lo, b[k]![0] - 1n]);
      if (b[k]![1] >= hi) { lo = hi + 1n; break; }
      lo = b[k]![1] + 1n;
      k++;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

export function size(set: AddressSet): bigint {
  let total = 0n;
  for (const [lo, hi] of set) total += hi - lo + 1n;
  return total;
}

/** Whether the set holds at least half of the family's addresses. */
export function holdsHalf(set: AddressSet, family: Family): boolean {
  return size(set) * 2n >= FAMILY_SIZE[family];
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** The fewest CIDR blocks that make up the set, as [network, prefix] pairs, first `limit` of them. */
export function toCidrBlocks(set: AddressSet, family: Family, limit = Infinity): { network: bigint; prefix: number }[] {
  const blocks: { network: bigint; prefix: number }[] = [];
  const bits = BITS[family];
  for (const [lo0, hi] of set) {
    let lo = lo0;
    while (lo <= hi) {
      if (blocks.length >= limit) return blocks;
      // The largest aligned block starting at lo that still fits below hi.
      let hostBits = 0;
      while (hostBits < bits) {
        const next = hostBits + 1;
        const span = 1n << BigInt(next);
        if (lo % span !== 0n || lo + span - 1n > hi) break;
        hostBits = next;
      }
      blocks.push({ network: lo, prefix: bits - hostBits });
      lo += 1n << BigInt(hostBits);
    }
  }
  return blocks;
}

/** Counts the blocks toCidrBlocks would give, without listing more than `cap` (for "and N more"). */
export function countCidrBlocks(set: AddressSet, family: Family, cap = 1000): number {
  return toCidrBlocks(set, family, cap).length;
}
