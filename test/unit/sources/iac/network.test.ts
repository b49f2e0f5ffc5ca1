// The network an IaC file declares (VPC, subnets, route tables, internet gateway, DB subnet group)
// lets the audit judge whether a public instance is reachable from the internet (AURSG-009), and
// the code fix that makes it private.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { auditInventory, defaultSettings } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { applyEdits, iacCodeFixes } from '../../../../src/sources/iac/fixes';

const PUBLIC = readFileSync(path.resolve(__dirname, '../../../fixtures/iac/public-instance.tf'), 'utf8');

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
