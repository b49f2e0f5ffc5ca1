// Issue 7: verdicts that follow what AWS really does, layer by layer (design.md section 10).
// Each case is its own test with its verdict: effective permissions over a cluster's groups,
// split coverage, routes (split default, blackhole, eigw, main vs explicit table), address
// families (NetworkType), the VPC's own blocks, and network ACLs (AURSG-009 vs AURSG-011).

import * as assert from 'node:assert/strict';
import type { AwsIpPermission, AwsNetworkAclEntry } from '../../../src/model/awsShapes';
import type { Finding, Inventory } from '../../../src/model/types';
import { buildPlan } from '../../../src/remediation';
import { auditInventory, runAudit } from '../../../src/rules';
import {
  aclIn, aclOut, allTraffic, cluster, group, instance, inventory, networkAcl, oneCluster, only, routeTable,
  ruleIdsOf, subnet, tcp, vpc, VPC, type InventoryParts,
} from './builders';

const IGW = 'igw-0abc';
const ALLOW_ALL = [aclIn(100, 'allow', '0.0.0.0/0'), aclOut(100, 'allow', '0.0.0.0/0'), aclIn(101, 'allow', '::/0'), aclOut(101, 'allow', '::/0')];

interface Setup {
  ingress?: AwsIpPermission[];
  /** Groups of the cluster beyond sg-db, as [id, ingress]. */
  moreGroups?: [string, AwsIpPermission[]][];
  routes?: ([string, string] | [string, string, string])[];
  networkType?: string;
  /** ACL entries of the subnet's explicit ACL; null for no ACL file at all. */
  acl?: AwsNetworkAclEntry[] | null;
  extra?: InventoryParts;
}

/** One cluster `web` (3306) with a public instance `web-1` in subnet-pub, routed by rtb-pub. */
function publicCluster(setup: Setup = {}): Inventory {
  const groups = [group('sg-db', setup.ingress ?? [tcp(3306, '0.0.0.0/0')], { name: 'web-db' }), ...(setup.moreGroups ?? []).map(([id, rules]) => group(id, rules))];
  return inventory({
    clusters: [cluster('web', 3306, groups.map((g) => g.groupId), ['web-1'])],
    instances: [instance('web-1', 'web', { publiclyAccessible: true, subnetIds: ['subnet-pub'], ...(setup.networkType ? { networkType: setup.networkType } : {}) })],
    groups,
    subnets: [subnet('subnet-pub')],
    routeTables: [routeTable('rtb-main', { main: true, routes: [] }), routeTable('rtb-pub', { subnetIds: ['subnet-pub'], routes: setup.routes ?? [['0.0.0.0/0', IGW]] })],
    networkAcls: setup.acl === null ? [] : [networkAcl('acl-pub', setup.acl ?? ALLOW_ALL, { subnetIds: ['subnet-pub'] })],
    ...(setup.acl === null ? { coverage: { networkAcls: false } } : {}),
    ...setup.extra,
  });
}

const exposure = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'AURSG-009' || f.ruleId === 'AURSG-011').map((f) => `${f.ruleId} ${f.instanceId}`);

describe('rules: reachability and effective permissions (issue 7)', () => {
  describe('bugs that must stay fixed', () => {
    it('bug 2: all traffic from 0.0.0.0/1 and 128.0.0.0/1 is AURSG-002 as well as AURSG-001', () => {
      const findings = auditInventory(oneCluster([allTraffic('0.0.0.0/1'), allTraffic('128.0.0.0/1')]));
      assert.equal(only(findings, 'AURSG-001').length, 1);
      const all = only(findings, 'AURSG-002');
      assert.equal(all.length, 1);
      assert.match(all[0]!.message, /2 rules allowing all traffic whose sources together cover every IPv4 address/);
      assert.deepEqual([all[0]!.rule!.source.value, ...all[0]!.relatedRules!.map((r) => r.source.value)].sort(), ['0.0.0.0/1', '128.0.0.0/1']);
    });

    it('bug 2: tcp 0-65535 from the two halves is AURSG-002, and so are the IPv6 halves ::/1 and 8000::/1', () => {
      assert.equal(only(auditInventory(oneCluster([tcp([0, 65535], '0.0.0.0/1', '128.0.0.0/1')])), 'AURSG-002').length, 1);
      assert.equal(only(auditInventory(oneCluster([tcp([1, 65535], '::/1'), allTraffic('8000::/1')])), 'AURSG-002').length, 1);
    });

    it('bug 2: halves of which only one opens every port are AURSG-001, not AURSG-002', () => {
      const findings = auditInventory(oneCluster([allTraffic('0.0.0.0/1'), tcp(3306, '128.0.0.0/1')]));
      assert.equal(only(findings, 'AURSG-001').length, 1);
      assert.equal(only(findings, 'AURSG-002').length, 0);
    });

    it('bug 3: a default route split in two (0.0.0.0/1 + 128.0.0.0/1 to the igw) is internet-routed: AURSG-009', () => {
      const findings = auditInventory(publicCluster({ routes: [['0.0.0.0/1', IGW], ['128.0.0.0/1', IGW]] }));
      assert.deepEqual(exposure(findings), ['AURSG-009 web-1']);
      assert.match(only(findings, 'AURSG-009')[0]!.message, /sends 0\.0\.0\.0\/1, 128\.0\.0\.0\/1 to internet gateway igw-0abc/);
    });

    it('bug 3: the IPv6 default route split in two (::/1 + 8000::/1) is internet-routed for a dual-stack instance', () => {
      const findings = auditInventory(publicCluster({ ingress: [tcp(3306, '::/0')], routes: [['::/1', IGW], ['8000::/1', IGW]], networkType: 'DUAL' }));
      assert.deepEqual(exposure(findings), ['AURSG-009 web-1']);
      assert.match(only(findings, 'AURSG-009')[0]!.message, /over IPv6/);
    });

    it('bug 3: half a default route is not internet-routed', () => {
      assert.deepEqual(exposure(auditInventory(publicCluster({ routes: [['0.0.0.0/1', IGW]] }))), []);
    });

    it('bug 4: an IPv4-only instance (NetworkType IPV4) is not reached through a ::/0 rule and a ::/0 route', () => {
      const ipv6Only = { ingress: [tcp(3306, '::/0')], routes: [['::/0', IGW]] as [string, string][] };
      assert.deepEqual(exposure(auditInventory(publicCluster({ ...ipv6Only, networkType: 'IPV4' }))), []);
      assert.deepEqual(exposure(auditInventory(publicCluster(ipv6Only))), [], 'NetworkType absent means IPv4 only');
      assert.deepEqual(exposure(auditInventory(publicCluster({ ...ipv6Only, networkType: 'DUAL' }))), ['AURSG-009 web-1']);
    });

    it('an IPv6-only instance (NetworkType IPV6) is reached over IPv6 only', () => {
      assert.deepEqual(exposure(auditInventory(publicCluster({ networkType: 'IPV6' }))), [], 'a 0.0.0.0/0 rule and route do not reach it');
      assert.deepEqual(exposure(auditInventory(publicCluster({ ingress: [tcp(3306, '::/0')], routes: [['::/0', IGW]], networkType: 'IPV6' }))), ['AURSG-009 web-1']);
    });

    it('bug 5: the VPC\'s own IPv6 block as a source is VPC-internal, not a public range (no AURSG-003)', () => {
      const vpcs = [vpc(VPC, ['10.20.0.0/16'], ['2600:1f18:abcd:1200::/56'])];
      const findings = auditInventory(oneCluster([tcp(3306, '2600:1f18:abcd:1200::/56', '2600:1f18:abcd:1234::/64')], 3306, { vpcs }));
      assert.deepEqual(ruleIdsOf(findings), []);
    });

    it('bug 5: a range around the VPC\'s block, or the block of another VPC, is still public (AURSG-003)', () => {
      const vpcs = [vpc(VPC, ['10.20.0.0/16'], ['2600:1f18:abcd:1200::/56']), vpc('vpc-other', ['10.30.0.0/16'], ['2600:1f18:ffff:ff00::/56'])];
      const findings = auditInventory(oneCluster([tcp(3306, '2600:1f18:abcd::/48', '2600:1f18:ffff:ff00::/56')], 3306, { vpcs }));
      assert.equal(only(findings, 'AURSG-003').length, 2);
    });

    it('bug 5: a VPC-internal source broader than the threshold is AURSG-004, like a private one', () => {
      const vpcs = [vpc(VPC, ['203.0.0.0/14'])];
      const findings = auditInventory(oneCluster([tcp(3306, '203.0.0.0/15')], 3306, { vpcs }));
      assert.deepEqual(ruleIdsOf(findings), ['AURSG-004']);
    });
  });

  describe('effective permissions: the union of a cluster\'s groups', () => {
    it('halves in two groups of one cluster are AURSG-001 (naming both rules) and, on a public routed instance, AURSG-009', () => {
      const findings = auditInventory(publicCluster({ ingress: [tcp(3306, '0.0.0.0/1')], moreGroups: [['sg-app', [tcp(3306, '128.0.0.0/1')]]] }));
      const open = only(findings, 'AURSG-001');
      assert.equal(open.length, 1);
      assert.equal(open[0]!.message, 'Together, the security groups "sg-app-name" (sg-app), "web-db" (sg-db) of cluster web have 2 rules whose sources together cover every IPv4 address '
        + '(tcp 3306 from 128.0.0.0/1 in sg-app, tcp 3306 from 0.0.0.0/1 in sg-db), so any address can reach port 3306 of cluster web.');
      assert.deepEqual([open[0]!.rule!.groupId, ...open[0]!.relatedRules!.map((r) => r.groupId)].sort(), ['sg-app', 'sg-db']);
      const reachable = only(findings, 'AURSG-009');
      assert.equal(reachable.length, 1);
      assert.equal(1 + (reachable[0]!.relatedRules?.length ?? 0), 2, 'AURSG-009 names both rules');
    });

    it('a finding made of rules of two groups gets fixes that act on each group', () => {
      const inv = publicCluster({ ingress: [tcp(3306, '0.0.0.0/1')], moreGroups: [['sg-app', [tcp(3306, '128.0.0.0/1')]]] });
      const finding = only(auditInventory(inv), 'AURSG-001')[0]!;
      const plan = buildPlan({ finding, inventory: inv, fix: 'revoke' });
      const groupsRevoked = plan.steps.map((s) => s.cli[s.cli.indexOf('--group-id') + 1]).sort();
      assert.deepEqual(groupsRevoked, ['sg-app', 'sg-db']);
      const restrict = buildPlan({ finding, inventory: inv, fix: 'restrict', allow: ['10.20.0.0/16'] });
      const revokes = restrict.steps.filter((s) => s.cli.includes('revoke-security-group-ingress')).map((s) => s.cli[s.cli.indexOf('--group-id') + 1]).sort();
      assert.deepEqual(revokes, ['sg-app', 'sg-db']);
    });

    it('private ranges beside halves that cover the family alone are not named as helping', () => {
      const finding = only(auditInventory(oneCluster([tcp(3306, '0.0.0.0/1', '128.0.0.0/1', '10.1.0.0/24', '10.2.0.0/24')])), 'AURSG-001')[0]!;
      assert.equal(finding.message, 'security group "orders-db" (sg-db) has 2 rules whose sources together cover every IPv4 address '
        + '(tcp 3306 from 0.0.0.0/1, tcp 3306 from 128.0.0.0/1), so any address can reach port 3306 of cluster orders.');
    });

    it('the same halves on two clusters that share no group are no union: no AURSG-001', () => {
      const inv = inventory({
        clusters: [cluster('a', 3306, ['sg-a']), cluster('b', 3306, ['sg-b'])],
        groups: [group('sg-a', [tcp(3306, '0.0.0.0/1')]), group('sg-b', [tcp(3306, '128.0.0.0/1')])],
      });
      assert.equal(only(auditInventory(inv), 'AURSG-001').length, 0);
    });

    it('a private range that helps cover the family is named but not among the rules to fix', () => {
      // 0.0.0.0/5 + 8.0.0.0/7 + 10.0.0.0/8 + 11.0.0.0/8 + 12.0.0.0/6 + 16.0.0.0/4 + 32.0.0.0/3 + 64.0.0.0/2 + 128.0.0.0/1
      const halves = ['0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1'];
      const finding = only(auditInventory(oneCluster([tcp(3306, ...halves), tcp(3306, '10.0.0.0/8')])), 'AURSG-001')[0]!;
      const fixed = [finding.rule!, ...finding.relatedRules!].map((r) => r.source.value);
      assert.ok(!fixed.includes('10.0.0.0/8'), 'the internal range stays');
      assert.equal(fixed.length, halves.length);
      assert.match(finding.message, /with the private or VPC ranges of tcp 3306 from 10\.0\.0\.0\/8/);
    });
  });

  describe('routes', () => {
    it('an explicit route table decides; the main table serves only subnets without one', () => {
      const privateExplicit = publicCluster({ routes: [['0.0.0.0/0', 'nat-1']] });
      privateExplicit.routeTables[0] = routeTable('rtb-main', { main: true, routes: [['0.0.0.0/0', IGW]] });
      assert.deepEqual(exposure(auditInventory(privateExplicit)), [], 'the main table\'s igw route does not serve subnet-pub');
      const mainOnly = publicCluster();
      mainOnly.routeTables = [routeTable('rtb-main', { main: true, routes: [['0.0.0.0/0', IGW]] })];
      assert.deepEqual(exposure(auditInventory(mainOnly)), ['AURSG-009 web-1']);
    });

    it('a blackhole route to the igw (gateway deleted or detached) is no internet route', () => {
      assert.deepEqual(exposure(auditInventory(publicCluster({ routes: [['0.0.0.0/0', IGW, 'blackhole']] }))), []);
    });

    it('an egress-only internet gateway (eigw-) never admits inbound traffic', () => {
      assert.deepEqual(exposure(auditInventory(publicCluster({ ingress: [tcp(3306, '::/0')], routes: [['::/0', 'eigw-1']], networkType: 'DUAL' }))), []);
    });
  });

  describe('network ACLs', () => {
    it('a public instance whose ACL denies 3306 from 0.0.0.0/0 is AURSG-011, not AURSG-009', () => {
      const findings = auditInventory(publicCluster({ acl: [aclIn(90, 'deny', '0.0.0.0/0', 'tcp', [3306, 3306]), ...ALLOW_ALL] }));
      assert.deepEqual(exposure(findings), ['AURSG-011 web-1']);
      const finding = only(findings, 'AURSG-011')[0]!;
      assert.equal(finding.severity, 'medium');
      assert.match(finding.message, /Only network ACL acl-pub keeps the internet from port 3306 of instance web-1 \(cluster web\); it admits no IPv4 address on tcp 3306\./);
      assert.deepEqual(finding.fixes, ['private', 'restrict', 'revoke', 'dedicated-sg']);
    });

    it('an ACL that admits only 203.0.113.0/24 is AURSG-011 naming that range', () => {
      const findings = auditInventory(publicCluster({ acl: [aclIn(100, 'allow', '203.0.113.0/24'), aclOut(100, 'allow', '0.0.0.0/0')] }));
      assert.deepEqual(exposure(findings), ['AURSG-011 web-1']);
      assert.match(only(findings, 'AURSG-011')[0]!.message, /it still lets 203\.0\.113\.0\/24 through \(under 0\.01% of IPv4 addresses\)/);
    });

    it('an allow-all after a deny of one /24 is still the internet: AURSG-009', () => {
      const findings = auditInventory(publicCluster({ acl: [aclIn(50, 'deny', '198.51.100.0/24'), ...ALLOW_ALL] }));
      assert.deepEqual(exposure(findings), ['AURSG-009 web-1']);
      assert.match(only(findings, 'AURSG-009')[0]!.message, /network ACL acl-pub lets 99\.99% of IPv4 addresses through on tcp 3306 and back/);
    });

    it('an ACL that denies half of the internet and admits the other half is AURSG-009 (half is the internet)', () => {
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: [aclIn(50, 'deny', '128.0.0.0/1'), ...ALLOW_ALL] }))), ['AURSG-009 web-1']);
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: [aclIn(50, 'deny', '128.0.0.0/1'), aclIn(51, 'deny', '0.0.0.0/2'), ...ALLOW_ALL] }))), ['AURSG-011 web-1']);
    });

    it('an ACL whose outbound side blocks the ephemeral ports is AURSG-011: the replies never leave', () => {
      const findings = auditInventory(publicCluster({ acl: [aclIn(100, 'allow', '0.0.0.0/0'), aclOut(100, 'allow', '0.0.0.0/0', 'tcp', [443, 443])] }));
      assert.deepEqual(exposure(findings), ['AURSG-011 web-1']);
      assert.match(only(findings, 'AURSG-011')[0]!.message, /its inbound entries admit 0\.0\.0\.0\/0 on tcp 3306, but its outbound entries do not let the replies to the clients' ephemeral ports \(1024-65535\) out/);
    });

    it('outbound replies must pass on every ephemeral port: 32768-65535 alone is not enough, 1024-65535 is', () => {
      const inbound = aclIn(100, 'allow', '0.0.0.0/0');
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: [inbound, aclOut(100, 'allow', '0.0.0.0/0', 'tcp', [32768, 65535])] }))), ['AURSG-011 web-1']);
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: [inbound, aclOut(100, 'allow', '0.0.0.0/0', 'tcp', [1024, 65535])] }))), ['AURSG-009 web-1']);
    });

    it('rule order decides: a deny at 90 before an allow at 100 blocks; an allow at 90 before a deny at 100 admits', () => {
      const denyFirst = [aclIn(90, 'deny', '0.0.0.0/0', 'tcp', [3306, 3306]), aclIn(100, 'allow', '0.0.0.0/0', 'tcp', [3306, 3306]), aclOut(100, 'allow', '0.0.0.0/0')];
      const allowFirst = [aclIn(90, 'allow', '0.0.0.0/0', 'tcp', [3306, 3306]), aclIn(100, 'deny', '0.0.0.0/0', 'tcp', [3306, 3306]), aclOut(100, 'allow', '0.0.0.0/0')];
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: denyFirst }))), ['AURSG-011 web-1']);
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: allowFirst }))), ['AURSG-009 web-1']);
      // Listed out of order in the file: the rule number still decides.
      assert.deepEqual(exposure(auditInventory(publicCluster({ acl: [...denyFirst].reverse() }))), ['AURSG-011 web-1']);
    });

    it('IPv6 entries judge IPv6 traffic: a dual-stack instance open on ::/0 is AURSG-009 with ::/0 entries and AURSG-011 without them', () => {
      const v6 = { ingress: [tcp(3306, '::/0')], routes: [['::/0', IGW]] as [string, string][], networkType: 'DUAL' };
      assert.deepEqual(exposure(auditInventory(publicCluster({ ...v6, acl: ALLOW_ALL }))), ['AURSG-009 web-1']);
      const ipv4Only = [aclIn(100, 'allow', '0.0.0.0/0'), aclOut(100, 'allow', '0.0.0.0/0')];
      assert.deepEqual(exposure(auditInventory(publicCluster({ ...v6, acl: ipv4Only }))), ['AURSG-011 web-1'], 'no IPv6 entry: the final deny');
      const deny6 = [aclIn(90, 'deny', '::/0', 'tcp', [3306, 3306]), ...ALLOW_ALL];
      assert.deepEqual(exposure(auditInventory(publicCluster({ ...v6, acl: deny6 }))), ['AURSG-011 web-1']);
    });

    it('a subnet without an explicit ACL association uses its VPC\'s default ACL', () => {
      const inv = publicCluster();
      inv.networkAcls = [networkAcl('acl-default', [aclIn(90, 'deny', '0.0.0.0/0', 'tcp', [3306, 3306]), ...ALLOW_ALL], { isDefault: true })];
      const findings = auditInventory(inv);
      assert.deepEqual(exposure(findings), ['AURSG-011 web-1']);
      assert.match(only(findings, 'AURSG-011')[0]!.message, /network ACL acl-default \(the VPC's default\)/);
    });

    it('without describe-network-acls.json, ACLs are not judged: assumed to admit (AURSG-009), and the audit says so', () => {
      const { findings, notes } = runAudit(publicCluster({ acl: null }));
      assert.deepEqual(exposure(findings), ['AURSG-009 web-1']);
      assert.ok(notes.some((n) => /Network ACLs were not judged for instance web-1 .*assumed to let everything through, the worst case/.test(n.message)));
      assert.match(only(findings, 'AURSG-009')[0]!.message, /network ACL not judged \(network ACLs were not collected\)/);
    });

    it('the worst subnet of the DB subnet group counts: one open subnet is enough', () => {
      const inv = publicCluster({ acl: [aclIn(90, 'deny', '0.0.0.0/0', 'tcp', [3306, 3306]), ...ALLOW_ALL] });
      inv.instances[0]!.subnetIds.push('subnet-pub2');
      inv.subnets.push(subnet('subnet-pub2'));
      inv.routeTables[1]!.subnetIds.push('subnet-pub2');
      inv.networkAcls.push(networkAcl('acl-open', ALLOW_ALL, { subnetIds: ['subnet-pub2'] }));
      assert.deepEqual(exposure(auditInventory(inv)), ['AURSG-009 web-1']);
    });
  });

  describe('the reachability path', () => {
    it('AURSG-009 and AURSG-011 carry the path internet → igw route → subnet ACL → groups → instance', () => {
      for (const [acl, ruleId] of [[ALLOW_ALL, 'AURSG-009'], [[aclIn(100, 'allow', '203.0.113.0/24'), aclOut(100, 'allow', '0.0.0.0/0')], 'AURSG-011']] as const) {
        const finding = only(auditInventory(publicCluster({ acl: [...acl] })), ruleId)[0]!;
        assert.deepEqual(finding.path!.map((hop) => hop.kind), ['internet', 'route', 'acl', 'groups', 'instance']);
        assert.match(finding.path![1]!.text, /route table rtb-pub of subnet subnet-pub sends 0\.0\.0\.0\/0 to internet gateway igw-0abc/);
        assert.match(finding.path![3]!.text, /security group "web-db" \(sg-db\) admits every IPv4 address \(tcp 3306 from 0\.0\.0\.0\/0\)/);
        assert.match(finding.path![4]!.text, /instance web-1 \(publicly accessible/);
        for (const hop of finding.path!) assert.ok(finding.message.includes(hop.text), `the message names the ${hop.kind} hop`);
      }
    });

    it('an instance that is not publicly accessible gets neither finding, however open the rest is', () => {
      const inv = publicCluster();
      inv.instances[0]!.publiclyAccessible = false;
      assert.deepEqual(exposure(auditInventory(inv)), []);
    });

    it('a protocol other than tcp in the ACL never admits the database (udp 3306 allow-all, then deny)', () => {
      const findings = auditInventory(publicCluster({ acl: [aclIn(100, 'allow', '0.0.0.0/0', '17'), aclOut(100, 'allow', '0.0.0.0/0')] }));
      assert.deepEqual(exposure(findings), ['AURSG-011 web-1']);
    });
  });
});
