import * as assert from 'node:assert/strict';
import {
  DescribeManagedPrefixListsCommand, DescribeNetworkAclsCommand, DescribeNetworkInterfacesCommand, DescribeRouteTablesCommand, DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client, GetManagedPrefixListEntriesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { ClientPool } from '../../../src/aws/clients';
import { FILTER_VALUES_MAX, loadTarget } from '../../../src/aws/loader';

// The doubles replace every client's send() while they exist, so they are made in before()
// and restored in after(): other suites in the same run keep the real SDK.
const stubEc2 = () => mockClient(EC2Client);
const stubRds = () => mockClient(RDSClient);
let ec2: ReturnType<typeof stubEc2>;
let rds: ReturnType<typeof stubRds>;

const groupIdOf = (c: number, g: number) => `sg-${String(c).padStart(4, '0')}${g}`;
const CLUSTERS = 90; // 5 groups each: 450 groups, more than two filter chunks
const clusters = Array.from({ length: CLUSTERS }, (_, c) => ({
  DBClusterIdentifier: `db-${c}`, DBClusterArn: `arn:aws:rds:eu-west-1:123456789012:cluster:db-${c}`,
  Engine: 'aurora-postgresql', Port: 5432, Status: 'available',
  VpcSecurityGroups: Array.from({ length: 5 }, (_, g) => ({ VpcSecurityGroupId: groupIdOf(c, g), Status: 'active' })),
  DBClusterMembers: [{ DBInstanceIdentifier: `db-${c}-1`, IsClusterWriter: true }],
}));
const instances = clusters.map((c, i) => ({
  DBInstanceIdentifier: `db-${i}-1`, DBClusterIdentifier: c.DBClusterIdentifier, Engine: 'aurora-postgresql', DBInstanceStatus: 'available',
  PubliclyAccessible: i === 0, VpcSecurityGroups: c.VpcSecurityGroups,
  DBSubnetGroup: { VpcId: 'vpc-1', Subnets: [{ SubnetIdentifier: `subnet-${i}a` }] },
}));

function filterValues(input: { Filters?: { Name?: string; Values?: string[] }[] }, name: string): string[] {
  return input.Filters?.find((f) => f.Name === name)?.Values ?? [];
}

describe('aws/loader: batched, chunked, paginated calls per target', () => {
  before(() => { ec2 = stubEc2(); rds = stubRds(); });
  beforeEach(() => {
    ec2.reset();
    rds.reset();
    // Two pages of clusters, to prove pagination.
    rds.on(DescribeDBClustersCommand).callsFake((input: { Marker?: string }) => (input.Marker
      ? { DBClusters: clusters.slice(50) }
      : { DBClusters: [...clusters.slice(0, 50), { DBClusterIdentifier: 'docdb', Engine: 'docdb', Port: 27017 }], Marker: 'page2' }));
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: instances });
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input) => ({
      SecurityGroups: filterValues(input, 'group-id').map((id) => ({
        GroupId: id, GroupName: id, VpcId: 'vpc-1', OwnerId: '123456789012',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }], PrefixListIds: id.endsWith('0') ? [{ PrefixListId: 'pl-11' }] : [] }],
      })),
    }));
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0a', VpcId: 'vpc-1' }] });
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
    ec2.on(DescribeNetworkAclsCommand).resolves({ NetworkAcls: [] });
    ec2.on(DescribeManagedPrefixListsCommand).resolves({ PrefixLists: [{ PrefixListId: 'pl-11', PrefixListName: 'office' }] });
    ec2.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [{ Cidr: '192.0.2.0/24' }] });
  });
  after(() => { ec2.restore(); rds.restore(); });

  it('loads every cluster across pages, Aurora only, with the engine filter', async () => {
    const pool = new ClientPool({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const { inventory } = await loadTarget(pool, 'p', 'eu-west-1');
    await pool.dispose();
    assert.equal(inventory.clusters.length, CLUSTERS);
    assert.equal(rds.commandCalls(DescribeDBClustersCommand).length, 2);
    for (const call of rds.commandCalls(DescribeDBClustersCommand)) {
      assert.deepEqual(filterValues(call.args[0].input, 'engine').sort(), ['aurora', 'aurora-mysql', 'aurora-postgresql']);
    }
    assert.equal(inventory.target.accountId, '123456789012');
    assert.equal(inventory.prefixLists[0]?.name, 'office');
    assert.deepEqual(inventory.prefixLists[0]?.entries, ['192.0.2.0/24']);
  });

  it('fetches all groups in chunks of at most 200 filter values, never one call per group', async () => {
    const pool = new ClientPool({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const { inventory } = await loadTarget(pool, 'p', 'eu-west-1');
    await pool.dispose();
    for (const command of [DescribeSecurityGroupsCommand, DescribeSecurityGroupRulesCommand, DescribeNetworkInterfacesCommand]) {
      const calls = ec2.commandCalls(command);
      assert.equal(calls.length, Math.ceil((CLUSTERS * 5) / FILTER_VALUES_MAX), command.name);
      const sizes = calls.map((c) => filterValues(c.args[0].input, 'group-id').length).sort((a, b) => b - a);
      assert.deepEqual(sizes, [200, 200, 50]);
    }
    assert.equal(inventory.securityGroups.length, CLUSTERS * 5);
    assert.equal(ec2.commandCalls(DescribeSecurityGroupsCommand).every((c) => c.args[0].input.GroupIds === undefined), true);
  });

  it('asks for subnets, route tables and network ACLs only for publicly accessible instances, and prefix lists only once each', async () => {
    const pool = new ClientPool({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await loadTarget(pool, 'p', 'eu-west-1');
    await pool.dispose();
    const subnets = ec2.commandCalls(DescribeSubnetsCommand);
    assert.equal(subnets.length, 1);
    assert.deepEqual(filterValues(subnets[0]!.args[0].input, 'subnet-id'), ['subnet-0a']);
    assert.deepEqual(filterValues(ec2.commandCalls(DescribeRouteTablesCommand)[0]!.args[0].input, 'vpc-id'), ['vpc-1']);
    const acls = ec2.commandCalls(DescribeNetworkAclsCommand);
    assert.equal(acls.length, 1, 'one DescribeNetworkAcls for the one VPC of a public instance');
    assert.deepEqual(filterValues(acls[0]!.args[0].input, 'vpc-id'), ['vpc-1']);
    assert.equal(ec2.commandCalls(GetManagedPrefixListEntriesCommand).length, 1);
  });

  it('keeps a prefix list it cannot read as unresolved, with a note, instead of failing the target', async () => {
    ec2.on(GetManagedPrefixListEntriesCommand).rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation' }));
    const pool = new ClientPool({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const { inventory } = await loadTarget(pool, 'p', 'eu-west-1');
    await pool.dispose();
    assert.equal(inventory.prefixLists[0]?.entries, undefined);
    assert.ok(inventory.notes.some((n) => /Prefix list pl-11 could not be read: Access denied to ec2:GetManagedPrefixListEntries/.test(n.message)));
  });
});
