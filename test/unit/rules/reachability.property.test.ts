// Property (issue 7): the verdicts of AURSG-009 and AURSG-011 equal a brute-force reference that
// walks every boundary address of the rules', routes' and ACL entries' ranges (and every boundary
// port of the ACL's outbound entries) through the groups, the route table and the ACL, one
// address and one port at a time, with nothing but ipaddr.js and first-match-wins by hand.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import type { AwsIpPermission, AwsNetworkAclEntry } from '../../../src/model/awsShapes';
import { auditInventory } from '../../../src/rules';
import { cluster, group, instance, inventory, networkAcl, routeTable, subnet } from './builders';

type Family = 4 | 6;
const SIZE: Record<Family, bigint> = { 4: 1n << 32n, 6: 1n << 128n };

function range(cidr: string): { family: Family; lo: bigint; hi: bigint } {
  const [address, prefix] = ipaddr.parseCIDR(cidr);
  const family: Family = address.kind() === 'ipv4' ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  let value = 0n;
  for (const byte of address.toByteArray()) value = (value << 8n) | BigInt(byte);
  const host = (1n << BigInt(bits - prefix)) - 1n;
  const lo = value & ~host & (SIZE[family] - 1n);
  return { family, lo, hi: lo | host };
}

const familyOf = (cidr: string): Family => (cidr.includes(':') ? 6 : 4);
const contains = (cidr: string, address: bigint) => { const r = range(cidr); return address >= r.lo && address <= r.hi; };

/** Representative addresses of every elementary interval cut by the given CIDRs, with each interval's length. */
function pieces(family: Family, cidrs: string[]): { at: bigint; length: bigint }[] {
  const cuts = new Set<bigint>([0n, SIZE[family]]);
  for (const c of cidrs) if (familyOf(c) === family) { const r = range(c); cuts.add(r.lo); cuts.add(r.hi + 1n); }
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.slice(0, -1).map((at, i) => ({ at, length: sorted[i + 1]! - at }));
}

interface SgRule { protocol: 'tcp' | '-1' | 'udp'; from: number; to: number; cidr: string }
interface AclRule { number: number; egress: boolean; protocol: '6' | '-1' | '17'; action: 'allow' | 'deny'; cidr: string; ports?: [number, number] }
interface Route { destination: string; target: string; state: 'active' | 'blackhole' }
interface Scenario {
  port: number;
  groups: SgRule[][];
  publiclyAccessible: boolean;
  networkType: 'IPV4' | 'DUAL' | undefined;
  subnets: { routes: Route[]; acl: AclRule[] | undefined }[];
}

const sgAdmits = (r: SgRule, port: number, family: Family, address: bigint) =>
  familyOf(r.cidr) === family && (r.protocol === '-1' || (r.protocol === 'tcp' && r.from <= port && port <= r.to)) && contains(r.cidr, address);

function aclDecides(entries: AclRule[], egress: boolean, family: Family, address: bigint, port: number): boolean {
  const ordered = entries.filter((e) => e.egress === egress).sort((a, b) => a.number - b.number);
  for (const e of ordered) {
    if (familyOf(e.cidr) !== family || e.protocol === '17') continue;
    if (e.protocol === '6' && e.ports && (port < e.ports[0] || port > e.ports[1])) continue;
    if (!contains(e.cidr, address)) continue;
    return e.action === 'allow';
  }
  return false; // the final * deny
}

/** The reference verdict for the scenario's only instance. */
function reference(s: Scenario): 'AURSG-009' | 'AURSG-011' | undefined {
  if (!s.publiclyAccessible) return undefined;
  const rules = s.groups.flat();
  let routedAndOpen = false;
  let internet = false;
  for (const family of (s.networkType === 'DUAL' ? [4, 6] : [4]) as Family[]) {
    const open = pieces(family, rules.map((r) => r.cidr)).every((p) => rules.some((r) => sgAdmits(r, s.port, family, p.at)));
    if (!open) continue;
    for (const sub of s.subnets) {
      const igw = sub.routes.filter((r) => r.target.startsWith('igw-') && r.state === 'active' && familyOf(r.destination) === family);
      const routed = pieces(family, igw.map((r) => r.destination)).every((p) => igw.some((r) => contains(r.destination, p.at)));
      if (!routed) continue;
      routedAndOpen = true;
      if (!sub.acl) { internet = true; continue; }
      const egressPorts = new Set<number>([1024]);
      for (const e of sub.acl) if (e.egress && e.ports) for (const p of [e.ports[0], e.ports[1] + 1]) if (p > 1024 && p <= 65535) egressPorts.add(p);
      let passing = 0n;
      for (const p of pieces(family, sub.acl.map((e) => e.cidr))) {
        const inbound = aclDecides(sub.acl, false, family, p.at, s.port);
        const outbound = [...egressPorts].every((port) => aclDecides(sub.acl!, true, family, p.at, port));
        if (inbound && outbound) passing += p.length;
      }
      if (passing * 2n >= SIZE[family]) internet = true;
    }
  }
  if (internet) return 'AURSG-009';
  return routedAndOpen ? 'AURSG-011' : undefined;
}

const cidrs = fc.oneof(
  fc.constantFrom('0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '0.0.0.0/2', '64.0.0.0/2', '192.0.0.0/2', '10.0.0.0/8', '203.0.113.0/24', '198.51.100.7/32'),
  fc.constantFrom('::/0', '::/1', '8000::/1', '2001:db8::/32', 'fd00::/8', '4000::/2'),
  fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 32 })).map(([ip, p]) => `${ip}/${p}`),
);
const ports = fc.tuple(fc.constantFrom(0, 1, 1024, 3306, 3307, 5432, 32768, 49152), fc.constantFrom(3306, 5432, 1023, 32767, 49151, 65535))
  .map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]);
// Security groups lean towards what opens a family (a /0, or halves), so every verdict is common.
const sgCidrs = fc.oneof(cidrs, fc.constantFrom('0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '::/0'));
const sgRule: fc.Arbitrary<SgRule> = fc.record({ protocol: fc.constantFrom('tcp', 'tcp', '-1', 'udp'), ports, cidr: sgCidrs })
  .map(({ protocol, ports: [from, to], cidr }) => ({ protocol, from, to, cidr }));
const route: fc.Arbitrary<Route> = fc.record({
  destination: fc.constantFrom('0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '::/0', '::/1', '8000::/1', '203.0.113.0/24'),
  target: fc.constantFrom('igw-1', 'igw-1', 'nat-1', 'eigw-1'),
  state: fc.constantFrom('active', 'active', 'blackhole'),
});
const aclRules: fc.Arbitrary<AclRule[]> = fc.array(fc.record({
  egress: fc.boolean(), protocol: fc.constantFrom('6', '-1', '-1', '17'), action: fc.constantFrom('allow', 'allow', 'deny'),
  cidr: fc.oneof(cidrs, fc.constantFrom('0.0.0.0/0', '::/0')), ports: fc.option(ports, { nil: undefined }),
}), { maxLength: 5 }).chain((entries) => fc.tuple(fc.uniqueArray(fc.integer({ min: 1, max: 31999 }), { minLength: entries.length, maxLength: entries.length }), fc.boolean())
  .map(([numbers, permissive]) => [
    ...entries.map((e, i) => ({ ...e, number: numbers[i]!, ...(e.protocol === '6' ? {} : { ports: undefined }) })),
    // Often the shape real ACLs have: a few specific entries, then allow-all (AWS's default ACL is only that).
    ...(permissive ? (['0.0.0.0/0', '::/0'] as const).flatMap((cidr, k) => [false, true].map((egress) => ({ number: 32000 + k, egress, protocol: '-1' as const, action: 'allow' as const, cidr }))) : []),
  ]));
const scenario: fc.Arbitrary<Scenario> = fc.record({
  port: fc.constantFrom(3306, 5432),
  groups: fc.array(fc.array(sgRule, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  publiclyAccessible: fc.constantFrom(true, true, true, false),
  networkType: fc.constantFrom<'IPV4' | 'DUAL' | undefined>('IPV4', 'DUAL', undefined),
  subnets: fc.array(fc.record({
    // Public subnets are common: often a default route to the igw, for one family or both, beside the random ones.
    routes: fc.tuple(fc.array(route, { maxLength: 3 }), fc.constantFrom<string[]>([], ['0.0.0.0/0'], ['::/0'], ['0.0.0.0/0', '::/0']))
      .map(([routes, defaults]) => [...defaults.map((destination): Route => ({ destination, target: 'igw-1', state: 'active' })), ...routes]),
    acl: aclRules,
  }), { minLength: 1, maxLength: 2 }),
  // Without describe-network-acls.json no subnet has a known ACL: assumed to admit.
  aclsCollected: fc.constantFrom(true, true, true, false),
}).map(({ aclsCollected, ...s }): Scenario => (aclsCollected ? s : { ...s, subnets: s.subnets.map((sub) => ({ ...sub, acl: undefined })) }));

function permissionOf(r: SgRule): AwsIpPermission {
  const source = familyOf(r.cidr) === 4 ? { IpRanges: [{ CidrIp: r.cidr }] } : { Ipv6Ranges: [{ CidrIpv6: r.cidr }] };
  return r.protocol === '-1' ? { IpProtocol: '-1', ...source } : { IpProtocol: r.protocol, FromPort: r.from, ToPort: r.to, ...source };
}

function aclEntryOf(e: AclRule): AwsNetworkAclEntry {
  return {
    ...(familyOf(e.cidr) === 4 ? { CidrBlock: e.cidr } : { Ipv6CidrBlock: e.cidr }),
    Egress: e.egress, Protocol: e.protocol, RuleAction: e.action, RuleNumber: e.number,
    ...(e.ports ? { PortRange: { From: e.ports[0], To: e.ports[1] } } : {}),
  };
}

function inventoryOf(s: Scenario) {
  const groupIds = s.groups.map((_, i) => `sg-${i}`);
  const subnetIds = s.subnets.map((_, i) => `subnet-${i}`);
  const withAcl = s.subnets.every((sub) => sub.acl !== undefined);
  return inventory({
    clusters: [cluster('db', s.port, groupIds, ['db-1'])],
    instances: [instance('db-1', 'db', { publiclyAccessible: s.publiclyAccessible, subnetIds, ...(s.networkType ? { networkType: s.networkType } : {}) })],
    groups: s.groups.map((rules, i) => group(groupIds[i]!, rules.map(permissionOf))),
    subnets: subnetIds.map((id) => subnet(id)),
    routeTables: s.subnets.map((sub, i) => routeTable(`rtb-${i}`, { subnetIds: [subnetIds[i]!], routes: sub.routes.map((r) => [r.destination, r.target, r.state]) })),
    // All subnets have an ACL, or the ACL file is missing (assumed to admit), as the reference reads it.
    networkAcls: withAcl ? s.subnets.map((sub, i) => networkAcl(`acl-${i}`, sub.acl!.map(aclEntryOf), { subnetIds: [subnetIds[i]!] })) : [],
    coverage: { networkAcls: withAcl },
  });
}

describe('rules: AURSG-009 and AURSG-011 against a brute-force reference (issue 7)', () => {
  it('agree on every generated scenario of groups, routes, NetworkType and ACLs', () => {
    fc.assert(fc.property(scenario, (s) => {
      const findings = auditInventory(inventoryOf(s)).filter((f) => f.ruleId === 'AURSG-009' || f.ruleId === 'AURSG-011');
      const expected = reference(s);
      assert.deepEqual(findings.map((f) => f.ruleId), expected ? [expected] : []);
    }), { numRuns: 400 });
  });

  it('reaches every verdict often: the generator is not testing only the easy case', () => {
    const counts = new Map<string, number>();
    // A fixed seed: this checks the generator's spread, which must not depend on the run's luck.
    fc.assert(fc.property(scenario, (s) => { const v = String(reference(s)); counts.set(v, (counts.get(v) ?? 0) + 1); }), { numRuns: 1000, seed: 7 });
    for (const verdict of ['AURSG-009', 'AURSG-011', 'undefined']) assert.ok((counts.get(verdict) ?? 0) >= 50, `${verdict}: ${counts.get(verdict) ?? 0} of 1000`);
  });
});
