// Property: whatever the security groups and inventory hold (junk protocols, ports -1 or
// out of range, hostile strings, invalid CIDRs), the audit never throws, never fails
// internally, and every finding is well formed.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AwsIpPermission, AwsSecurityGroup } from '../../../src/model/awsShapes';
import { securityGroupFromAws } from '../../../src/model/fromAws';
import { SEVERITIES, type Inventory, type NetworkAcl, type Rule, type SecurityGroup } from '../../../src/model/types';
import { compareFindings, isRuleId, parseSettings, runAudit } from '../../../src/rules';
import { cluster, instance, inventory, networkInterface, prefixList, routeTable, subnet } from './builders';

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom('$(touch /tmp/x)', '`id`', '"\'', 'a\nb', ';&|', 'ünïcødé ☃', '', ' ', '\u0000', 'sg-', 'pl-', '__proto__', 'constructor'),
);
const groupIds = fc.constantFrom('sg-a', 'sg-b', 'sg-c', 'sg-missing', '__proto__');
const cidr4 = fc.tuple(fc.ipV4(), fc.integer({ min: -1, max: 34 })).map(([ip, p]) => `${ip}/${p}`);
const cidr6 = fc.tuple(fc.ipV6(), fc.integer({ min: -1, max: 130 })).map(([ip, p]) => `${ip}/${p}`);
const cidr = fc.oneof(cidr4, cidr6, fc.constantFrom('0.0.0.0/0', '::/0', '0000:0000::/0', '0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/8'), hostile);
const protocol = fc.oneof(fc.constantFrom('tcp', 'udp', 'icmp', 'icmpv6', 'all', '-1', '6', '17', '58', '50', 'TCP', ' tcp ', '999', 'junk'), hostile);
const port = fc.option(fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.constantFrom(-1, 0, 65535, 3306, 5432, Number.NaN, Infinity, 1.5)), { nil: undefined });
const sourceValue = fc.oneof(cidr, groupIds, fc.constantFrom('pl-1', 'pl-2', 'pl-unread'), hostile);

const rule: fc.Arbitrary<Rule> = fc.record({
  groupId: groupIds,
  direction: fc.constantFrom('ingress', 'egress', 'sideways'),
  protocol,
  fromPort: port,
  toPort: port,
  source: fc.record({
    kind: fc.constantFrom('cidr4', 'cidr6', 'prefixList', 'group', 'unknown'),
    value: sourceValue,
    ownerId: fc.option(fc.constantFrom('123456789012', '210987654321', ''), { nil: undefined }),
  }),
}) as unknown as fc.Arbitrary<Rule>;

const awsPermission: fc.Arbitrary<AwsIpPermission> = fc.record({
  IpProtocol: fc.option(protocol, { nil: undefined }),
  FromPort: port,
  ToPort: port,
  IpRanges: fc.option(fc.array(fc.record({ CidrIp: fc.option(cidr, { nil: undefined }), Description: fc.option(hostile, { nil: undefined }) }), { maxLength: 3 }), { nil: undefined }),
  Ipv6Ranges: fc.option(fc.array(fc.record({ CidrIpv6: fc.option(cidr, { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
  PrefixListIds: fc.option(fc.array(fc.record({ PrefixListId: fc.constantFrom('pl-1', 'pl-2', 'pl-unread') }), { maxLength: 2 }), { nil: undefined }),
  UserIdGroupPairs: fc.option(fc.array(fc.record({ GroupId: groupIds, UserId: fc.option(fc.constantFrom('123456789012', '210987654321'), { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
});

const group: fc.Arbitrary<SecurityGroup> = fc.oneof(
  fc.record({ groupId: groupIds, groupName: fc.oneof(hostile, fc.constant('default')), description: hostile, ownerId: fc.option(fc.constantFrom('123456789012', '210987654321'), { nil: undefined }), rules: fc.array(rule, { maxLength: 8 }) }),
  fc.record({
    GroupId: groupIds, GroupName: fc.option(hostile, { nil: undefined }), OwnerId: fc.option(fc.constant('123456789012'), { nil: undefined }),
    IpPermissions: fc.option(fc.array(awsPermission, { maxLength: 4 }), { nil: undefined }),
    IpPermissionsEgress: fc.option(fc.array(awsPermission, { maxLength: 2 }), { nil: undefined }),
  }).map((raw: AwsSecurityGroup) => securityGroupFromAws(raw, [], { notes: [] })!),
);

const world: fc.Arbitrary<Inventory> = fc.record({
  groups: fc.array(group, { maxLength: 4 }),
  clusters: fc.array(fc.record({
    id: fc.oneof(fc.constantFrom('c1', 'c2'), hostile),
    port: fc.oneof(fc.constantFrom(3306, 5432, 3307), fc.integer({ min: -5, max: 70000 })),
    groupIds: fc.array(groupIds, { maxLength: 3 }),
  }), { maxLength: 3 }),
  instances: fc.array(fc.record({
    id: hostile, cluster: fc.constantFrom('c1', 'c2', 'nope'), isPublic: fc.boolean(), subnets: fc.array(fc.constantFrom('subnet-a', 'subnet-b', 'subnet-z'), { maxLength: 2 }),
    networkType: fc.option(fc.oneof(fc.constantFrom('IPV4', 'DUAL', 'dual'), hostile), { nil: undefined }),
  }), { maxLength: 3 }),
  routes: fc.array(fc.tuple(fc.oneof(cidr, fc.constantFrom('pl-1')), fc.constantFrom('igw-1', 'nat-1', 'eigw-1', 'local', ''), fc.constantFrom('active', 'blackhole', '')), { maxLength: 3 }),
  main: fc.boolean(),
  coverage: fc.record({ routeTables: fc.boolean(), networkInterfaces: fc.boolean(), subnets: fc.boolean(), networkAcls: fc.boolean(), vpcs: fc.boolean() }),
  // Built as model objects, not through the converter, so junk reaches the evaluator too.
  acls: fc.array(fc.record({
    networkAclId: fc.oneof(fc.constantFrom('acl-1', 'acl-2'), hostile), vpcId: fc.constantFrom('vpc-0a1b2c3d', 'vpc-x'), isDefault: fc.boolean(),
    subnetIds: fc.array(fc.constantFrom('subnet-a', 'subnet-b'), { maxLength: 2 }),
    entries: fc.array(fc.record({
      ruleNumber: fc.oneof(fc.integer({ min: -1, max: 40000 }), fc.constant(Number.NaN)), egress: fc.boolean(),
      protocol: fc.constantFrom('tcp', 'all', 'udp', '50', 'junk'), action: fc.constantFrom('allow', 'deny', 'maybe'), cidr: cidr,
      fromPort: port, toPort: port,
    }), { maxLength: 5 }),
  }), { maxLength: 2 }),
  vpcBlocks: fc.array(cidr, { maxLength: 3 }),
  enis: fc.array(fc.record({ groups: fc.array(groupIds, { maxLength: 2 }), requester: fc.option(fc.constantFrom('amazon-rds', 'amazon-elb'), { nil: undefined }) }), { maxLength: 3 }),
  lists: fc.array(fc.record({ id: fc.constantFrom('pl-1', 'pl-2'), entries: fc.option(fc.array(cidr, { maxLength: 4 }), { nil: undefined }) }), { maxLength: 2 }),
  judgeUnattachedGroups: fc.boolean(),
}).map((w) => inventory({
  groups: w.groups,
  clusters: w.clusters.map((c) => ({ ...cluster('x', 3306, c.groupIds), clusterId: c.id, port: c.port })),
  instances: w.instances.map((i) => ({ ...instance('i', i.cluster, { publiclyAccessible: i.isPublic, subnetIds: i.subnets }), instanceId: i.id, ...(i.networkType !== undefined ? { networkType: i.networkType } : {}) })),
  subnets: [subnet('subnet-a'), subnet('subnet-b')],
  routeTables: [routeTable('rtb-1', { main: w.main, subnetIds: ['subnet-a'], routes: w.routes })],
  networkAcls: w.acls as unknown as NetworkAcl[],
  vpcs: [{ vpcId: 'vpc-0a1b2c3d', cidrBlocks: w.vpcBlocks.filter((c) => !c.includes(':')), ipv6CidrBlocks: w.vpcBlocks.filter((c) => c.includes(':')) }],
  networkInterfaces: w.enis.map((e, i) => networkInterface(`eni-${i}`, e.groups, e.requester ? { requesterId: e.requester } : {})),
  prefixLists: w.lists.map((l) => prefixList(l.id, l.entries)),
  coverage: w.coverage,
  judgeUnattachedGroups: w.judgeUnattachedGroups,
}));

const settings = fc.record({
  approvedSources: fc.array(fc.oneof(cidr, groupIds, fc.constantFrom('pl-1')), { maxLength: 3 }),
  broadCidrThresholds: fc.record({ ipv4: fc.integer({ min: 0, max: 32 }), ipv6: fc.integer({ min: 0, max: 128 }) }),
  databasePorts: fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
  severityOverrides: fc.dictionary(fc.constantFrom('AURSG-001', 'AURSG-008'), fc.constantFrom(...SEVERITIES)),
  suppressions: fc.array(fc.record({ ruleId: fc.constantFrom('AURSG-001', 'AURSG-005'), reason: fc.constant('accepted') }), { maxLength: 2 }),
}).map((raw) => parseSettings(raw, 'property').settings);

describe('rules: property', () => {
  it('random security groups and inventories never make the audit throw, and findings are well formed', () => {
    fc.assert(fc.property(world, settings, (inv, s) => {
      const { findings, notes } = runAudit(inv, s);
      assert.deepEqual(notes.filter((n) => n.level === 'error'), [], 'no internal errors');
      const ids = new Set<string>();
      for (const f of findings) {
        assert.ok(isRuleId(f.ruleId));
        assert.match(f.id, /^AURSG-0(0[1-9]|1[01])-[0-9a-f]{12}$/);
        assert.ok(!ids.has(f.id), 'unique ids');
        ids.add(f.id);
        assert.ok(SEVERITIES.includes(f.severity));
        assert.ok(f.message.length > 0 && !f.message.includes('\n'), 'a one-line message');
      }
      for (let i = 1; i < findings.length; i++) assert.ok(compareFindings(findings[i - 1]!, findings[i]!) <= 0, 'sorted worst first');
    }), { numRuns: 300 });
  });

  it('settings from any JSON never make parseSettings throw, and what it returns is valid', () => {
    const nearlySettings = fc.record({
      approvedSources: fc.oneof(fc.array(fc.oneof(cidr, groupIds, fc.jsonValue())), fc.jsonValue()),
      broadCidrThresholds: fc.oneof(fc.record({ ipv4: fc.jsonValue(), ipv6: fc.jsonValue() }), fc.jsonValue()),
      databasePorts: fc.oneof(fc.array(fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.jsonValue())), fc.jsonValue()),
      severityOverrides: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('AURSG-001', 'AURSG-010'), fc.string()), fc.oneof(fc.constantFrom(...SEVERITIES), fc.jsonValue())), fc.jsonValue()),
      suppressions: fc.oneof(fc.array(fc.record({ ruleId: fc.oneof(fc.constant('AURSG-003'), fc.jsonValue()), reason: fc.jsonValue(), groupId: fc.jsonValue() }, { requiredKeys: [] })), fc.jsonValue()),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), nearlySettings), (raw) => {
      const { settings: parsed, problems } = parseSettings(raw, 'random.json');
      assert.ok(problems.every((p) => p.startsWith('random.json: ')));
      assert.ok(parsed.databasePorts.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535));
      assert.ok(parsed.suppressions.every((s) => isRuleId(s.ruleId) && s.reason.trim().length > 0));
      assert.ok(Object.entries(parsed.severityOverrides).every(([k, v]) => isRuleId(k) && SEVERITIES.includes(v)));
      assert.ok(parsed.broadCidrThresholds.ipv4 >= 0 && parsed.broadCidrThresholds.ipv4 <= 32);
    }), { numRuns: 500 });
  });
});
