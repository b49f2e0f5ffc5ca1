// The rule catalog, row by row: each case of issue 2 ("The engine") with its expected verdict.

import * as assert from 'node:assert/strict';
import { auditInventory, RULES, RULE_IDS } from '../../../src/rules';
import { SEVERITIES } from '../../../src/model/types';
import {
  ACCOUNT, OTHER_ACCOUNT, allTraffic, cluster, group, instance, inventory, networkInterface, oneCluster, only, permission,
  prefixList, routeTable, ruleIdsOf, subnet, tcp,
} from './builders';

describe('rules: catalog', () => {
  it('describes every rule AURSG-001..011 with the severities of design.md section 3', () => {
    assert.deepEqual(RULE_IDS, ['AURSG-001', 'AURSG-002', 'AURSG-003', 'AURSG-004', 'AURSG-005', 'AURSG-006', 'AURSG-007', 'AURSG-008', 'AURSG-009', 'AURSG-010', 'AURSG-011']);
    assert.deepEqual(RULE_IDS.map((id) => RULES[id].severity),
      ['critical', 'critical', 'high', 'medium', 'low', 'medium', 'medium', 'low', 'critical', 'info', 'medium']);
    for (const id of RULE_IDS) {
      const info = RULES[id];
      assert.equal(info.id, id);
      assert.ok(SEVERITIES.includes(info.severity));
      assert.ok(info.title.length > 10 && info.summary.length > 20 && info.why.length > 100, `${id} text`);
      assert.ok(info.references.length > 0 && info.references.every((r) => r.url.startsWith('https://')), `${id} references`);
      assert.ok(info.fixes.length > 0, `${id} fixes`);
    }
  });
});

describe('rules: database port from anywhere (AURSG-001/002/005)', () => {
  it('tcp 3306 from 0.0.0.0/0 is AURSG-001 and nothing else', () => {
    const findings = auditInventory(oneCluster([tcp(3306, '0.0.0.0/0')]));
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-001']);
    const [f] = findings;
    assert.equal(f!.severity, 'critical');
    assert.equal(f!.clusterId, 'orders');
    assert.equal(f!.groupId, 'sg-db');
    assert.equal(f!.rule?.source.value, '0.0.0.0/0');
    assert.match(f!.message, /"orders-db" \(sg-db\) allows tcp 3306 from 0\.0\.0\.0\/0.*port 3306 of cluster orders/);
    assert.deepEqual(f!.fixes, ['revoke', 'restrict', 'dedicated-sg']);
  });

  it('tcp 3306 from ::/0 only is AURSG-001', () => {
    const findings = auditInventory(oneCluster([tcp(3306, '::/0')]));
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-001']);
    assert.match(findings[0]!.message, /from ::\/0: ::\/0 is every IPv6 address/);
  });

  it('odd spellings of /0 (0000:0000::/0, host bits set) are anywhere too', () => {
    assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([tcp(3306, '0000:0000::/0')]))), ['AURSG-001']);
    assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([tcp(3306, '10.0.0.1/0')]))), ['AURSG-001']);
  });

  it('0.0.0.0/1 + 128.0.0.0/1 in two rules together are AURSG-001, naming both; one half alone is not', () => {
    const findings = auditInventory(oneCluster([tcp(3306, '0.0.0.0/1'), tcp(3306, '128.0.0.0/1')]));
    const anywhere = only(findings, 'AURSG-001');
    assert.equal(anywhere.length, 1);
    assert.deepEqual([anywhere[0]!.rule!.source.value, ...anywhere[0]!.relatedRules!.map((r) => r.source.value)].sort(), ['0.0.0.0/1', '128.0.0.0/1']);
    assert.match(anywhere[0]!.message, /2 rules whose sources together cover every IPv4 address/);
    // Each half is still a public range (a broader finding never hides a narrower one).
    assert.equal(only(findings, 'AURSG-003').length, 2);
    assert.deepEqual(only(auditInventory(oneCluster([tcp(3306, '0.0.0.0/1')])), 'AURSG-001'), []);
  });

  it('IPv6 halves and 256 IPv4 /8s cover their family too', () => {
    assert.equal(only(auditInventory(oneCluster([tcp(3306, '::/1'), tcp(3306, '8000::/1')])), 'AURSG-001').length, 1);
    const slash8s = Array.from({ length: 256 }, (_, i) => `${i}.0.0.0/8`);
    assert.equal(only(auditInventory(oneCluster([tcp(3306, ...slash8s)])), 'AURSG-001').length, 1);
    assert.equal(only(auditInventory(oneCluster([tcp(3306, ...slash8s.slice(1))])), 'AURSG-001').length, 0);
  });

  it('halves on different ports do not cover the cluster port', () => {
    assert.deepEqual(only(auditInventory(oneCluster([tcp(3306, '0.0.0.0/1'), tcp(3307, '128.0.0.0/1')])), 'AURSG-001'), []);
  });

  it('tcp 3300-3310 from 0.0.0.0/0 is AURSG-001 and AURSG-005 (opens other ports)', () => {
    const findings = auditInventory(oneCluster([tcp([3300, 3310], '0.0.0.0/0')]));
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-001', 'AURSG-005']);
    assert.match(only(findings, 'AURSG-005')[0]!.message, /reaches port 3306 of cluster orders and also opens the other ports of tcp 3300-3310/);
    // restrict narrows an AURSG-005 rule to the database port (remediation/fixes/restrict.ts).
    assert.deepEqual(only(findings, 'AURSG-005')[0]!.fixes, ['restrict', 'dedicated-sg', 'revoke']);
  });

  it('tcp 0-65535 and tcp 1-65535 from anywhere are all ports: AURSG-001, 002 and 005', () => {
    for (const range of [[0, 65535], [1, 65535]] as [number, number][]) {
      assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([tcp(range, '0.0.0.0/0')]))), ['AURSG-001', 'AURSG-002', 'AURSG-005'], range.join('-'));
    }
    assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([tcp([2, 65535], '0.0.0.0/0')]))), ['AURSG-001', 'AURSG-005']);
  });

  it('protocol -1 from anywhere is AURSG-002 and does not hide AURSG-001 on the same rule', () => {
    const findings = auditInventory(oneCluster([allTraffic('0.0.0.0/0')]));
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-001', 'AURSG-002', 'AURSG-005']);
    assert.ok(findings.every((f) => f.rule === findings[0]!.rule), 'all three are about the one rule');
    assert.match(only(findings, 'AURSG-002')[0]!.message, /all traffic from 0\.0\.0\.0\/0/);
  });

  it('protocol "6" is tcp', () => {
    assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([permission('6', 3306, 3306, '0.0.0.0/0')]))), ['AURSG-001']);
    // Also when a rule is built without the model's normalisation.
    const inv = oneCluster([]);
    inv.securityGroups[0]!.rules.push({ groupId: 'sg-db', direction: 'ingress', protocol: '6', fromPort: 3306, toPort: 3306, source: { kind: 'cidr4', value: '0.0.0.0/0' } });
    assert.deepEqual(ruleIdsOf(auditInventory(inv)), ['AURSG-001']);
  });

  it('udp 3306 from anywhere is not a database exposure', () => {
    assert.deepEqual(auditInventory(oneCluster([permission('udp', 3306, 3306, '0.0.0.0/0', '::/0')])), []);
    assert.deepEqual(auditInventory(oneCluster([permission('17', 0, 65535, '0.0.0.0/0')])), []);
  });

  it('ICMP type and code are never ports', () => {
    assert.deepEqual(auditInventory(oneCluster([permission('icmp', 3306, -1, '0.0.0.0/0'), permission('icmpv6', -1, -1, '::/0')])), []);
  });

  it('judges the cluster\'s real port: on 3307, a group opening 3306 is fine and one opening 3307 is not', () => {
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, '0.0.0.0/0')], 3307)), []);
    const findings = auditInventory(oneCluster([tcp(3307, '0.0.0.0/0')], 3307));
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-001']);
    assert.match(findings[0]!.message, /port 3307 of cluster orders/);
  });

  it('judges a group attached to two clusters on different ports against each', () => {
    const shared = group('sg-shared', [tcp(5432, '0.0.0.0/0'), tcp(3306, '10.1.0.0/16')]);
    const inv = inventory({ clusters: [cluster('mysql', 3306, ['sg-shared']), cluster('pg', 5432, ['sg-shared'])], groups: [shared] });
    const findings = auditInventory(inv);
    const anywhere = only(findings, 'AURSG-001');
    assert.deepEqual(anywhere.map((f) => f.clusterId), ['pg']);
    // The shared group is AURSG-010 for each cluster, each naming the other.
    assert.deepEqual(only(findings, 'AURSG-010').map((f) => [f.clusterId, /also attached to cluster (\w+)/.exec(f.message)?.[1]]), [['mysql', 'pg'], ['pg', 'mysql']]);

    const open = auditInventory(inventory({ clusters: [cluster('mysql', 3306, ['sg-open']), cluster('pg', 5432, ['sg-open'])], groups: [group('sg-open', [allTraffic('0.0.0.0/0')])] }));
    const both = only(open, 'AURSG-001');
    assert.deepEqual(both.map((f) => f.clusterId), ['mysql', 'pg']);
    assert.notEqual(both[0]!.id, both[1]!.id);
    assert.match(both[0]!.message, /port 3306 of cluster mysql/);
    assert.match(both[1]!.message, /port 5432 of cluster pg/);
  });
});

describe('rules: group references and prefix lists', () => {
  it('a security group reference is never anywhere; a cross-account owner is named in the message', () => {
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, 'sg-app'), allTraffic('sg-app')])).filter((f) => f.ruleId !== 'AURSG-005'), []);
    const findings = auditInventory(oneCluster([tcp([3306, 3310], `sg-partner@${OTHER_ACCOUNT}`)]), {
      approvedSources: ['sg-app'], broadCidrThresholds: { ipv4: 16, ipv6: 56 }, databasePorts: [3306], severityOverrides: {}, suppressions: [],
    });
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-005', 'AURSG-006']);
    for (const f of findings) assert.match(f.message, new RegExp(`sg-partner \\(account ${OTHER_ACCOUNT}\\), a security group owned by another account`));
    // Same-account references are not called cross-account.
    const same = auditInventory(oneCluster([tcp([3306, 3310], `sg-app@${ACCOUNT}`)]));
    assert.doesNotMatch(same[0]!.message, /another account|\(account /);
  });

  it('a prefix list whose entries contain 0.0.0.0/0 is AURSG-001', () => {
    const inv = oneCluster([tcp(3306, 'pl-0open')], 3306, { prefixLists: [prefixList('pl-0open', ['198.51.100.0/24', '0.0.0.0/0'], 'partners')] });
    const findings = auditInventory(inv);
    const anywhere = only(findings, 'AURSG-001');
    assert.equal(anywhere.length, 1);
    assert.match(anywhere[0]!.message, /prefix list pl-0open \("partners"\) holds 0\.0\.0\.0\/0/);
    // Its public entry is still reported on its own.
    assert.match(only(findings, 'AURSG-003')[0]!.message, /198\.51\.100\.0\/24/);
  });

  it('a prefix list whose entries together cover IPv4 is AURSG-001', () => {
    const inv = oneCluster([tcp(3306, 'pl-0halves')], 3306, { prefixLists: [prefixList('pl-0halves', ['0.0.0.0/1', '128.0.0.0/1'])] });
    assert.match(only(auditInventory(inv), 'AURSG-001')[0]!.message, /entries that together cover every IPv4 address/);
  });

  it('an unresolved prefix list is reported as unverifiable, not passed', () => {
    for (const lists of [[prefixList('pl-0unread', undefined)], []]) {
      const findings = auditInventory(oneCluster([tcp(3306, 'pl-0unread')], 3306, { prefixLists: lists }));
      assert.deepEqual(ruleIdsOf(findings), ['AURSG-003']);
      assert.match(findings[0]!.message, /entries of prefix list pl-0unread could not be read.*cannot be verified/);
    }
  });

  it('a prefix list of private /24s is fine', () => {
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, 'pl-0apps')], 3306, { prefixLists: [prefixList('pl-0apps', ['10.1.1.0/24', '10.1.2.0/24'])] })), []);
  });
});

describe('rules: source ranges (AURSG-003/004/006)', () => {
  it('10.0.0.0/8 is a broad private range (AURSG-004); 10.1.0.0/16 is not', () => {
    const broad = auditInventory(oneCluster([tcp(3306, '10.0.0.0/8')]));
    assert.deepEqual(ruleIdsOf(broad), ['AURSG-004']);
    assert.match(broad[0]!.message, /10\.0\.0\.0\/8 is a private range broader than \/16, more than one VPC/);
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, '10.1.0.0/16')])), []);
  });

  it('broad-CIDR thresholds are settable, and IPv6 ULA ranges shorter than /56 are broad', () => {
    const settings = { approvedSources: [], broadCidrThresholds: { ipv4: 8, ipv6: 48 }, databasePorts: [3306], severityOverrides: {}, suppressions: [] };
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, '10.0.0.0/8')]), settings), []);
    assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([tcp(3306, 'fd00::/48')]))), ['AURSG-004']);
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, 'fd00::/48')]), settings), []);
  });

  it('203.0.113.0/24 is public (AURSG-003), and approved it is fine', () => {
    const findings = auditInventory(oneCluster([tcp(3306, '203.0.113.0/24')]));
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-003']);
    assert.match(findings[0]!.message, /203\.0\.113\.0\/24 is a public address range and not an approved source/);
    const settings = { approvedSources: ['203.0.113.0/24'], broadCidrThresholds: { ipv4: 16, ipv6: 56 }, databasePorts: [3306], severityOverrides: {}, suppressions: [] };
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, '203.0.113.0/24')]), settings), []);
    // A narrower range inside an approved one is approved too.
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, '203.0.113.7/32')]), settings), []);
  });

  it('CGNAT (100.64.0.0/10) is private, not public', () => {
    assert.deepEqual(ruleIdsOf(auditInventory(oneCluster([tcp(3306, '100.64.0.0/10')]))), ['AURSG-004']);
  });

  it('with approved sources set, an unlisted private CIDR is AURSG-006; listed sources are fine', () => {
    const settings = { approvedSources: ['sg-app', '10.1.0.0/16', 'pl-0apps'], broadCidrThresholds: { ipv4: 16, ipv6: 56 }, databasePorts: [3306], severityOverrides: {}, suppressions: [] };
    const findings = auditInventory(oneCluster([tcp(3306, '10.2.3.0/24', '10.1.5.0/24', 'sg-app', 'sg-other', 'pl-0apps')], 3306,
      { prefixLists: [prefixList('pl-0apps', ['10.9.0.0/24'])] }), settings);
    assert.deepEqual(findings.map((f) => [f.ruleId, f.rule?.source.value]).sort(), [['AURSG-006', '10.2.3.0/24'], ['AURSG-006', 'sg-other']]);
    assert.match(findings[0]!.message, /is not in the approved sources/);
    // Without approved sources there is no AURSG-006.
    assert.deepEqual(auditInventory(oneCluster([tcp(3306, '10.2.3.0/24', 'sg-other')])), []);
  });
});

describe('rules: group-level and instance-level findings (AURSG-007..010)', () => {
  it('a cluster on its VPC default group is AURSG-007', () => {
    const inv = inventory({ clusters: [cluster('orders', 3306, ['sg-def'])], groups: [group('sg-def', [allTraffic('sg-def')], { name: 'default' })] });
    const findings = only(auditInventory(inv), 'AURSG-007');
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /Cluster orders uses security group "default" \(sg-def\), the default security group of vpc-0a1b2c3d/);
    assert.deepEqual(findings[0]!.fixes, ['dedicated-sg']);
  });

  it('egress all traffic to ::/0 is AURSG-008; narrower egress is not', () => {
    const inv = inventory({ clusters: [cluster('orders', 3306, ['sg-db'])], groups: [group('sg-db', [], { egress: [allTraffic('::/0'), tcp(443, '0.0.0.0/0'), allTraffic('10.0.0.0/8')] })] });
    const findings = auditInventory(inv);
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-008']);
    assert.match(findings[0]!.message, /allows all traffic to ::\/0/);
    assert.deepEqual(findings[0]!.fixes, ['egress']);
  });

  function publicSetup(routes: [string, string][], extra: { coverage?: { routeTables?: boolean }; explicit?: boolean } = {}) {
    return inventory({
      clusters: [cluster('web', 3306, ['sg-db'], ['web-1', 'web-2'])],
      instances: [instance('web-1', 'web', { publiclyAccessible: true, subnetIds: ['subnet-pub'] }), instance('web-2', 'web', { publiclyAccessible: false, subnetIds: ['subnet-pub'] })],
      groups: [group('sg-db', [tcp(3306, '0.0.0.0/0')])],
      subnets: [subnet('subnet-pub')],
      routeTables: extra.explicit === false
        ? [routeTable('rtb-main', { main: true, routes })]
        : [routeTable('rtb-main', { main: true, routes: [] }), routeTable('rtb-pub', { subnetIds: ['subnet-pub'], routes })],
      ...(extra.coverage ? { coverage: extra.coverage } : {}),
    });
  }

  it('public instance + internet gateway route + open group is AURSG-009 for that instance only', () => {
    const findings = only(auditInventory(publicSetup([['0.0.0.0/0', 'igw-0abc']])), 'AURSG-009');
    assert.deepEqual(findings.map((f) => f.instanceId), ['web-1']);
    assert.match(findings[0]!.message, /Instance web-1 of cluster web is reachable from the internet on port 3306 over IPv4: .*route table rtb-pub of subnet subnet-pub sends 0\.0\.0\.0\/0 to internet gateway igw-0abc/);
    assert.deepEqual(findings[0]!.path?.map((hop) => hop.kind), ['internet', 'route', 'acl', 'groups', 'instance']);
    // The remediation layer builds all four for it (its applicableFixes test says so).
    assert.deepEqual(findings[0]!.fixes, ['private', 'revoke', 'restrict', 'dedicated-sg']);
  });

  it('the VPC main route table serves subnets without an explicit association', () => {
    assert.equal(only(auditInventory(publicSetup([['0.0.0.0/0', 'igw-0abc']], { explicit: false })), 'AURSG-009').length, 1);
  });

  it('the same with a NAT gateway (or egress-only gateway) route is not AURSG-009', () => {
    assert.deepEqual(only(auditInventory(publicSetup([['0.0.0.0/0', 'nat-0abc']])), 'AURSG-009'), []);
    assert.deepEqual(only(auditInventory(publicSetup([['::/0', 'eigw-0abc']])), 'AURSG-009'), []);
  });

  it('an IPv4-only open group and an IPv6-only internet route do not make AURSG-009', () => {
    assert.deepEqual(only(auditInventory(publicSetup([['::/0', 'igw-0abc']])), 'AURSG-009'), []);
  });

  it('without route tables, AURSG-009 is not guessed: a note says what could not be judged', () => {
    const inv = publicSetup([['0.0.0.0/0', 'igw-0abc']], { coverage: { routeTables: false } });
    assert.deepEqual(only(auditInventory(inv), 'AURSG-009'), []);
    const note = inv.notes.find((n) => n.message.includes('AURSG-009'));
    assert.ok(note, 'a note about AURSG-009');
    assert.match(note.message, /could not be judged for instance web-1 of cluster web: .*route tables were not collected/);
    auditInventory(inv);
    assert.equal(inv.notes.filter((n) => n.message.includes('AURSG-009')).length, 1, 'auditing again does not repeat the note');
  });

  it('a group also on a non-RDS network interface is shared (AURSG-010); RDS interfaces do not count', () => {
    const base = {
      clusters: [cluster('orders', 3306, ['sg-db'])],
      groups: [group('sg-db', [tcp(3306, 'sg-app')])],
    };
    const rdsOnly = inventory({ ...base, networkInterfaces: [networkInterface('eni-rds', ['sg-db'], { requesterId: 'amazon-rds', description: 'RDSNetworkInterface' })] });
    assert.deepEqual(auditInventory(rdsOnly), []);
    const shared = inventory({ ...base, networkInterfaces: [
      networkInterface('eni-rds', ['sg-db'], { requesterId: 'amazon-rds', description: 'RDSNetworkInterface' }),
      networkInterface('eni-web', ['sg-db', 'sg-web'], { description: 'web server', instanceId: 'i-0web' }),
    ] });
    const findings = auditInventory(shared);
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-010']);
    assert.equal(findings[0]!.severity, 'info');
    assert.match(findings[0]!.message, /also attached to network interface eni-web \(instance i-0web\)/);
  });
});

describe('rules: groups without a cluster', () => {
  it('are judged against the configured ports plus every cluster port when the inventory asks', () => {
    const inv = inventory({
      clusters: [cluster('odd', 4406, ['sg-db'])],
      groups: [group('sg-db', []), group('sg-loose', [tcp(4406, '0.0.0.0/0'), tcp(5432, '::/0'), tcp(22, '0.0.0.0/0')])],
      judgeUnattachedGroups: true,
    });
    const findings = auditInventory(inv);
    assert.deepEqual(findings.map((f) => [f.ruleId, f.groupId, f.clusterId, f.rule?.toPort]),
      [['AURSG-001', 'sg-loose', undefined, 4406], ['AURSG-001', 'sg-loose', undefined, 5432]]);
    assert.match(findings[0]!.message, /database port 4406/);
    assert.ok(findings.every((f) => !f.fixes.includes('dedicated-sg')), 'no cluster to move to a dedicated group');
    // Not asked: unattached groups are not judged.
    inv.judgeUnattachedGroups = false;
    assert.deepEqual(auditInventory(inv), []);
  });

  it('report an all-traffic rule once, naming every database port it reaches', () => {
    const inv = inventory({ groups: [group('sg-x', [allTraffic('0.0.0.0/0')])], judgeUnattachedGroups: true });
    const findings = auditInventory(inv);
    assert.deepEqual(ruleIdsOf(findings), ['AURSG-001', 'AURSG-002', 'AURSG-005']);
    assert.match(only(findings, 'AURSG-001')[0]!.message, /database ports 3306, 5432/);
  });
});
