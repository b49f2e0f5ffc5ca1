import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditInventory } from '../../../../src/rules';
import { isIacFile, loadIacFile } from '../../../../src/sources/iac';
import { lineOf, noteMessages, rulesOf } from './helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const PLAN = path.join(ROOT, 'samples/iac/terraform-plan.json');
const STATE = path.join(ROOT, 'test/fixtures/terraform-json/state.json');

function read(file: string) {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(isIacFile(file, text), `${path.basename(file)} is recognised`);
  return { text, inventory: loadIacFile(file, text) };
}

describe('IaC: terraform show -json (plans and states)', () => {
  it('reads a plan: resources of the root and child modules by their full addresses', () => {
    const { inventory } = read(PLAN);
    assert.deepEqual(inventory.securityGroups.map((g) => g.groupId), ['aws_security_group.db', 'module.reporting.aws_security_group.this[0]']);
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 group:sg-0a1b2c3d4e5f60718', 'ingress tcp 5432-5432 cidr4:0.0.0.0/0']);
    // The rule resource's group id is unknown until apply; the configuration's reference names it.
    assert.deepEqual(rulesOf(inventory, 'module.reporting.aws_security_group.this[0]'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0']);
    assert.deepEqual(inventory.clusters.map((c) => [c.clusterId, c.engine, c.port, c.securityGroupIds]), [['payments-db', 'aurora-postgresql', 5432, ['aws_security_group.db']]]);
    assert.deepEqual(inventory.instances.map((i) => [i.instanceId, i.clusterId, i.publiclyAccessible]), [['payments-db-1', 'payments-db', true]]);
    assert.deepEqual(inventory.iac?.resources.map((r) => r.address), [
      'aws_security_group.db', 'aws_rds_cluster.main', 'aws_rds_cluster_instance.writer', 'module.reporting.aws_security_group.this[0]', 'module.reporting.aws_vpc_security_group_ingress_rule.bi',
    ]);
    // A group whose inline rules are computed (not configured) is not a gap to report.
    assert.ok(!noteMessages(inventory).some((m) => /its ingress rules were not audited/.test(m)), noteMessages(inventory).join('\n'));
  });

  it('places each finding in the JSON: on the ingress object, or on the rule resource of a child module', () => {
    const { text, inventory } = read(PLAN);
    const findings = auditInventory(inventory);
    const open = findings.find((f) => f.ruleId === 'AURSG-001' && f.groupId === 'aws_security_group.db');
    assert.equal(open?.location?.start.line, lineOf(text, '"description": "quick test, remove"') - 2, 'the { of the ingress object');
    assert.equal(open?.clusterId, 'payments-db');
    const bi = findings.find((f) => f.ruleId === 'AURSG-001' && f.groupId === 'module.reporting.aws_security_group.this[0]');
    assert.equal(bi?.location?.start.line, lineOf(text, '"address": "module.reporting.aws_vpc_security_group_ingress_rule.bi"') - 1);
    assert.equal(bi?.location?.file, PLAN);
  });

  it('reads a state: real ids, the default group and AURSG-007, self and every family of egress', () => {
    const { inventory } = read(STATE);
    assert.deepEqual(rulesOf(inventory, 'sg-0db0db0db0db0db01'), [
      'ingress tcp 5432-5432 group:sg-0a1b2c3d4e5f60718', 'ingress tcp 0-65535 cidr4:10.0.0.0/8', 'ingress tcp 0-65535 group:sg-0db0db0db0db0db01',
      'egress all cidr4:0.0.0.0/0', 'egress all cidr6:::/0',
    ]);
    const findings = auditInventory(inventory);
    const defaultGroup = findings.find((f) => f.ruleId === 'AURSG-007');
    assert.equal(defaultGroup?.clusterId, 'ledger-db');
    assert.equal(defaultGroup?.groupId, 'sg-0defa0defa0defa01');
    assert.deepEqual([...new Set(findings.map((f) => f.ruleId))].sort(), ['AURSG-004', 'AURSG-005', 'AURSG-007', 'AURSG-008']);
    assert.equal(inventory.clusters.find((c) => c.clusterId === 'payments-db')?.arn, 'arn:aws:rds:eu-west-1:123456789012:cluster:payments-db');
  });

  it('suppresses by resource address, including a rule resource of a child module', () => {
    const { inventory } = read(PLAN);
    const findings = auditInventory(inventory, {
      approvedSources: [], broadCidrThresholds: { ipv4: 16, ipv6: 56 }, databasePorts: [3306, 5432], severityOverrides: {},
      suppressions: [{ ruleId: 'AURSG-001', resource: 'module.reporting.aws_vpc_security_group_ingress_rule.bi', reason: 'BI tool behind a VPN, ticket 42' }],
    });
    const bi = findings.find((f) => f.groupId === 'module.reporting.aws_security_group.this[0]');
    assert.deepEqual(bi?.suppressed, { reason: 'BI tool behind a VPN, ticket 42' });
    assert.equal(findings.find((f) => f.groupId === 'aws_security_group.db' && f.ruleId === 'AURSG-001')?.suppressed, undefined);
  });

  it('names a damaged plan with line and column, and tells other JSON apart', () => {
    const damaged = loadIacFile('/w/plan.json', '{\n  "format_version": "1.2",\n  "planned_values": { "root_module": { "resources": [ }\n}\n');
    assert.equal(damaged.notes[0]?.level, 'error');
    assert.match(damaged.notes[0]?.message ?? '', /plan\.json: cannot parse Terraform JSON at line 3, column \d+: /);
    assert.equal(isIacFile('/w/package.json', '{ "name": "x", "format_version": "1" }'), false);
    assert.equal(isIacFile('/w/state.json', '{"format_version":"1.0","values":{"root_module":{}}}'), true);
    const empty = loadIacFile('/w/state.json', '{"format_version":"1.0","values":{"root_module":{}}}');
    assert.deepEqual(noteMessages(empty), ['state.json: the state holds no managed resources; nothing to audit.']);
  });
});
