// A large synthetic account as an evidence folder (the emulator's seed): clusters, their
// groups, instances (some public), subnets, route tables, network ACLs, network interfaces,
// prefix lists. Deterministic, so the figures are comparable run to run.

import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface SyntheticAccount {
  clusters: number;
  groupsPerCluster: number;
  /** Every n-th instance is publicly accessible. */
  publicEvery: number;
  prefixLists: number;
  entriesPerPrefixList: number;
}

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const hex = (n: number, width = 17) => n.toString(16).padStart(width, '0');

export function writeSyntheticAccount(dir: string, spec: SyntheticAccount): { groups: number; instances: number } {
  mkdirSync(dir, { recursive: true });
  const vpcs = [0, 1].map((v) => ({ VpcId: `vpc-${hex(v + 1)}`, CidrBlock: `10.${v}.0.0/16`, CidrBlockAssociationSet: [{ CidrBlock: `10.${v}.0.0/16` }] }));
  const subnetGroups = Array.from({ length: 10 }, (_, s) => {
    const vpc = vpcs[s % 2]!;
    return {
      DBSubnetGroupName: `db-subnets-${s}`, VpcId: vpc.VpcId, SubnetGroupStatus: 'Complete',
      Subnets: [0, 1].map((k) => ({ SubnetIdentifier: `subnet-${hex(s * 2 + k + 1)}`, SubnetStatus: 'Active' })),
    };
  });
  const subnets = subnetGroups.flatMap((g, s) => g.Subnets.map((sub, k) => ({
    SubnetId: sub.SubnetIdentifier, VpcId: g.VpcId, CidrBlock: `10.${s % 2}.${s * 2 + k}.0/24`, Ipv6CidrBlockAssociationSet: [],
  })));
  const routeTables = vpcs.flatMap((vpc, v) => [
    { RouteTableId: `rtb-${hex(v * 10 + 1)}`, VpcId: vpc.VpcId, Associations: [{ Main: true, RouteTableId: `rtb-${hex(v * 10 + 1)}` }],
      Routes: [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: 'local', State: 'active' }, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: `igw-${hex(v + 1)}`, State: 'active' }] },
    ...Array.from({ length: 4 }, (_, r) => ({
      RouteTableId: `rtb-${hex(v * 10 + r + 2)}`, VpcId: vpc.VpcId, Associations: [],
      Routes: [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: 'local', State: 'active' }],
    })),
  ]);
  // Per VPC its default ACL (allow-all) and five custom ACLs of two subnets each; every second one denies the port.
  const networkAcls = vpcs.flatMap((vpc, v) => {
    const vpcSubnets = subnets.filter((s) => s.VpcId === vpc.VpcId);
    const entries = (deny: boolean) => [
      ...(deny ? [{ CidrBlock: '0.0.0.0/0', Egress: false, PortRange: { From: 5432, To: 5432 }, Protocol: '6', RuleAction: 'deny', RuleNumber: 90 }] : []),
      { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
      { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 },
      { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
      { CidrBlock: '0.0.0.0/0', Egress: true, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 },
    ];
    return [
      { NetworkAclId: `acl-${hex(v * 10 + 1)}`, VpcId: vpc.VpcId, IsDefault: true, OwnerId: ACCOUNT, Associations: [], Entries: entries(false), Tags: [] },
      ...Array.from({ length: 5 }, (_, a) => ({
        NetworkAclId: `acl-${hex(v * 10 + a + 2)}`, VpcId: vpc.VpcId, IsDefault: false, OwnerId: ACCOUNT, Tags: [], Entries: entries(a % 2 === 1),
        Associations: vpcSubnets.slice(a * 2, a * 2 + 2).map((s, k) => ({ NetworkAclAssociationId: `aclassoc-${hex(v * 100 + a * 10 + k)}`, NetworkAclId: `acl-${hex(v * 10 + a + 2)}`, SubnetId: s.SubnetId })),
      })),
    ];
  });
  const prefixLists = Array.from({ length: spec.prefixLists }, (_, p) => ({ PrefixListId: `pl-${hex(p + 1)}`, PrefixListName: `offices-${p}`, AddressFamily: 'IPv4', MaxEntries: 1000, State: 'create-complete' }));

  const groups: object[] = [];
  const clusters: object[] = [];
  const instances: object[] = [];
  const enis: object[] = [];
  for (let c = 0; c < spec.clusters; c++) {
    const subnetGroup = subnetGroups[c % subnetGroups.length]!;
    const ids = Array.from({ length: spec.groupsPerCluster }, (_, g) => `sg-${hex(c * spec.groupsPerCluster + g + 1)}`);
    ids.forEach((id, g) => {
      const ingress: object[] = [
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: `10.${c % 2}.0.0/16`, Description: 'app subnets' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: ids[(g + 1) % ids.length], UserId: ACCOUNT }] },
      ];
      if (g === 0 && c % 20 === 0) ingress.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
      if (g === 1 && spec.prefixLists > 0) ingress.push({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [{ PrefixListId: prefixLists[c % spec.prefixLists]!.PrefixListId }], UserIdGroupPairs: [] });
      groups.push({
        GroupId: id, GroupName: `db-${c}-${g}`, Description: `cluster ${c} group ${g}`, VpcId: subnetGroup.VpcId, OwnerId: ACCOUNT,
        IpPermissions: ingress,
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
      });
    });
    const clusterId = `aurora-${String(c).padStart(3, '0')}`;
    const instanceId = `${clusterId}-1`;
    const publiclyAccessible = c % spec.publicEvery === 0;
    clusters.push({
      DBClusterIdentifier: clusterId, DBClusterArn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${clusterId}`, Engine: 'aurora-postgresql', EngineVersion: '16.2',
      Status: 'available', Port: 5432, DBSubnetGroup: subnetGroup.DBSubnetGroupName, Endpoint: `${clusterId}.cluster-x.${REGION}.rds.amazonaws.com`,
      DBClusterMembers: [{ DBInstanceIdentifier: instanceId, IsClusterWriter: true }],
      VpcSecurityGroups: ids.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    });
    instances.push({
      DBInstanceIdentifier: instanceId, DBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:${instanceId}`, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql',
      DBInstanceStatus: 'available', DBClusterIdentifier: clusterId, PubliclyAccessible: publiclyAccessible,
      Endpoint: { Address: `${instanceId}.x.${REGION}.rds.amazonaws.com`, Port: 5432 },
      VpcSecurityGroups: ids.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
      DBSubnetGroup: subnetGroup,
    });
    enis.push({
      NetworkInterfaceId: `eni-${hex(c + 1)}`, VpcId: subnetGroup.VpcId, SubnetId: subnetGroup.Subnets[0]!.SubnetIdentifier, Description: 'RDSNetworkInterface',
      RequesterId: 'amazon-rds', RequesterManaged: true, InterfaceType: 'interface', Status: 'in-use', Groups: ids.map((id) => ({ GroupId: id, GroupName: id })),
    });
    // Every tenth cluster's first group is shared with an application server.
    if (c % 10 === 0) {
      enis.push({ NetworkInterfaceId: `eni-${hex(100_000 + c)}`, VpcId: subnetGroup.VpcId, SubnetId: subnetGroup.Subnets[0]!.SubnetIdentifier, Description: 'app server',
        InterfaceType: 'interface', Status: 'in-use', Groups: [{ GroupId: ids[0], GroupName: ids[0] }], Attachment: { InstanceId: `i-${hex(c + 1)}` } });
    }
  }

  const write = (name: string, value: object) => writeFileSync(path.join(dir, name), JSON.stringify(value));
  write('describe-db-clusters.json', { DBClusters: clusters });
  write('describe-db-instances.json', { DBInstances: instances });
  write('describe-security-groups.json', { SecurityGroups: groups });
  write('describe-subnets.json', { Subnets: subnets });
  write('describe-route-tables.json', { RouteTables: routeTables });
  write('describe-network-acls.json', { NetworkAcls: networkAcls });
  write('describe-network-interfaces.json', { NetworkInterfaces: enis });
  write('describe-vpcs.json', { Vpcs: vpcs });
  write('describe-managed-prefix-lists.json', { PrefixLists: prefixLists });
  for (const list of prefixLists) {
    const entries = Array.from({ length: spec.entriesPerPrefixList }, (_, e) => ({ Cidr: `192.${list.PrefixListId.length % 2}.${Math.floor(e / 256)}.${e % 256}/32`, Description: `office ${e}` }));
    write(`get-managed-prefix-list-entries.${list.PrefixListId}.json`, { Entries: entries });
  }
  return { groups: groups.length, instances: instances.length };
}
