// CIDR maths: parsing (through ipaddr.js), "anywhere", public vs private, containment and
// "do these CIDRs together cover a whole address family". Pure.

import * as ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

/** Where an address range sits: reachable from the internet, private to networks, or special-use. */
export type Reach = 'public' | 'private' | 'special';

export interface ParsedCidr {
  family: Family;
  prefix: number;
  /** First and last address of the range, as integers (host bits ignored). */
  lo: bigint;
  hi: bigint;
  /** Canonical spelling: network address and prefix, e.g. `::/0` for `0000:0000::/0`. */
  text: string;
  reach: Reach;
  /** lo and hi as plain numbers for IPv4 (exact below 2^53), NaN for IPv6: cheaper comparisons on the hot path. */
  loNumber: number;
  hiNumber: number;
  /** 2^-prefix: the share of its family the range covers (sums give a cheap coverage pre-check). */
  share: number;
}

const FAMILY_BITS: Record<Family, number> = { 4: 32, 6: 128 };
const FAMILY_MAX: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

function bytesToBigint(bytes: number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function rangeOf(family: Family, address: bigint, prefix: number): { lo: bigint; hi: bigint } {
  const hostBits = BigInt(FAMILY_BITS[family] - prefix);
  const hostMask = (1n << hostBits) - 1n;
  const lo = address & ~hostMask & FAMILY_MAX[family];
  return { lo, hi: lo | hostMask };
}

/**
 * Ranges that are not reachable from the internet, named as ipaddr.js's range() names them.
 * Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are
 * deliberately absent: examples and samples use them to stand for public addresses, and a
 * rule that lets them in is judged like one that lets a real public address in.
 */
const NON_PUBLIC_BLOCKS: { cidr: string; reach: Exclude<Reach, 'public'> }[] = [
  { cidr: '10.0.0.0/8', reach: 'private' },        // private (RFC 1918)
  { cidr: '172.16.0.0/12', reach: 'private' },     // private
  { cidr: '192.168.0.0/16', reach: 'private' },    // private
  { cidr: '100.64.0.0/10', reach: 'private' },     // carrierGradeNat (RFC 6598)
  { cidr: 'fc00::/7', reach: 'private' },          // uniqueLocal
  { cidr: '0.0.0.0/8', reach: 'special' },         // unspecified / "this network"
  { cidr: '127.0.0.0/8', reach: 'special' },       // loopback
  { cidr: '169.254.0.0/16', reach: 'special' },    // linkLocal
  { cidr: '224.0.0.0/4', reach: 'special' },       // multicast
  { cidr: '240.0.0.0/4', reach: 'special' },       // reserved, broadcast
  { cidr: '::/128', reach: 'special' },            // unspecified
  { cidr: '::1/128', reach: 'special' },           // loopback
  { cidr: '::ffff:0:0/96', reach: 'special' },     // ipv4Mapped: not a source an SG rule can see
  { cidr: 'fe80::/10', reach: 'special' },         // linkLocal
  { cidr: 'ff00::/8', reach: 'special' },          // multicast
];

interface Block { family: Family; lo: bigint; hi: bigint; reach: Exclude<Reach, 'public'> }

let blocks: Block[] | undefined;
function nonPublicBlocks(): Block[] {
  if (!blocks) {
    blocks = NON_PUBLIC_BLOCKS.map(({ cidr, reach }) => {
      const [address, prefix] = ipaddr.parseCIDR(cidr);
      const family: Family = address.kind() === 'ipv4' ? 4 : 6;
      return { family, reach, ...rangeOf(family, bytesToBigint(address.toByteArray()), prefix) };
    });
  }
  return blocks;
}

function reachOf(family: Family, lo: bigint, hi: bigint): Reach {
  for (const block of nonPublicBlocks()) {
    if (block.family === family && block.lo <= lo && hi <= block.hi) return block.reach;
  }
  return 'public';
}

const DECIMAL = /^(0|[1-9]\d{0,2})$/;

/**
 * Parses an IPv4 or IPv6 CIDR the way AWS reads one: a plain dotted quad (no shorthand,
 * no octal) or any IPv6 spelling, and a prefix length in range; host bits set are allowed
 * and ignored (AWS normalises `10.0.0.1/8` to `10.0.0.0/8`). Returns undefined for
 * anything else, bare addresses included.
 */
export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || trimmed.indexOf('/', slash + 1) !== -1) return undefined;
  const prefixText = trimmed.slice(slash + 1);
  if (!DECIMAL.test(prefixText)) return undefined;
  const addressText = trimmed.slice(0, slash);
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let family: Family;
  if (addressText.includes(':')) {
    if (addressText.includes('%') || !ipaddr.IPv6.isValid(addressText)) return undefined;
    address = ipaddr.IPv6.parse(addressText);
    family = 6;
  } else {
    if (!ipaddr.IPv4.isValidFourPartDecimal(addressText)) return undefined;
    address = ipaddr.IPv4.parse(addressText);
    family = 4;
  }
  const prefix = Number(prefixText);
  if (prefix > FAMILY_BITS[family]) return undefined;
  const { lo, hi } = rangeOf(family, bytesToBigint(address.toByteArray()), prefix);
  const network = family === 4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString();
  return {
    family, prefix, lo, hi, text: `${network}/${prefix}`, reach: reachOf(family, lo, hi),
    loNumber: family === 4 ? Number(lo) : Number.NaN,
    hiNumber: family === 4 ? Number(hi) : Number.NaN,
    share: 2 ** -prefix,
  };
}

// Sources repeat a great deal across groups and accounts (0.0.0.0/0, 10.0.0.0/8, office
// ranges), and ipaddr.js parsing costs microseconds, so parsed CIDRs are memoised. Bounded:
// the cache is dropped whole when it grows past the limit.
const CACHE_LIMIT = 1 << 16;
const parsedCache = new Map<string, ParsedCidr | null>();

/** parseCidr, memoised by the exact text. */
export function parseCidrCached(text: string): ParsedCidr | undefined {
  let parsed = parsedCache.get(text);
  if (parsed === undefined) {
    parsed = parseCidr(text) ?? null;
    if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(text, parsed);
  }
  return parsed ?? undefined;
}

/** Empties the memo (benchmarks use it to measure cold runs). */
export function clearCidrCache(): void {
  parsedCache.clear();
}

/** Whether the CIDR is a /0 of either family, however it is spelled (`0.0.0.0/0`, `::/0`, `0000:0000::/0`). */
export function isAnywhere(cidr: string | ParsedCidr | undefined): boolean {
  const parsed = typeof cidr === 'string' ? parseCidrCached(cidr) : cidr;
  return parsed !== undefined && parsed.prefix === 0;
}

/** Globally routable: not private (RFC 1918, CGNAT, unique local) and not special-use. */
export function isPublicCidr(cidr: string | ParsedCidr | undefined): boolean {
  const parsed = typeof cidr === 'string' ? parseCidrCached(cidr) : cidr;
  return parsed !== undefined && parsed.reach === 'public';
}

export function isPrivateCidr(cidr: string | ParsedCidr | undefined): boolean {
  const parsed = typeof cidr === 'string' ? parseCidrCached(cidr) : cidr;
  return parsed !== undefined && parsed.reach === 'private';
}

/** Whether `outer` contains every address of `inner` (same family only). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family) return false;
  if (outer.family === 4) return outer.loNumber <= inner.loNumber && inner.hiNumber <= outer.hiNumber;
  return outer.lo <= inner.lo && inner.hi <= outer.hi;
}

/**
 * Whether the ranges together cover every address of the family: intervals sorted and
 * merged on big integers, so `0.0.0.0/1` + `128.0.0.0/1` (or 256 /8s) count as anywhere.
 */
export function coversFamily(cidrs: readonly ParsedCidr[], family: Family): boolean {
  const ranges = cidrs.filter((c) => c.family === family);
  if (ranges.length === 0) return false;
  ranges.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  let next = 0n; // first address not yet covered
  for (const range of ranges) {
    if (range.lo > next) return false;
    if (range.hi >= next) next = range.hi + 1n;
    if (next > FAMILY_MAX[family]) return true;
  }
  return false;
}

/** The CIDR text of a block given as a network address integer and a prefix: `203.0.113.0/24`, `2001:db8::/32`. */
export function formatCidr(family: Family, network: bigint, prefix: number): string {
  const bytes: number[] = [];
  let value = network;
  for (let i = 0; i < (family === 4 ? 4 : 16); i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix}`;
}
