// The one place CloudFormation and Terraform differ for the same declaration: a group
// that declares no egress keeps AWS's allow-all egress under CloudFormation and has no
// egress at all under Terraform.

import * as assert from 'node:assert/strict';
import { loadIacFile } from '../../../../src/sources/iac';
import { rulesOf } from './helpers';

const ingressOnly = {
  cfn: `Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 10.0.0.0/16 }
`,
  tf: `resource "aws_security_group" "db" {
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
`,
};

describe('IaC: default egress, CloudFormation versus Terraform', () => {
  it('CloudFormation: a group without SecurityGroupEgress gets all traffic to 0.0.0.0/0', () => {
    assert.deepEqual(rulesOf(loadIacFile('/a.yaml', ingressOnly.cfn), 'Db'), ['ingress tcp 3306-3306 cidr4:10.0.0.0/16', 'egress all cidr4:0.0.0.0/0']);
  });

  it('Terraform: the same group has no egress at all', () => {
    assert.deepEqual(rulesOf(loadIacFile('/a.tf', ingressOnly.tf), 'aws_security_group.db'), ['ingress tcp 3306-3306 cidr4:10.0.0.0/16']);
  });

  it('CloudFormation: declared egress replaces the default; an empty list and standalone egress resources do not', () => {
    const declared = ingressOnly.cfn + '      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }\n';
    assert.deepEqual(rulesOf(loadIacFile('/a.yaml', declared), 'Db'), ['ingress tcp 3306-3306 cidr4:10.0.0.0/16', 'egress tcp 443-443 cidr4:10.0.0.0/8']);
    const empty = ingressOnly.cfn + '      SecurityGroupEgress: []\n';
    assert.ok(rulesOf(loadIacFile('/a.yaml', empty), 'Db').includes('egress all cidr4:0.0.0.0/0'));
    const standalone = ingressOnly.cfn + `  Out:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !Ref Db, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }
`;
    assert.deepEqual(rulesOf(loadIacFile('/a.yaml', standalone), 'Db'), [
      'ingress tcp 3306-3306 cidr4:10.0.0.0/16', 'egress all cidr4:0.0.0.0/0', 'egress tcp 443-443 cidr4:10.0.0.0/8',
    ]);
  });
});
