import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditInventory, parseSettings } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { lineOf } from './helpers';

const TF = `resource "aws_security_group" "db" {
  # aurora-sg:ignore AURSG-001 vendor VPN only, ticket OPS-12
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["::/0"]
  }
  // aurora-sg:ignore AURSG-008: the database calls a partner API
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Owned by the data team.
# aurora-sg:ignore AURSG-001, AURSG-005 lab account, torn down nightly
resource "aws_vpc_security_group_ingress_rule" "lab" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv4         = "0.0.0.0/0"
}

# aurora-sg:ignore AURSG-003
resource "aws_vpc_security_group_ingress_rule" "partner" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "81.2.69.0/24"
}
`;

const YAML = `Resources:
  # aurora-sg:ignore AURSG-008 egress reviewed in SEC-9
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        # aurora-sg:ignore AURSG-001 temporary, expires Friday
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIpv6: ::/0
`;

function byRule(findings: ReturnType<typeof auditInventory>) {
  return findings.map((f) => `${f.ruleId} ${f.rule?.source.value ?? ''} ${f.suppressed ? `suppressed: ${f.suppressed.reason}` : 'active'}`).sort();
}

describe('IaC: inline suppressions', () => {
  it('Terraform: # and // comments above a rule block or a resource suppress those findings, with the reason', () => {
    const inventory = loadIacFile('/w/main.tf', TF);
    assert.deepEqual(byRule(auditInventory(inventory)), [
      'AURSG-001 0.0.0.0/0 suppressed: lab account, torn down nightly',
      'AURSG-001 0.0.0.0/0 suppressed: vendor VPN only, ticket OPS-12',
      'AURSG-001 ::/0 active',
      // Listed ids only: the lab rule's AURSG-002 was not named, so it stays.
      'AURSG-002 0.0.0.0/0 active',
      'AURSG-003 81.2.69.0/24 active',
      'AURSG-005 0.0.0.0/0 suppressed: lab account, torn down nightly',
      'AURSG-008 0.0.0.0/0 suppressed: the database calls a partner API',
    ]);
    const warning = inventory.notes.find((n) => /gives no reason/.test(n.message));
    assert.equal(warning?.level, 'warning');
    assert.match(warning?.message ?? '', /main\.tf, line \d+: aurora-sg:ignore AURSG-003 gives no reason; a suppression must say why, so nothing was suppressed\./);
    assert.equal(warning?.location?.start.line, lineOf(TF, '# aurora-sg:ignore AURSG-003'));
  });

  it('CloudFormation YAML: # comments above a resource or a list item', () => {
    const inventory = loadIacFile('/w/stack.yaml', YAML);
    assert.deepEqual(byRule(auditInventory(inventory)), [
      'AURSG-001 0.0.0.0/0 suppressed: temporary, expires Friday',
      'AURSG-001 ::/0 active',
      'AURSG-008 0.0.0.0/0 suppressed: egress reviewed in SEC-9',
    ]);
  });

  it('a comment that is not directly above (a blank line between) or names an unknown rule suppresses nothing, and says so', () => {
    const text = '# aurora-sg:ignore AURSG-001 far away\n\nresource "aws_security_group" "db" {\n  # aurora-sg:ignore AURSG-999 typo\n  ingress {\n    from_port = 5432\n    to_port = 5432\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const inventory = loadIacFile('/w/main.tf', text);
    assert.ok(auditInventory(inventory).every((f) => !f.suppressed));
    assert.ok(inventory.notes.some((n) => /AURSG-999 is not one; nothing was suppressed/.test(n.message)));
  });

  it('settings suppressions name IaC resources by address or logical id, and the settings schema accepts them', () => {
    const { settings, problems } = parseSettings({
      suppressions: [
        { ruleId: 'AURSG-001', groupId: 'aws_security_group.db', reason: 'by group address' },
        { ruleId: 'AURSG-001', groupId: 'DbSecurityGroup', reason: 'by logical id' },
        { ruleId: 'AURSG-003', resource: 'aws_vpc_security_group_ingress_rule.partner', reason: 'partner contract' },
        { ruleId: 'AURSG-001', resource: 'module.db.aws_security_group.this["a"]', reason: 'module instance' },
        { ruleId: 'AURSG-001', groupId: 'not an address!', reason: 'x' },
      ],
    }, 'settings');
    assert.equal(settings.suppressions.length, 4);
    assert.equal(problems.length, 1);
    assert.match(problems[0] as string, /groupId "not an address!" is not a security group id \(sg-\.\.\.\), an IaC resource address/);
    const findings = auditInventory(loadIacFile('/w/main.tf', TF), settings);
    assert.equal(findings.find((f) => f.ruleId === 'AURSG-003')?.suppressed?.reason, 'partner contract');
    assert.equal(findings.find((f) => f.rule?.source.value === '::/0')?.suppressed?.reason, 'by group address');

    // The manifest's JSON schema says the same as the parser, so VS Code does not flag what works.
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
    const items = manifest.contributes.configuration.properties['auroraSg.suppressions'].items.properties;
    const groupPattern = new RegExp(items.groupId.pattern);
    const resourcePattern = new RegExp(items.resource.pattern);
    for (const ok of ['sg-0123456789abcdef0', 'aws_security_group.db', 'DbSecurityGroup', 'module.x.aws_security_group.y[0]']) assert.ok(groupPattern.test(ok), ok);
    for (const ok of ['aws_security_group.db', 'Db1', 'module.db.aws_security_group.this["a"]', 'aws_default_security_group.default']) assert.ok(resourcePattern.test(ok), ok);
    for (const bad of ['not an address!', 'sg-', '']) assert.ok(!groupPattern.test(bad), bad);
  });
});
