// The samples the extension demos diagnostics with: audited end to end with the rules
// engine, each finding must land on the line that declares the risky rule.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditInventory } from '../../../../src/rules';
import { isIacFile, loadIacFile } from '../../../../src/sources/iac';
import { lineAbove, lineOf } from './helpers';

const samples = path.resolve(__dirname, '../../../../samples/iac');

function audit(name: string) {
  const file = path.join(samples, name);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(isIacFile(file, text), `${name} is recognised as IaC`);
  const inventory = loadIacFile(file, text);
  const findings = auditInventory(inventory).filter((f) => !f.suppressed);
  const landed = findings.map((f) => `${f.ruleId}@${f.location ? f.location.start.line : 'none'}`).sort();
  return { text, inventory, findings, landed, file };
}

describe('IaC samples audited with the rules engine', () => {
  it('aurora-cloudformation.yaml: findings land on the risky list items and the standalone ingress', () => {
    const { text, landed, inventory, findings, file } = audit('aurora-cloudformation.yaml');
    const anywhere = lineAbove(text, 'Description: temporary vendor access', '- IpProtocol');
    const broad = lineAbove(text, 'Description: legacy ops range', '- IpProtocol');
    const admin = lineOf(text, 'AdminIngress:');
    const appGroup = lineOf(text, 'AppSecurityGroup:');
    assert.deepEqual(landed, [
      `AURSG-001@${anywhere}`, `AURSG-001@${admin}`, `AURSG-002@${admin}`,
      `AURSG-004@${broad}`, `AURSG-005@${admin}`, `AURSG-005@${broad}`, `AURSG-008@${appGroup}`,
    ].sort());
    assert.ok(findings.every((f) => f.location?.file === file));
    assert.ok(findings.filter((f) => f.groupId === 'DbSecurityGroup').every((f) => f.clusterId === 'orders-db'));
    // The office rule depends on a parameter without a default: reported, not judged.
    assert.equal(inventory.notes.filter((n) => /OfficeCidr/.test(n.message)).length, 1);
  });

  it('aurora-cloudformation.json: the open PostgreSQL rule and the default egress', () => {
    const { text, landed } = audit('aurora-cloudformation.json');
    assert.deepEqual(landed, [`AURSG-001@${lineOf(text, '"BI tool"')}`, `AURSG-008@${lineOf(text, '"ReportingDbGroup": {')}`].sort());
  });

  it('aurora.tf: findings land on the risky blocks and rule resources; no default egress on the db group', () => {
    const { text, landed, inventory } = audit('aurora.tf');
    const anywhere = lineAbove(text, 'quick test, remove', 'ingress {');
    const vpn = lineOf(text, 'resource "aws_vpc_security_group_ingress_rule" "db_vpn"');
    const partner = lineOf(text, 'resource "aws_vpc_security_group_ingress_rule" "db_partner"');
    const appEgress = lineAbove(text, 'protocol    = "-1"', 'egress {');
    assert.deepEqual(landed, [
      `AURSG-001@${anywhere}`, `AURSG-003@${partner}`, `AURSG-004@${vpn}`, `AURSG-005@${vpn}`, `AURSG-008@${appEgress}`,
    ].sort());
    assert.ok(!inventory.securityGroups.find((g) => g.groupId === 'aws_security_group.db')?.rules.some((r) => r.direction === 'egress'));
    assert.equal(inventory.notes.filter((n) => /var\.office_cidrs/.test(n.message)).length, 1);
  });
});
