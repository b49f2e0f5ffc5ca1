// Squiggles belong on the value that is wrong (issue 10): the IaC readers locate, inside each
// rule's block, its source, its ports and its protocol, and an instance's publicly_accessible.

import * as assert from 'node:assert/strict';
import type { SourceRange } from '../../../../src/model/types';
import { loadIacFile } from '../../../../src/sources/iac';

function textAt(text: string, range: SourceRange | undefined): string | undefined {
  if (!range) return undefined;
  const lines = text.split('\n');
  const offset = (line: number, character: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
  return text.slice(offset(range.start.line, range.start.character), offset(range.end.line, range.end.character));
}

describe('IaC: where the parts of a rule are written', () => {
  it('Terraform: the CIDR list element, from_port..to_port, protocol, publicly_accessible', () => {
    const text = `resource "aws_security_group" "db" {
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16", "0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}
resource "aws_rds_cluster_instance" "writer" {
  cluster_identifier  = "x"
  engine              = "aurora-mysql"
  publicly_accessible = true
}
`;
    const inventory = loadIacFile('/t/main.tf', text);
    const rules = inventory.securityGroups.find((g) => g.groupId === 'aws_security_group.db')!.rules;
    const open = rules.find((r) => r.source.value === '0.0.0.0/0')!;
    assert.equal(textAt(text, open.parts?.source), '"0.0.0.0/0"');
    assert.equal(textAt(text, rules.find((r) => r.source.value === '10.0.0.0/16')!.parts?.source), '"10.0.0.0/16"');
    assert.equal(textAt(text, open.parts?.ports), 'from_port   = 0\n    to_port     = 65535');
    assert.equal(textAt(text, open.parts?.protocol), '"tcp"');
    const all = rules.find((r) => r.source.value === '::/0')!;
    assert.equal(textAt(text, all.parts?.source), '"::/0"');
    assert.equal(textAt(text, all.parts?.protocol), '"-1"');
    assert.equal(all.parts?.ports, undefined, 'all traffic has no ports to point at');
    assert.equal(textAt(text, inventory.instances[0]?.parts?.publiclyAccessible), 'publicly_accessible = true');
  });

  it('CloudFormation: CidrIp\'s value, FromPort..ToPort, IpProtocol, PubliclyAccessible', () => {
    const text = `Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 3300
          ToPort: 3310
          CidrIp: 0.0.0.0/0
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-mysql
      DBClusterIdentifier: x
      PubliclyAccessible: true
`;
    const inventory = loadIacFile('/t/stack.yaml', text);
    const rule = inventory.securityGroups[0]!.rules[0]!;
    assert.equal(textAt(text, rule.parts?.source), '0.0.0.0/0');
    assert.equal(textAt(text, rule.parts?.ports), 'FromPort: 3300\n          ToPort: 3310');
    assert.equal(textAt(text, rule.parts?.protocol), 'IpProtocol: tcp');
    assert.equal(textAt(text, inventory.instances.find((i) => i.instanceId === 'Writer')?.parts?.publiclyAccessible), 'PubliclyAccessible: true');
  });
});
