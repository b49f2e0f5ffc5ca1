// The network an IaC file declares (VPC, subnets, route tables, internet gateway, network ACLs, DB subnet group)
// lets the audit judge whether a public instance is reachable from the internet (AURSG-009), and
// the code fix that makes it private.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { auditInventory, defaultSettings } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { applyEdits, iacCodeFixes } from '../../../../src/sources/iac/fixes';

const PUBLIC = readFileSync(path.resolve(__dirname, '../../../fixtures/iac/public-instance.tf'), 'utf8');
const ACL_GUARDED = readFileSync(path.resolve(__dirname, '../../../fixtures/iac/acl-guarded.tf'), 'utf8');
const ACL_GUARDED_CFN = readFileSync(path.resolve(__dirname, '../../../fixtures/iac/acl-guarded.yaml'), 'utf8');

/** The AURSG-009 and AURSG-011 findings of an IaC text (Terraform unless the file says otherwise), as "rule instance". */
function exposures(text: string, file = '/w/main.tf'): string[] {
  return auditInventory(loadIacFile(file, text)).filter((f) => f.ruleId === 'AURSG-009' || f.ruleId === 'AURSG-011').map((f) => `${f.ruleId} ${f.instanceId}`).sort();
}

/** The fixture, with its default route to the internet gateway or to a NAT gateway. */
function terraform(routeToInternet: boolean): string {
  return routeToInternet ? PUBLIC : PUBLIC.replace('gateway_id = aws_internet_gateway.gw.id', 'nat_gateway_id = "nat-0123456789abcdef0"');
}

const CFN = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Routes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Default:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Routes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SubnetA
      RouteTableId: !Ref Routes
  DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: [!Ref SubnetA]
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIp: 0.0.0.0/0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/16
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      DBSubnetGroupName: !Ref DbSubnets
      VpcSecurityGroupIds: [!Ref Db]
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Cluster
      Engine: aurora-mysql
      PubliclyAccessible: true
`;

describe('IaC: the declared network and AURSG-009', () => {
  it('Terraform: a public instance in a subnet routed to an internet gateway is reachable (AURSG-009), and not through a NAT', () => {
    const inventory = loadIacFile('/w/main.tf', terraform(true));
    assert.deepEqual(inventory.instances[0]?.subnetIds, ['aws_subnet.a']);
    assert.deepEqual(inventory.routeTables.map((t) => [t.routeTableId, t.subnetIds, t.routes.map((r) => `${r.destination}>${r.target}`)]), [['aws_route_table.public', ['aws_subnet.a'], ['0.0.0.0/0>igw-aws_internet_gateway.gw']]]);
    const finding = auditInventory(inventory).find((f) => f.ruleId === 'AURSG-009');
    assert.equal(finding?.instanceId, 'aws_rds_cluster_instance.writer');
    assert.match(finding?.message ?? '', /sends 0\.0\.0\.0\/0 to internet gateway igw-aws_internet_gateway\.gw/);
    assert.ok(!auditInventory(loadIacFile('/w/main.tf', terraform(false))).some((f) => f.ruleId === 'AURSG-009'), 'a NAT route is not the internet');
    // The same default route as an aws_route resource, and the table as the VPC's main one instead of an association.
    const separate = PUBLIC.replace(/ {2}route \{[^}]*\}\n/, '').replace(/resource "aws_route_table_association" "a" \{[^}]*\}\n/, '')
      + 'resource "aws_route" "default" {\n  route_table_id         = aws_route_table.public.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.gw.id\n}\n'
      + 'resource "aws_main_route_table_association" "main" {\n  vpc_id         = aws_vpc.main.id\n  route_table_id = aws_route_table.public.id\n}\n';
    const main = loadIacFile('/w/main.tf', separate);
    assert.deepEqual(main.routeTables.map((t) => [t.main, t.subnetIds, t.routes.length]), [[true, [], 1]]);
    assert.ok(auditInventory(main).some((f) => f.ruleId === 'AURSG-009'), 'the subnet without an association uses the main table');
  });

  it('Terraform: with no ACL declared, the VPC\'s default ACL is AWS\'s own (everything both ways), named as Terraform refers to it', () => {
    const finding = auditInventory(loadIacFile('/w/main.tf', terraform(true))).find((f) => f.ruleId === 'AURSG-009')!;
    assert.match(finding.message, /network ACL aws_vpc\.main\.default_network_acl_id \(the VPC's default\) lets 100% of IPv4 addresses through/);
  });

  it('Terraform: network ACLs as AWS evaluates them: one that admits only a partner range is AURSG-011 naming it; the taken-over default that allows all is AURSG-009', () => {
    const inventory = loadIacFile('/w/main.tf', ACL_GUARDED);
    assert.deepEqual(inventory.networkAcls.map((a) => [a.networkAclId, a.isDefault, a.subnetIds, a.entries.map((e) => `${e.egress ? 'out' : 'in'} ${e.ruleNumber} ${e.action} ${e.protocol} ${e.cidr} ${e.fromPort ?? ''}-${e.toPort ?? ''}`)]), [
      ['aws_network_acl.partner_only', false, ['aws_subnet.a'], ['in 90 allow tcp 203.0.113.0/24 5432-5432', 'out 100 allow tcp 0.0.0.0/0 1024-65535', 'in 100 deny all 0.0.0.0/0 -']],
      ['aws_default_network_acl.default', true, [], ['in 100 allow all 0.0.0.0/0 -', 'out 100 allow all 0.0.0.0/0 -']],
    ]);
    assert.deepEqual(exposures(ACL_GUARDED), ['AURSG-009 open-1', 'AURSG-011 partner-1']);
    const partner = auditInventory(inventory).find((f) => f.ruleId === 'AURSG-011')!;
    assert.match(partner.message, /Only network ACL aws_network_acl\.partner_only keeps the internet from port 5432 of instance partner-1 .*still lets 203\.0\.113\.0\/24 through/);
  });

  it('Terraform: a deny before the allow, an outbound side that blocks the return ports, a default ACL left with no rules', () => {
    const denyFirst = ACL_GUARDED.replace('rule_number    = 100', 'rule_number    = 80');
    assert.deepEqual(exposures(denyFirst), ['AURSG-009 open-1', 'AURSG-011 partner-1']);
    assert.match(auditInventory(loadIacFile('/w/main.tf', denyFirst)).find((f) => f.ruleId === 'AURSG-011')!.message, /admits no IPv4 address on tcp 5432/, 'a deny of everything at 80 comes before the allow at 90');
    const noReturn = ACL_GUARDED.replace(/(partner_only[\s\S]*?egress \{[\s\S]*?from_port {2}= )1024/, '$132768')
      .replace('cidr_block = var.partner', 'cidr_block = "0.0.0.0/0"');
    assert.deepEqual(exposures(noReturn), ['AURSG-009 open-1', 'AURSG-011 partner-1'], 'replies to ports 1024-32767 are dropped: AURSG-011, not AURSG-009');
    const emptyDefault = ACL_GUARDED.replace(/resource "aws_default_network_acl" "default" \{[\s\S]*?\n\}\n/, 'resource "aws_default_network_acl" "default" {\n  default_network_acl_id = aws_vpc.main.default_network_acl_id\n}\n');
    assert.deepEqual(exposures(emptyDefault), ['AURSG-011 open-1', 'AURSG-011 partner-1'], 'Terraform removes the default ACL\'s rules it does not declare: only that ACL keeps the open instance from the internet');
  });

  it('Terraform: an ACL rule only the plan can know leaves the ACLs unjudged, with a note, and AURSG-009 assumes they let traffic through', () => {
    const unknown = ACL_GUARDED.replace('variable "partner" { default = "203.0.113.0/24" }', 'variable "partner" {}');
    const inventory = loadIacFile('/w/main.tf', unknown);
    assert.equal(inventory.coverage.networkAcls, false);
    assert.ok(inventory.notes.some((n) => /The network ACLs are not judged \(aws_network_acl\.partner_only: a rule depends on values only the plan knows\)/.test(n.message)));
    assert.deepEqual(exposures(unknown), ['AURSG-009 open-1', 'AURSG-009 partner-1']);
  });

  it('CloudFormation: the same ACLs give the same verdicts: NetworkAcl with its entries and association, and an entry added to the VPC\'s default ACL', () => {
    const inventory = loadIacFile('/w/stack.yaml', ACL_GUARDED_CFN);
    assert.deepEqual(inventory.networkAcls.map((a) => [a.networkAclId, a.isDefault, a.subnetIds, a.entries.map((e) => `${e.egress ? 'out' : 'in'} ${e.ruleNumber} ${e.action} ${e.protocol} ${e.cidr}`)]), [
      ['Vpc.DefaultNetworkAcl', true, [], ['in 100 allow all 0.0.0.0/0', 'out 100 allow all 0.0.0.0/0', 'in 100 allow all ::/0', 'out 100 allow all ::/0', 'in 50 deny all 198.51.100.0/24']],
      ['PartnerOnly', false, ['SubnetA'], ['in 90 allow tcp 203.0.113.0/24', 'out 100 allow tcp 0.0.0.0/0']],
    ]);
    assert.deepEqual(exposures(ACL_GUARDED_CFN, '/w/stack.yaml'), exposures(ACL_GUARDED));
    assert.match(auditInventory(inventory).find((f) => f.ruleId === 'AURSG-009')!.message, /network ACL Vpc\.DefaultNetworkAcl \(the VPC's default\) lets 99\.99% of IPv4 addresses through/);
    const unknown = ACL_GUARDED_CFN.replace('CidrBlock: !Ref Partner', 'CidrBlock: !ImportValue partner-range');
    const unjudged = loadIacFile('/w/stack.yaml', unknown);
    assert.ok(unjudged.notes.some((n) => /The network ACLs are not judged \(PartnerIn: the entry is known only after deployment\)/.test(n.message)), JSON.stringify(unjudged.notes));
    assert.deepEqual(exposures(unknown, '/w/stack.yaml'), ['AURSG-009 open-1', 'AURSG-009 partner-1']);
  });

  it('CloudFormation: the same template network gives the same verdict', () => {
    const finding = auditInventory(loadIacFile('/w/stack.yaml', CFN)).find((f) => f.ruleId === 'AURSG-009');
    assert.equal(finding?.instanceId, 'Writer');
    assert.match(finding?.message ?? '', /route table Routes of subnet SubnetA sends 0\.0\.0\.0\/0 to internet gateway igw-Igw/);
  });

  it('makes the instance private (publicly_accessible = false / PubliclyAccessible: false): AURSG-009 is gone, nothing new', () => {
    for (const [file, text, from, to] of [['/w/main.tf', terraform(true), 'publicly_accessible = true', 'publicly_accessible = false'], ['/w/stack.yaml', CFN, 'PubliclyAccessible: true', 'PubliclyAccessible: false']] as const) {
      const settings = defaultSettings();
      const finding = auditInventory(loadIacFile(file, text), settings).find((f) => f.ruleId === 'AURSG-009')!;
      const list = iacCodeFixes({ file, text, settings }, finding.id);
      assert.ok(!('why' in list));
      const fix = list.fixes.find((f) => f.kind === 'make-private');
      assert.ok(fix, `${file}: ${JSON.stringify(list.refused)}`);
      const edited = applyEdits(text, fix.edits);
      assert.equal(edited, text.replace(from, to));
      const after = auditInventory(loadIacFile(file, edited), settings).map((f) => f.ruleId).sort();
      const before = auditInventory(loadIacFile(file, text), settings).map((f) => f.ruleId).filter((r) => r !== 'AURSG-009').sort();
      assert.deepEqual(after, before);
    }
  });
});
