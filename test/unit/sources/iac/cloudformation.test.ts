import * as assert from 'node:assert/strict';
import { loadIacFile } from '../../../../src/sources/iac';
import { lineOf, noteMessages, rulesOf } from './helpers';

const FILE = '/work/stack/db.yaml';

describe('IaC: CloudFormation YAML', () => {
  const template = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  AppCidr:
    Type: String
    Default: 10.20.0.0/16
  OfficeCidr:
    Type: String
  DbPort:
    Type: Number
    Default: 3307
  PartnerCidrs:
    Type: CommaDelimitedList
    Default: "198.51.100.0/24, 203.0.113.0/24"
Mappings:
  Env:
    prod:
      Cidr: 10.99.0.0/16
Conditions:
  IsProd: !Equals [!Ref "AWS::StackName", prod]
Resources:
  AppGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
  DbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: orders-db
      GroupDescription: !Join [" ", [orders, db]]
      Tags:
        - Key: team
          Value: payments
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: !Ref DbPort
          ToPort: !Ref DbPort
          SourceSecurityGroupId: !GetAtt AppGroup.GroupId
          SourceSecurityGroupOwnerId: "111122223333"
        - IpProtocol: tcp
          FromPort: "3307"
          ToPort: "3307"
          CidrIp: 0.0.0.0/0
          Description: risky
        - IpProtocol: "6"
          FromPort: 3307
          ToPort: 3307
          CidrIp: !Ref AppCidr
        - IpProtocol: tcp
          FromPort: 3307
          ToPort: 3307
          CidrIp: !Ref OfficeCidr
        - IpProtocol: tcp
          FromPort: 3307
          ToPort: 3307
          CidrIp: !Select [1, !Ref PartnerCidrs]
        - IpProtocol: tcp
          FromPort: 3307
          ToPort: 3307
          CidrIp: !FindInMap [Env, prod, Cidr]
        - IpProtocol: tcp
          FromPort: 3307
          ToPort: 3307
          CidrIpv6: !Sub "\${AWS::Region}::/64"
        - !If [IsProd, {IpProtocol: tcp, FromPort: 1, ToPort: 1, CidrIp: 1.1.1.1/32}, !Ref "AWS::NoValue"]
        - IpProtocol: tcp
          FromPort: 3307
          ToPort: 3307
          SourcePrefixListId: pl-0123456789abcdef0
        - IpProtocol: tcp
          FromPort: 3307
          ToPort: 3307
          CidrIp: !ImportValue shared-cidr
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          DestinationPrefixListId: pl-0aaaaaaaaaaaaaaaa
        - IpProtocol: udp
          FromPort: 53
          ToPort: 53
          DestinationSecurityGroupId: !Ref AppGroup
  ExtraIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref DbGroup
      IpProtocol: "-1"
      FromPort: -1
      ToPort: -1
      CidrIpv6: ::/0
  ExtraEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt [AppGroup, GroupId]
      IpProtocol: icmp
      FromPort: 8
      ToPort: -1
      CidrIp: 10.0.0.0/8
  ForeignIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 3307
      ToPort: 3307
      CidrIp: 192.0.2.0/24
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      DBClusterIdentifier: Orders-DB
      Engine: aurora-mysql
      Port: !Ref DbPort
      VpcSecurityGroupIds:
        - !Ref DbGroup
        - !GetAtt AppGroup.GroupId
        - sg-0fedcba9876543210
        - !ImportValue shared-sg
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Cluster
      Engine: aurora-mysql
      DBInstanceClass: db.r6g.large
      PubliclyAccessible: "true"
  Reader:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: orders-reader
      DBClusterIdentifier: orders-db
      Engine: aurora-mysql
  Standalone:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBInstanceClass: db.t3.micro
  PostgresCluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      VpcSecurityGroupIds: [!Ref AppGroup]
  LegacyCluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora
  MultiAzMysql:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: mysql
`;
  const inventory = loadIacFile(FILE, template);

  it('describes the file as an IaC target judged without clusters', () => {
    assert.deepEqual(inventory.target, { kind: 'iac', label: 'db.yaml', path: FILE });
    assert.equal(inventory.judgeUnattachedGroups, true);
  });

  it('reads inline ingress and egress, resolving !Ref, !GetAtt, !Select, !FindInMap and parameter defaults', () => {
    assert.deepEqual(rulesOf(inventory, 'DbGroup'), [
      'ingress tcp 3307-3307 group:AppGroup',
      'ingress tcp 3307-3307 cidr4:0.0.0.0/0',
      'ingress tcp 3307-3307 cidr4:10.20.0.0/16',
      'ingress tcp 3307-3307 cidr4:203.0.113.0/24',
      'ingress tcp 3307-3307 cidr4:10.99.0.0/16',
      'ingress tcp 3307-3307 prefixList:pl-0123456789abcdef0',
      'egress tcp 443-443 prefixList:pl-0aaaaaaaaaaaaaaaa',
      'egress udp 53-53 group:AppGroup',
      'ingress all cidr6:::/0',
    ]);
    const group = inventory.securityGroups.find((g) => g.groupId === 'DbGroup');
    assert.equal(group?.groupName, 'orders-db');
    assert.equal(group?.description, 'orders db');
    assert.deepEqual(group?.tags, { team: 'payments' });
    assert.equal(group?.rules[0]?.source.ownerId, '111122223333');
    assert.equal(group?.rules[1]?.description, 'risky');
  });

  it('skips what is known only at deploy time, with a note naming the resource and the property', () => {
    const notes = noteMessages(inventory);
    const expectations: [RegExp, string][] = [
      [/DbGroup SecurityGroupIngress\[3\] CidrIp: !Ref OfficeCidr: the parameter has no Default/, 'CidrIp: !Ref OfficeCidr'],
      [/DbGroup SecurityGroupIngress\[6\] CidrIpv6: !Sub \$\{AWS::Region\}: !Ref AWS::Region is a pseudo parameter/, 'AWS::Region}::/64'],
      [/DbGroup SecurityGroupIngress\[7\]: !If on condition IsProd is decided at deploy time/, '!If [IsProd'],
      [/DbGroup SecurityGroupIngress\[9\] CidrIp: !ImportValue is exported by another stack/, 'CidrIp: !ImportValue shared-cidr'],
      [/Cluster VpcSecurityGroupIds: !ImportValue is exported by another stack/, '!ImportValue shared-sg'],
    ];
    for (const [pattern, line] of expectations) {
      const note = inventory.notes.find((n) => pattern.test(n.message));
      assert.ok(note, `expected a note matching ${pattern}; notes: ${notes.join('\n')}`);
      assert.equal(note.level, 'warning');
      assert.equal(note.file, FILE);
      assert.equal(note.location?.start.line, lineOf(template, line), `${pattern} at the line of ${line}`);
      assert.match(note.message, /^db\.yaml, line \d+: /);
    }
  });

  it('links standalone ingress and egress resources to their group by !Ref and !GetAtt', () => {
    const extra = inventory.securityGroups.find((g) => g.groupId === 'DbGroup')?.rules.find((r) => r.source.value === '::/0');
    assert.deepEqual(extra?.location?.start, { line: lineOf(template, 'ExtraIngress:'), character: 2 });
    assert.equal(extra?.fromPort, undefined, 'protocol -1 has no ports');
    assert.deepEqual(rulesOf(inventory, 'AppGroup'), ['egress all cidr4:0.0.0.0/0', 'egress icmp 8--1 cidr4:10.0.0.0/8']);
  });

  it('keeps a standalone rule for a group declared elsewhere, under that group id, and says so', () => {
    assert.deepEqual(rulesOf(inventory, 'sg-0123456789abcdef0'), ['ingress tcp 3307-3307 cidr4:192.0.2.0/24']);
    assert.ok(noteMessages(inventory).some((m) => /ForeignIngress adds a rule to sg-0123456789abcdef0, a group declared outside this template/.test(m)));
  });

  it('gives a group without SecurityGroupEgress the default allow-all egress, and keeps declared egress exact', () => {
    const app = inventory.securityGroups.find((g) => g.groupId === 'AppGroup');
    const defaultEgress = app?.rules.find((r) => r.direction === 'egress' && r.protocol === 'all');
    assert.deepEqual(defaultEgress?.source, { kind: 'cidr4', value: '0.0.0.0/0' });
    assert.equal(defaultEgress?.location?.start.line, lineOf(template, 'AppGroup:'));
    assert.ok(!inventory.securityGroups.find((g) => g.groupId === 'DbGroup')?.rules.some((r) => r.direction === 'egress' && r.protocol === 'all'));
  });

  it('reads Aurora clusters: identifier, engine, declared or default port, and attached groups', () => {
    const byId = new Map(inventory.clusters.map((c) => [c.clusterId, c]));
    assert.deepEqual([...byId.keys()], ['orders-db', 'PostgresCluster', 'LegacyCluster']);
    const orders = byId.get('orders-db');
    assert.equal(orders?.engine, 'aurora-mysql');
    assert.equal(orders?.port, 3307, 'Port from the parameter default');
    assert.deepEqual(orders?.securityGroupIds, ['DbGroup', 'AppGroup', 'sg-0fedcba9876543210']);
    assert.equal(byId.get('PostgresCluster')?.port, 5432);
    assert.equal(byId.get('LegacyCluster')?.port, 3306);
    assert.equal(orders?.location?.start.line, lineOf(template, '  Cluster:'));
    assert.ok(noteMessages(inventory).some((m) => /MultiAzMysql is a mysql cluster, not Aurora/.test(m)));
    assert.ok(noteMessages(inventory).some((m) => /LegacyCluster declares no VpcSecurityGroupIds, so AWS attaches its VPC's default security group/.test(m)));
  });

  it('reads cluster members and their public accessibility; stand-alone RDS instances are out of scope', () => {
    assert.deepEqual(inventory.instances.map((i) => [i.instanceId, i.clusterId, i.publiclyAccessible]), [
      ['Writer', 'orders-db', true],
      ['orders-reader', 'orders-db', false],
    ]);
    assert.deepEqual(inventory.clusters[0]?.memberInstanceIds, ['Writer', 'orders-reader']);
    assert.deepEqual(inventory.instances[0]?.securityGroupIds, ['DbGroup', 'AppGroup', 'sg-0fedcba9876543210']);
  });

  it('places each rule at its list item, from the item line to its last property', () => {
    const risky = inventory.securityGroups.find((g) => g.groupId === 'DbGroup')?.rules.find((r) => r.source.value === '0.0.0.0/0');
    const itemLine = lineOf(template, 'FromPort: "3307"') - 1;
    assert.deepEqual(risky?.location, {
      file: FILE,
      start: { line: itemLine, character: 10 },
      end: { line: lineOf(template, 'Description: risky'), character: '          Description: risky'.length },
    });
  });
});

describe('IaC: CloudFormation JSON', () => {
  const template = `{
  "Parameters": { "Cidr": { "Type": "String", "Default": "10.1.0.0/16" } },
  "Resources": {
    "Db": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "db",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": { "Ref": "Cidr" } },
          { "IpProtocol": "tcp", "FromPort": "5432", "ToPort": "5432", "CidrIp": "0.0.0.0/0" },
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": { "Fn::Join": ["", ["10.2.", "0.0/16"]] } },
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": { "Fn::If": ["C", "1.1.1.1/32", "2.2.2.2/32"] } }
        ],
        "SecurityGroupEgress": [{ "IpProtocol": "-1", "CidrIp": "10.0.0.0/8" }]
      }
    },
    "Ingress": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": { "GroupId": { "Fn::GetAtt": ["Db", "GroupId"] }, "IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "CidrIpv6": "::/0" }
    },
    "Cluster": {
      "Type": "AWS::RDS::DBCluster",
      "Properties": { "Engine": "aurora-postgresql", "Port": "6432", "VpcSecurityGroupIds": [{ "Ref": "Db" }] }
    },
    "Member": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "DBClusterIdentifier": { "Ref": "Cluster" }, "Engine": "aurora-postgresql", "PubliclyAccessible": true }
    }
  }
}`;
  const inventory = loadIacFile('/t/db.json', template);

  it('reads the same resources as YAML, with the long form of intrinsic functions', () => {
    assert.deepEqual(rulesOf(inventory, 'Db'), [
      'ingress tcp 5432-5432 cidr4:10.1.0.0/16',
      'ingress tcp 5432-5432 cidr4:0.0.0.0/0',
      'ingress tcp 5432-5432 cidr4:10.2.0.0/16',
      'egress all cidr4:10.0.0.0/8',
      'ingress tcp 0-65535 cidr6:::/0',
    ]);
    assert.deepEqual(inventory.clusters.map((c) => [c.clusterId, c.port, c.securityGroupIds]), [['Cluster', 6432, ['Db']]]);
    assert.deepEqual(inventory.instances.map((i) => [i.instanceId, i.clusterId, i.publiclyAccessible]), [['Member', 'Cluster', true]]);
    assert.ok(noteMessages(inventory).some((m) => /Db SecurityGroupIngress\[3\] CidrIp: !If on condition C is decided at deploy time/.test(m)));
  });

  it('places each rule on the line of its object', () => {
    const risky = inventory.securityGroups[0]?.rules.find((r) => r.source.value === '0.0.0.0/0');
    assert.equal(risky?.location?.start.line, lineOf(template, '"CidrIp": "0.0.0.0/0"'));
    assert.equal(risky?.location?.start.character, 10);
    const standalone = inventory.securityGroups[0]?.rules.find((r) => r.source.value === '::/0');
    assert.equal(standalone?.location?.start.line, lineOf(template, '"Ingress": {'));
  });
});
