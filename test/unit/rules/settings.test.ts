// Settings validation, severity overrides, suppressions and stable finding ids.

import * as assert from 'node:assert/strict';
import { auditInventory, databasePortsFor, findingId, parseSettings, worstSeverity, findingsFor, countBySeverity } from '../../../src/rules';
import { DEFAULT_SETTINGS } from '../../../src/model/settings';
import type { Inventory } from '../../../src/model/types';
import { allTraffic, cluster, group, inventory, instance, oneCluster, routeTable, subnet, tcp } from './builders';

describe('rules: settings', () => {
  it('reads valid settings, bare or prefixed with auroraSg.', () => {
    const { settings, problems } = parseSettings({
      approvedSources: ['203.0.113.0/24', 'sg-0123abcd', 'pl-0abc', '2001:db8::/32'],
      'auroraSg.broadCidrThresholds': { ipv4: 12, ipv6: 48 },
      databasePorts: [5432, 3306, 5432],
      severityOverrides: { 'AURSG-008': 'info' },
      suppressions: [{ ruleId: 'AURSG-010', groupId: 'sg-0123abcd', reason: 'shared on purpose with the bastion' }],
      $schema: './schema.json',
    }, 'config.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      approvedSources: ['203.0.113.0/24', 'sg-0123abcd', 'pl-0abc', '2001:db8::/32'],
      broadCidrThresholds: { ipv4: 12, ipv6: 48 },
      databasePorts: [3306, 5432],
      severityOverrides: { 'AURSG-008': 'info' },
      suppressions: [{ ruleId: 'AURSG-010', groupId: 'sg-0123abcd', reason: 'shared on purpose with the bastion' }],
    });
  });

  it('gives the defaults for missing settings', () => {
    assert.deepEqual(parseSettings(undefined, 'x'), { settings: { ...DEFAULT_SETTINGS, broadCidrThresholds: { ipv4: 16, ipv6: 56 } }, problems: [] });
    assert.deepEqual(parseSettings({}, 'x').settings.databasePorts, [3306, 5432]);
  });

  it('names the field and the origin of each problem, and keeps the valid rest', () => {
    const { settings, problems } = parseSettings({
      approvedSources: ['10.0.0.0/8', 'office', '203.0.113.5', 42, 'sg-'],
      broadCidrThresholds: { ipv4: 40, ipv6: -1, ipv7: 3 },
      databasePorts: [3306, 0, 70000, '5432', 3.5],
      severityOverrides: { 'AURSG-001': 'low', 'AURSG-999': 'high', 'AURSG-002': 'urgent' },
      suppressions: [
        { ruleId: 'AURSG-008', reason: '  ' },
        { ruleId: 'AURSG-042', reason: 'x' },
        { ruleId: 'AURSG-008', groupId: 'not-a-group', reason: 'x' },
        'AURSG-008',
        { ruleId: 'AURSG-008', reason: 'egress is filtered by the firewall' },
      ],
      aprovedSources: [],
    }, '/home/me/aurora-sg.json');
    assert.ok(problems.every((p) => p.startsWith('/home/me/aurora-sg.json: ')), problems.join('\n'));
    const expect = [
      /aprovedSources: unknown setting/,
      /approvedSources\[1\]: "office" is not a CIDR/,
      /approvedSources\[2\]: "203\.0\.113\.5" is not a CIDR/,
      /approvedSources\[3\]: 42 is not a CIDR/,
      /approvedSources\[4\]: "sg-" is not a CIDR/,
      /broadCidrThresholds\.ipv4: must be a whole number from 0 to 32, got 40/,
      /broadCidrThresholds\.ipv6: must be a whole number from 0 to 128, got -1/,
      /broadCidrThresholds\.ipv7: unknown key/,
      /databasePorts\[1\]: 0 is not a port/,
      /databasePorts\[2\]: 70000 is not a port/,
      /databasePorts\[3\]: "5432" is not a port/,
      /databasePorts\[4\]: 3\.5 is not a port/,
      /severityOverrides\.AURSG-999: not a rule id/,
      /severityOverrides\.AURSG-002: "urgent" is not a severity/,
      /suppressions\[0\]: a suppression must give a reason/,
      /suppressions\[1\]: ruleId "AURSG-042" is not a rule id/,
      /suppressions\[2\]: groupId "not-a-group" is not a security group id/,
      /suppressions\[3\]: must be an object/,
    ];
    for (const pattern of expect) assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}\n${problems.join('\n')}`);
    assert.equal(problems.length, expect.length, problems.join('\n'));
    assert.deepEqual(settings.approvedSources, ['10.0.0.0/8']);
    assert.deepEqual(settings.broadCidrThresholds, { ipv4: 16, ipv6: 56 });
    assert.deepEqual(settings.databasePorts, [3306]);
    assert.deepEqual(settings.severityOverrides, { 'AURSG-001': 'low' });
    assert.deepEqual(settings.suppressions, [{ ruleId: 'AURSG-008', reason: 'egress is filtered by the firewall' }]);
  });

  it('rejects a settings value that is not an object', () => {
    const { problems } = parseSettings(['AURSG-001'], 'settings.json');
    assert.match(problems[0]!, /^settings\.json: settings must be a JSON object/);
  });

  it('database ports for groups without a cluster are the setting plus every cluster port', () => {
    const inv = inventory({ clusters: [cluster('a', 3307, []), cluster('b', 3306, [])] });
    assert.deepEqual(databasePortsFor(inv, parseSettings({ databasePorts: [5432] }, 'x').settings), [3307, 3306, 5432].sort((a, b) => a - b));
  });
});

describe('rules: severity overrides and suppressions', () => {
  const settings = (raw: object) => parseSettings(raw, 'test').settings;

  it('applies severity overrides, and sorts by the overridden severity', () => {
    const inv = inventory({ clusters: [cluster('orders', 3306, ['sg-db'])], groups: [group('sg-db', [tcp(3306, '10.0.0.0/8')], { egress: [allTraffic('0.0.0.0/0')] })] });
    assert.deepEqual(auditInventory(inv).map((f) => [f.ruleId, f.severity]), [['AURSG-004', 'medium'], ['AURSG-008', 'low']]);
    const overridden = auditInventory(inv, settings({ severityOverrides: { 'AURSG-008': 'high' } }));
    assert.deepEqual(overridden.map((f) => [f.ruleId, f.severity]), [['AURSG-008', 'high'], ['AURSG-004', 'medium']]);
  });

  it('marks suppressed findings with the reason and still lists them', () => {
    const inv = inventory({
      clusters: [cluster('orders', 3306, ['sg-db']), cluster('billing', 3306, ['sg-bill'])],
      groups: [group('sg-db', [], { egress: [allTraffic('0.0.0.0/0')] }), group('sg-bill', [], { egress: [allTraffic('0.0.0.0/0')] })],
    });
    const findings = auditInventory(inv, settings({ suppressions: [{ ruleId: 'AURSG-008', groupId: 'sg-db', reason: 'egress goes through a proxy' }] }));
    assert.deepEqual(findings.map((f) => [f.groupId, f.suppressed]), [['sg-bill', undefined], ['sg-db', { reason: 'egress goes through a proxy' }]]);
    // By finding id.
    const id = findings[0]!.id;
    const byId = auditInventory(inv, settings({ suppressions: [{ ruleId: 'AURSG-008', findingId: id, reason: 'accepted risk' }] }));
    assert.deepEqual(byId.filter((f) => f.suppressed).map((f) => f.id), [id]);
    // A whole rule id.
    assert.ok(auditInventory(inv, settings({ suppressions: [{ ruleId: 'AURSG-008', reason: 'policy' }] })).every((f) => f.suppressed));
  });

  it('worstSeverity and counts ignore suppressed findings', () => {
    const inv = oneCluster([tcp(3306, '0.0.0.0/0'), tcp(3306, '10.0.0.0/8')]);
    assert.equal(worstSeverity(auditInventory(inv)), 'critical');
    const suppressed = auditInventory(inv, settings({ suppressions: [{ ruleId: 'AURSG-001', reason: 'public demo database' }] }));
    assert.equal(worstSeverity(suppressed), 'medium');
    assert.deepEqual(countBySeverity(suppressed), { critical: 0, high: 0, medium: 1, low: 0, info: 0 });
    assert.equal(worstSeverity([]), undefined);
    assert.equal(findingsFor(suppressed, { clusterId: 'orders' }).length, 2);
    assert.equal(findingsFor(suppressed, { clusterId: 'orders', includeSuppressed: false }).length, 1);
    assert.equal(findingsFor(suppressed, { clusterId: 'billing' }).length, 0);
  });
});

describe('rules: stable finding ids', () => {
  function build(reverse: boolean, target: Partial<Inventory['target']> = {}): Inventory {
    const order = <T>(items: T[]) => (reverse ? [...items].reverse() : items);
    return inventory({
      target,
      clusters: order([cluster('orders', 3306, order(['sg-db', 'sg-def']), ['orders-1']), cluster('pg', 5432, ['sg-db'])]),
      instances: [instance('orders-1', 'orders', { publiclyAccessible: true, subnetIds: ['subnet-pub'] })],
      subnets: [subnet('subnet-pub')],
      routeTables: order([routeTable('rtb-main', { main: true, routes: [['0.0.0.0/0', 'igw-1']] }), routeTable('rtb-other', { subnetIds: ['subnet-x'], routes: [] })]),
      groups: order([
        group('sg-db', order([tcp(3306, '0.0.0.0/1'), tcp(3306, '128.0.0.0/1'), allTraffic('::/0'), tcp(5432, '10.0.0.0/8', '203.0.113.0/24')]),
          { egress: [allTraffic('0.0.0.0/0')] }),
        group('sg-def', [], { name: 'default' }),
      ]),
    });
  }

  it('are the same when the same inventory is built in a different order', () => {
    const a = auditInventory(build(false));
    const b = auditInventory(build(true));
    assert.ok(a.length >= 10, `enough findings to mean something (${a.length})`);
    assert.deepEqual(b.map((f) => f.id), a.map((f) => f.id));
    assert.equal(new Set(a.map((f) => f.id)).size, a.length, 'ids are unique');
    for (const f of a) assert.match(f.id, new RegExp(`^${f.ruleId}-[0-9a-f]{12}$`));
  });

  it('do not depend on the profile, the label or the kind of source (live or evidence)', () => {
    const live = auditInventory(build(false, { kind: 'live', profile: 'prod', label: 'prod / eu-west-1' }));
    const renamed = auditInventory(build(false, { kind: 'live', profile: 'production-admin', label: 'production-admin / eu-west-1' }));
    const evidence = auditInventory(build(false, { kind: 'evidence', profile: undefined, label: 'samples/demo-account', accountId: undefined, region: undefined }));
    assert.deepEqual(renamed.map((f) => f.id), live.map((f) => f.id));
    assert.deepEqual(evidence.map((f) => f.id), live.map((f) => f.id));
  });

  it('can be computed from the subject alone, as the audit does', () => {
    const inv = build(false);
    const f = auditInventory(inv).find((x) => x.ruleId === 'AURSG-004')!;
    const cluster = inv.clusters.find((c) => c.clusterId === f.clusterId);
    const grp = inv.securityGroups.find((g) => g.groupId === f.groupId);
    assert.equal(findingId(inv, { ruleId: f.ruleId, cluster, group: grp, rules: [f.rule!] }), f.id);
  });

  it('differ per cluster, per rule and per instance', () => {
    const findings = auditInventory(build(false));
    const keys = findings.map((f) => `${f.ruleId}|${f.clusterId}|${f.instanceId}|${f.rule ? `${f.rule.source.value}:${f.rule.fromPort}` : ''}`);
    assert.equal(new Set(keys).size, findings.length);
  });
});
