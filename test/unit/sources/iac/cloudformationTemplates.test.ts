import * as assert from 'node:assert/strict';
import { auditInventory } from '../../../../src/rules';
import { isIacFile, loadIacFile } from '../../../../src/sources/iac';
import { noteMessages, rulesOf } from './helpers';

describe('IaC: CloudFormation templates of any kind', () => {
  it('takes any template with a Resources map of typed resources, and says when it has nothing to audit', () => {
    const text = 'Resources:\n  Skill:\n    Type: Alexa::ASK::Skill\n  Hook:\n    Type: Custom::Notify\n    Properties:\n      ServiceToken: arn:x\n';
    assert.ok(isIacFile('/w/stack.yaml', text));
    const inventory = loadIacFile('/w/stack.yaml', text);
    assert.deepEqual(noteMessages(inventory), ['stack.yaml: no security group, ingress or egress rule, Aurora cluster or instance is declared (2 resources of types Alexa::ASK::Skill, Custom::Notify); nothing to audit.']);
    assert.equal(inventory.notes[0]?.level, 'info');
    assert.ok(isIacFile('/w/s.json', '{"Resources":{"T":{"Type":"MyOrg::Service::Thing"}}}'));
    assert.ok(!isIacFile('/w/k8s.yaml', 'Resources:\n  requests: {}\n'), 'a Resources map without Types is not a template');
  });

  it('treats !GetAtt of an undeclared group as an external group, with the verdict Terraform gives an undeclared resource', () => {
    const cfn = loadIacFile('/w/t.yaml', `Resources:
  Open:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt SharedDb.GroupId
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      CidrIp: 0.0.0.0/0
  FromApp:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt SharedDb.GroupId
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      SourceSecurityGroupId: !GetAtt AppTier.GroupId
`);
    const tf = loadIacFile('/w/t.tf', `resource "aws_vpc_security_group_ingress_rule" "open" {
  security_group_id = aws_security_group.shared_db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_vpc_security_group_ingress_rule" "from_app" {
  security_group_id            = aws_security_group.shared_db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.app_tier.id
}
`);
    assert.deepEqual(rulesOf(cfn, 'SharedDb'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0', 'ingress tcp 5432-5432 group:AppTier']);
    assert.deepEqual(rulesOf(tf, 'aws_security_group.shared_db'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0', 'ingress tcp 5432-5432 group:aws_security_group.app_tier']);
    const verdict = (inventory: typeof cfn) => auditInventory(inventory).map((f) => `${f.ruleId} ${f.severity} ${f.rule?.source.kind}`);
    assert.deepEqual(verdict(cfn), verdict(tf));
    assert.deepEqual(verdict(cfn), ['AURSG-001 critical cidr4']);
    for (const inventory of [cfn, tf]) {
      const notes = inventory.notes.filter((n) => /adds a rule to/.test(n.message));
      assert.equal(notes.length, 1, noteMessages(inventory).join('\n'));
      assert.equal(notes[0]?.level, 'info');
    }
  });

  it('resolves !GetAtt Vpc.CidrBlock to the CidrBlock the template declares', () => {
    const inventory = loadIacFile('/w/t.yaml', `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.60.0.0/16
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - IpProtocol: "-1"
          CidrIp: !GetAtt Vpc.CidrBlock
`);
    assert.deepEqual(rulesOf(inventory, 'Db'), ['egress all cidr4:10.60.0.0/16']);
  });
});
