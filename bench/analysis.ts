// Benchmark of the audit engine: 1,000,000 synthetic rules spread over security groups
// attached to Aurora clusters, audited by auditInventory, next to a bare loop doing the
// minimal per-rule check (protocol, port containment, source is /0) as the floor. The model
// has what issue 7 added: clusters judged over the union of their groups (some split a
// family's halves across two groups), publicly accessible instances whose subnets route to an
// internet gateway, and network ACLs in front of them (allow-all, narrow denies, port denies).
// Run: npx tsx bench/analysis.ts [--rules N] [--runs R]

import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createEmptyInventory, type Cluster, type Inventory, type NetworkAcl, type NetworkAclEntry, type Protocol, type Rule, type SecurityGroup,
} from '../src/model/types';
import { auditInventory, clearCidrCache, parseSettings } from '../src/rules';
import { prng } from '../tools/prng';

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const RULES = argument('--rules', 1_000_000);
const RUNS = argument('--runs', 5);
const RULES_PER_GROUP = 50;
const GROUPS_PER_CLUSTER = 2;


function buildInventory(totalRules: number): Inventory {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const privateCidrs = Array.from({ length: 2000 }, (_, i) => `10.${i % 250}.${Math.floor(i / 250)}.0/24`);
  const publicHosts = Array.from({ length: 500 }, (_, i) => `198.51.${i % 200}.${(i * 7) % 250}/32`);
  const v6Ranges = Array.from({ length: 200 }, (_, i) => `fd00:${i.toString(16)}::/56`);
  const appGroups = Array.from({ length: 20 }, (_, i) => `sg-app${i}`);
  const prefixLists = Array.from({ length: 10 }, (_, i) => `pl-0bench${i}`);
  const ports = [3306, 5432, 3307, 4406];

  const inventory = createEmptyInventory({ kind: 'live', label: 'bench / eu-west-1', profile: 'bench', region: 'eu-west-1', accountId: '123456789012' });
  inventory.coverage = { securityGroupRuleIds: true, subnets: true, routeTables: true, networkInterfaces: true, vpcs: true, networkAcls: true };
  inventory.prefixLists = prefixLists.map((id, i) => ({ prefixListId: id, entries: i === 0 ? ['0.0.0.0/0'] : [`10.${100 + i}.0.0/20`, `10.${120 + i}.0.0/22`] }));
  inventory.vpcs = [{ vpcId: 'vpc-1', cidrBlocks: ['10.0.0.0/8'], ipv6CidrBlocks: ['2600:1f18:abcd:1200::/56'] }];
  // 40 subnets, all routed to the internet gateway by the main table; each with its ACL.
  const subnetIds = Array.from({ length: 40 }, (_, i) => `subnet-${i.toString(16).padStart(17, '0')}`);
  inventory.subnets = subnetIds.map((subnetId, i) => ({ subnetId, vpcId: 'vpc-1', cidrBlock: `10.250.${i}.0/24`, ipv6CidrBlocks: [] }));
  inventory.routeTables = [{ routeTableId: 'rtb-main', vpcId: 'vpc-1', main: true, subnetIds: [], routes: [
    { destination: '10.0.0.0/8', target: 'local', state: 'active' }, { destination: '0.0.0.0/1', target: 'igw-1', state: 'active' },
    { destination: '128.0.0.0/1', target: 'igw-1', state: 'active' }, { destination: '::/0', target: 'igw-1', state: 'active' },
  ] }];
  const entry = (ruleNumber: number, egress: boolean, action: 'allow' | 'deny', cidr: string, ports?: [number, number]): NetworkAclEntry =>
    ({ ruleNumber, egress, action, cidr, protocol: ports ? 'tcp' : 'all', ...(ports ? { fromPort: ports[0], toPort: ports[1] } : {}) });
  inventory.networkAcls = subnetIds.map((subnetId, i): NetworkAcl => ({
    networkAclId: `acl-${i}`, vpcId: 'vpc-1', isDefault: false, subnetIds: [subnetId], entries: [
      ...Array.from({ length: i % 5 }, (_, d) => entry(10 + d, false, 'deny', `198.51.${d}.0/24`)),
      ...(i % 4 === 0 ? [entry(50, false, 'deny', '0.0.0.0/0', [3300, 5440])] : []),
      entry(100, false, 'allow', '0.0.0.0/0'), entry(101, false, 'allow', '::/0'),
      ...(i % 6 === 0 ? [entry(90, true, 'allow', '0.0.0.0/0', [1024, 65535])] : [entry(100, true, 'allow', '0.0.0.0/0')]),
      entry(101, true, 'allow', '::/0'), entry(32767, false, 'deny', '0.0.0.0/0'), entry(32767, true, 'deny', '0.0.0.0/0'),
    ],
  }));

  const groupCount = Math.ceil(totalRules / RULES_PER_GROUP);
  let made = 0;
  let cluster: Cluster | undefined;
  for (let g = 0; g < groupCount; g++) {
    const groupId = `sg-${g.toString(16).padStart(17, '0')}`;
    if (g % GROUPS_PER_CLUSTER === 0) {
      const clusterId = `cluster-${g / GROUPS_PER_CLUSTER}`;
      cluster = {
        clusterId, arn: `arn:aws:rds:eu-west-1:123456789012:cluster:${clusterId}`, engine: 'aurora-mysql', status: 'available',
        port: pick(ports), securityGroupIds: [], memberInstanceIds: [],
      };
      inventory.clusters.push(cluster);
      // One instance per cluster, one in ten publicly accessible (some dual-stack), in two of the subnets.
      const index = g / GROUPS_PER_CLUSTER;
      const instanceId = `${clusterId}-1`;
      cluster.memberInstanceIds.push(instanceId);
      inventory.instances.push({
        instanceId, clusterId, engine: 'aurora-mysql', status: 'available', publiclyAccessible: index % 10 === 0,
        subnetIds: [subnetIds[index % 40]!, subnetIds[(index + 7) % 40]!], vpcId: 'vpc-1', securityGroupIds: [],
        networkType: index % 30 === 0 ? 'DUAL' : 'IPV4',
      });
    }
    cluster!.securityGroupIds.push(groupId);
    const dbPort = cluster!.port;
    const rules: Rule[] = [];
    const count = Math.min(RULES_PER_GROUP, totalRules - made);
    for (let r = 0; r < count; r++) {
      const roll = random();
      let protocol: Protocol = 'tcp';
      let fromPort: number | undefined = dbPort;
      let toPort: number | undefined = dbPort;
      let source: Rule['source'];
      let direction: Rule['direction'] = 'ingress';
      // A messy but realistic account: most rules are application sources on the DB port
      // or other ports; a few percent are the risky ones the audit exists for.
      if (r === 0) { direction = 'egress'; protocol = 'all'; fromPort = toPort = undefined; source = { kind: 'cidr4', value: '0.0.0.0/0' }; }
      // One cluster in fifty splits the internet's halves across its two groups (the union opens it).
      else if (r === 1 && Math.floor(g / GROUPS_PER_CLUSTER) % 50 === 0) source = { kind: 'cidr4', value: g % GROUPS_PER_CLUSTER === 0 ? '0.0.0.0/1' : '128.0.0.0/1' };
      else if (roll < 0.55) source = { kind: 'cidr4', value: pick(privateCidrs) };
      else if (roll < 0.70) source = { kind: 'group', value: pick(appGroups), ownerId: '123456789012' };
      else if (roll < 0.80) { fromPort = toPort = pick([443, 22, 8080, 6379]); source = { kind: 'cidr4', value: pick(privateCidrs) }; }
      else if (roll < 0.85) { protocol = 'udp'; source = { kind: 'cidr4', value: pick(privateCidrs) }; }
      else if (roll < 0.86) { protocol = 'all'; fromPort = toPort = undefined; source = { kind: 'group', value: groupId }; }
      else if (roll < 0.89) source = { kind: 'prefixList', value: pick(prefixLists) };
      else if (roll < 0.95) source = { kind: 'cidr6', value: pick(v6Ranges) };
      else if (roll < 0.955) source = { kind: 'cidr4', value: pick(publicHosts) };
      else if (roll < 0.965) { fromPort = dbPort - 6; toPort = dbPort + 4; source = { kind: 'cidr4', value: pick(privateCidrs) }; }
      else if (roll < 0.967) source = { kind: 'cidr4', value: '0.0.0.0/0' };
      else if (roll < 0.969) source = { kind: 'cidr6', value: '::/0' };
      else if (roll < 0.98) { protocol = 'icmp'; fromPort = 8; toPort = 0; source = { kind: 'cidr4', value: '0.0.0.0/0' }; }
      else source = { kind: 'cidr4', value: pick(privateCidrs) };
      const rule: Rule = { groupId, direction, protocol, source };
      if (fromPort !== undefined) rule.fromPort = fromPort;
      if (toPort !== undefined) rule.toPort = toPort;
      rules.push(rule);
    }
    made += count;
    const group: SecurityGroup = { groupId, groupName: `bench-${g}`, description: 'bench', vpcId: 'vpc-1', ownerId: '123456789012', rules };
    inventory.securityGroups.push(group);
  }
  return inventory;
}

/** The floor: per cluster, per group, per rule, the least an evaluator must look at. */
function bareLoop(inventory: Inventory): number {
  const groups = new Map(inventory.securityGroups.map((g) => [g.groupId, g]));
  let open = 0;
  for (const cluster of inventory.clusters) {
    const port = cluster.port;
    for (const id of cluster.securityGroupIds) {
      const rules = groups.get(id)!.rules;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i]!;
        if (rule.direction !== 'ingress') continue;
        const all = rule.protocol === 'all';
        if (!all && rule.protocol !== 'tcp') continue;
        if (!all && (rule.fromPort! > port || rule.toPort! < port)) continue;
        const value = rule.source.value;
        if (value === '0.0.0.0/0' || value === '::/0') open++;
      }
    }
  }
  return open;
}

/**
 * Wall time and CPU time (user + system, all threads of the process). On a shared machine
 * other processes stretch wall time; CPU time is what the work itself cost.
 */
function time<T>(work: () => T): { ms: number; cpuMs: number; result: T } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rate = (ms: number) => Math.round(RULES / (ms / 1000));
const fmt = (n: number) => n.toLocaleString('en-US');

const inventory = buildInventory(RULES);
const ruleCount = inventory.securityGroups.reduce((n, g) => n + g.rules.length, 0);
// Every application group but two is approved, as is the private 10/8 the apps live in.
const settings = parseSettings({ approvedSources: ['10.0.0.0/8', 'fd00::/8', ...Array.from({ length: 18 }, (_, i) => `sg-app${i}`)] }, 'bench').settings;
console.log(`inventory: ${fmt(ruleCount)} rules in ${fmt(inventory.securityGroups.length)} groups on ${fmt(inventory.clusters.length)} clusters (Node ${process.version})`);

// Cold: the first audit pays for parsing every distinct CIDR (ipaddr.js) and JIT warm-up.
clearCidrCache();
const cold = time(() => auditInventory(inventory, settings));
console.log(`cold first run (parses every distinct CIDR, JIT not warm): wall ${cold.ms.toFixed(0)} ms = ${fmt(rate(cold.ms))} rules/s; cpu ${cold.cpuMs.toFixed(0)} ms; ${fmt(cold.result.length)} findings`);

// Warm-up, then timed runs.
for (let i = 0; i < 2; i++) { auditInventory(inventory, settings); bareLoop(inventory); }
const auditTimes: number[] = [];
const floorTimes: number[] = [];
const auditCpu: number[] = [];
const floorCpu: number[] = [];
let findings = 0;
let floorOpen = 0;
for (let i = 0; i < RUNS; i++) {
  const audit = time(() => auditInventory(inventory, settings));
  auditTimes.push(audit.ms);
  auditCpu.push(audit.cpuMs);
  findings = audit.result.length;
  const floor = time(() => bareLoop(inventory));
  floorTimes.push(floor.ms);
  floorCpu.push(floor.cpuMs);
  floorOpen = floor.result;
}
const auditMs = median(auditTimes);
const floorMs = median(floorTimes);
const auditCpuMs = median(auditCpu);
const floorCpuMs = median(floorCpu);
const load = os.loadavg()[0]!.toFixed(1);
console.log(`auditInventory (median of ${RUNS}): wall ${auditMs.toFixed(1)} ms = ${fmt(rate(auditMs))} rules/s; cpu ${auditCpuMs.toFixed(1)} ms = ${fmt(rate(auditCpuMs))} rules/s; ${fmt(findings)} findings (${(100 * findings / RULES).toFixed(1)} per 100 rules)`);
console.log(`bare loop floor (median of ${RUNS}): wall ${floorMs.toFixed(1)} ms = ${fmt(rate(floorMs))} rules/s; cpu ${floorCpuMs.toFixed(1)} ms = ${fmt(rate(floorCpuMs))} rules/s; ${fmt(floorOpen)} rules open to /0`);
console.log(`ratio (wall): auditInventory takes ${(auditMs / floorMs).toFixed(1)}x the floor; load average ${load} on ${os.cpus().length} cores`);
console.log(`goal >= 1,000,000 rules/s (wall): ${rate(auditMs) >= 1_000_000 ? 'met' : 'NOT met'}`);
