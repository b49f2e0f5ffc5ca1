// The emulator against the real AWS SDK v3 clients: pagination, round trips, typed errors,
// dry run, throttling retries, regions. What the product's live code will rely on.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand, DescribeRegionsCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand,
  EC2Client, RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, paginateDescribeManagedPrefixLists,
  paginateDescribeNetworkInterfaces, paginateDescribeRouteTables, paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups, paginateDescribeSubnets, paginateDescribeVpcs, paginateGetManagedPrefixListEntries,
  DescribeNetworkInterfacesCommand, type SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  DescribeDBClustersCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand, ModifyDBInstanceCommand, RDSClient,
  paginateDescribeDBClusters, paginateDescribeDBInstances, paginateDescribeDBSubnetGroups,
} from '@aws-sdk/client-rds';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';

const DEMO = 'samples/demo-account';
const REGION = 'eu-west-1';

function seedFile<T>(name: string): T {
  return JSON.parse(readFileSync(join(DEMO, name), 'utf8')) as T;
}

function clients(emulator: EmulatorHandle, region = REGION, maxAttempts?: number) {
  const config = {
    endpoint: emulator.url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...(maxAttempts ? { maxAttempts } : {}),
  };
  return { ec2: new EC2Client(config), rds: new RDSClient(config) };
}

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/** A security group's rules, one line per source, as a sorted list: the content, whatever the grouping. */
function ruleLines(group: SecurityGroup): string[] {
  const lines: string[] = [];
  for (const [direction, permissions] of [['in', group.IpPermissions], ['out', group.IpPermissionsEgress]] as const) {
    for (const p of permissions ?? []) {
      const head = `${direction} ${p.IpProtocol} ${p.FromPort ?? ''}-${p.ToPort ?? ''}`;
      for (const r of p.IpRanges ?? []) lines.push(`${head} ${r.CidrIp} ${r.Description ?? ''}`);
      for (const r of p.Ipv6Ranges ?? []) lines.push(`${head} ${r.CidrIpv6} ${r.Description ?? ''}`);
      for (const r of p.PrefixListIds ?? []) lines.push(`${head} ${r.PrefixListId} ${r.Description ?? ''}`);
      for (const r of p.UserIdGroupPairs ?? []) lines.push(`${head} ${r.GroupId}/${r.UserId} ${r.Description ?? ''}`);
    }
  }
  return lines.sort();
}

async function expectError(promise: Promise<unknown>, name: string, status?: number): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status);
    return e;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

describe('AWS emulator with the AWS SDK v3 clients', function () {
  let emulator: EmulatorHandle;
  let ec2: EC2Client;
  let rds: RDSClient;

  before(async () => {
    emulator = await startEmulator({ seedDir: DEMO, pageSize: 3 });
    ({ ec2, rds } = clients(emulator));
  });
  after(async () => {
    ec2?.destroy();
    rds?.destroy();
    await emulator?.close();
  });
  beforeEach(() => emulator.reset());

  it('takes region and account from the seed, and serves the seed through every paginated describe call', async () => {
    assert.equal(emulator.region, REGION);
    const groups = await collect(paginateDescribeSecurityGroups({ client: ec2 }, {}), (p) => p.SecurityGroups);
    const seedGroups = seedFile<{ SecurityGroups: SecurityGroup[] }>('describe-security-groups.json').SecurityGroups;
    assert.deepEqual(groups.map((g) => g.GroupId).sort(), seedGroups.map((g) => g.GroupId).sort());
    for (const seeded of seedGroups) {
      const served = groups.find((g) => g.GroupId === seeded.GroupId)!;
      assert.equal(served.GroupName, seeded.GroupName);
      assert.equal(served.Description, seeded.Description);
      assert.deepEqual(ruleLines(served), ruleLines(seeded), `rules of ${seeded.GroupId}`);
    }
    // 12 groups in pages of 3: the client had to follow NextToken.
    assert.equal(emulator.calls().filter((c) => c.action === 'DescribeSecurityGroups').length, Math.ceil(seedGroups.length / 3));

    const rules = await collect(paginateDescribeSecurityGroupRules({ client: ec2 }, {}), (p) => p.SecurityGroupRules);
    const seedRules = seedFile<{ SecurityGroupRules: { SecurityGroupRuleId: string }[] }>('describe-security-group-rules.json').SecurityGroupRules;
    assert.deepEqual(rules.map((r) => r.SecurityGroupRuleId).sort(), seedRules.map((r) => r.SecurityGroupRuleId).sort());

    const ids = async <P, T>(pages: AsyncIterable<P>, pick: (p: P) => T[] | undefined, key: keyof T) =>
      (await collect(pages, pick)).map((item) => item[key]).sort();
    const seedIds = (file: string, list: string, key: string) =>
      (seedFile<Record<string, Record<string, unknown>[]>>(file)[list]).map((item) => item[key]).sort();
    assert.deepEqual(await ids(paginateDescribeSubnets({ client: ec2 }, {}), (p) => p.Subnets, 'SubnetId'), seedIds('describe-subnets.json', 'Subnets', 'SubnetId'));
    assert.deepEqual(await ids(paginateDescribeRouteTables({ client: ec2 }, {}), (p) => p.RouteTables, 'RouteTableId'), seedIds('describe-route-tables.json', 'RouteTables', 'RouteTableId'));
    assert.deepEqual(await ids(paginateDescribeNetworkInterfaces({ client: ec2 }, {}), (p) => p.NetworkInterfaces, 'NetworkInterfaceId'), seedIds('describe-network-interfaces.json', 'NetworkInterfaces', 'NetworkInterfaceId'));
    assert.deepEqual(await ids(paginateDescribeVpcs({ client: ec2 }, {}), (p) => p.Vpcs, 'VpcId'), seedIds('describe-vpcs.json', 'Vpcs', 'VpcId'));
    assert.deepEqual(await ids(paginateDescribeManagedPrefixLists({ client: ec2 }, {}), (p) => p.PrefixLists, 'PrefixListId'), seedIds('describe-managed-prefix-lists.json', 'PrefixLists', 'PrefixListId'));
    const plId = 'pl-7c28f4ca55c709f3f';
    assert.deepEqual(await ids(paginateGetManagedPrefixListEntries({ client: ec2 }, { PrefixListId: plId }), (p) => p.Entries, 'Cidr'), seedIds(`get-managed-prefix-list-entries.${plId}.json`, 'Entries', 'Cidr'));
    assert.deepEqual(await ids(paginateDescribeDBClusters({ client: rds }, {}), (p) => p.DBClusters, 'DBClusterIdentifier'), seedIds('describe-db-clusters.json', 'DBClusters', 'DBClusterIdentifier'));
    assert.deepEqual(await ids(paginateDescribeDBInstances({ client: rds }, {}), (p) => p.DBInstances, 'DBInstanceIdentifier'), seedIds('describe-db-instances.json', 'DBInstances', 'DBInstanceIdentifier'));
    const subnetGroups = await collect(paginateDescribeDBSubnetGroups({ client: rds }, {}), (p) => p.DBSubnetGroups);
    assert.deepEqual(subnetGroups.map((g) => g.DBSubnetGroupName).sort(), ['default', 'prod-data-db', 'prod-private-db', 'prod-public-db']);
  });

  it('applies the filters the product uses', async () => {
    const byId = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ['sg-5c3da8b9e7eda3df4', 'sg-04d486a2603ba996f'] }] }));
    assert.deepEqual(byId.SecurityGroups?.map((g) => g.GroupName).sort(), ['ledger-db', 'payments-db']);
    const byName = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['*-db'] }, { Name: 'vpc-id', Values: ['vpc-ba1bfc00'] }] }));
    assert.deepEqual(byName.SecurityGroups?.map((g) => g.GroupName), ['legacy-orders-db']);
    const byGroupIds = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-5c3da8b9e7eda3df4'] }));
    assert.equal(byGroupIds.SecurityGroups?.[0].GroupName, 'payments-db');
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-5c3da8b9e7eda3df4', 'sg-0000000000000dead'] })), 'InvalidGroup.NotFound', 400);

    const rules = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: ['sg-04d486a2603ba996f'] }], MaxResults: 100 }));
    assert.ok(rules.SecurityGroupRules!.length > 0);
    assert.ok(rules.SecurityGroupRules!.every((r) => r.GroupId === 'sg-04d486a2603ba996f'));
    const one = rules.SecurityGroupRules![0].SecurityGroupRuleId!;
    const byRuleId = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'security-group-rule-id', Values: [one] }] }));
    assert.deepEqual(byRuleId.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId), [one]);

    const enis = await collect(paginateDescribeNetworkInterfaces({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: ['sg-8dc4af19ce0c37454'] }] }), (p) => p.NetworkInterfaces);
    assert.deepEqual(enis.map((e) => e.NetworkInterfaceId).sort(), ['eni-0754515697487c36d', 'eni-1314cb26669effb4b', 'eni-cb1ec8907c5cd3bd8']);

    const postgres = await collect(paginateDescribeDBClusters({ client: rds }, { Filters: [{ Name: 'engine', Values: ['aurora-postgresql'] }] }), (p) => p.DBClusters);
    assert.deepEqual(postgres.map((c) => c.DBClusterIdentifier).sort(), ['analytics-pg', 'ledger-pg']);
    const members = await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['payments-aurora'] }] }));
    assert.deepEqual(members.DBInstances?.map((i) => i.DBInstanceIdentifier).sort(), ['payments-aurora-1', 'payments-aurora-2']);
  });

  it('rejects page sizes AWS rejects, and tokens it did not issue', async () => {
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 3 })), 'InvalidParameterValue');
    await expectError(rds.send(new DescribeDBClustersCommand({ MaxRecords: 5 })), 'InvalidParameterValue');
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ NextToken: 'not-a-token' })), 'InvalidParameterValue');
  });

  it('runs the dedicated-group fix and its backout, and ends exactly where it started', async () => {
    const before = emulator.state(REGION);
    const cluster = 'payments-aurora';
    const oldGroup = 'sg-5c3da8b9e7eda3df4';
    const vpc = 'vpc-a22171bedb1df4a65';

    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'payments-aurora-dedicated', Description: 'Aurora only', VpcId: vpc }));
    const groupId = created.GroupId!;
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    const fresh = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0];
    assert.deepEqual(fresh.IpPermissions, []);
    assert.deepEqual(ruleLines(fresh), ['out -1 - 0.0.0.0/0 ']);
    await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'payments-aurora-dedicated', Description: 'again', VpcId: vpc })), 'InvalidGroup.Duplicate');

    const authorized = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{
        IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306,
        IpRanges: [{ CidrIp: '10.40.0.0/16', Description: 'app subnets' }],
        Ipv6Ranges: [{ CidrIpv6: '2a05:d018:1c4:7a00::/56' }],
        PrefixListIds: [{ PrefixListId: 'pl-7c28f4ca55c709f3f', Description: 'office' }],
        UserIdGroupPairs: [{ GroupId: 'sg-ab699950115fa43cc', Description: 'payments app' }],
      }],
    }));
    assert.equal(authorized.Return, true);
    assert.equal(authorized.SecurityGroupRules?.length, 4);
    assert.ok(authorized.SecurityGroupRules!.every((r) => /^sgr-[0-9a-f]{17}$/.test(r.SecurityGroupRuleId!) && r.GroupId === groupId && r.IsEgress === false));
    const pair = authorized.SecurityGroupRules!.find((r) => r.ReferencedGroupInfo)!;
    assert.deepEqual(pair.ReferencedGroupInfo, { GroupId: 'sg-ab699950115fa43cc', UserId: '123456789012' });

    // The same rule again, even with another description, is a duplicate; nothing changes.
    const mid = emulator.state(REGION);
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId, IpPermissions: [{ IpProtocol: '6', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.40.0.0/16', Description: 'other' }] }],
    })), 'InvalidPermission.Duplicate');
    assert.deepEqual(emulator.state(REGION), mid);

    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: cluster, VpcSecurityGroupIds: [groupId], ApplyImmediately: true }));
    const modified = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster }))).DBClusters![0];
    assert.deepEqual(modified.VpcSecurityGroups, [{ VpcSecurityGroupId: groupId, Status: 'active' }]);
    const members = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [cluster] }] }))).DBInstances!;
    assert.ok(members.every((i) => i.VpcSecurityGroups?.length === 1 && i.VpcSecurityGroups[0].VpcSecurityGroupId === groupId));
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).NetworkInterfaces!;
    assert.deepEqual(enis.map((e) => e.NetworkInterfaceId).sort(), ['eni-255bb8943955ac391', 'eni-d1f24639b5453530c']);

    // In use by the cluster: cannot be deleted.
    await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })), 'DependencyViolation', 400);

    // Backout: the old groups back, then the new group's rules go (by id and by permissions), then the group.
    await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: cluster, VpcSecurityGroupIds: [oldGroup], ApplyImmediately: true }));
    const ids = authorized.SecurityGroupRules!.filter((r) => r.CidrIpv4 || r.CidrIpv6).map((r) => r.SecurityGroupRuleId!);
    const revokedById = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ids }));
    assert.equal(revokedById.Return, true);
    assert.deepEqual(revokedById.RevokedSecurityGroupRules?.map((r) => r.SecurityGroupRuleId).sort(), [...ids].sort());
    const revokedByPermission = await ec2.send(new RevokeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, PrefixListIds: [{ PrefixListId: 'pl-7c28f4ca55c709f3f' }], UserIdGroupPairs: [{ GroupId: 'sg-ab699950115fa43cc' }] }],
    }));
    assert.equal(revokedByPermission.Return, true);
    await expectError(ec2.send(new RevokeSecurityGroupIngressCommand({
      GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.40.0.0/16' }] }],
    })), 'InvalidPermission.NotFound');
    await expectError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [ids[0]] })), 'InvalidSecurityGroupRuleId.NotFound');
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    assert.equal(deleted.Return, true);
    await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })), 'InvalidGroup.NotFound');

    assert.deepEqual(emulator.state(REGION), before);
  });

  it('revokes a seeded rule and restores it with its description (new sgr id, same rules)', async () => {
    const before = emulator.state(REGION, { ruleIds: false });
    const group = 'sg-04d486a2603ba996f';
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }))).SecurityGroupRules!;
    const target = rules.find((r) => !r.IsEgress && r.CidrIpv6)!;
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group, SecurityGroupRuleIds: [target.SecurityGroupRuleId!] }));
    assert.notDeepEqual(emulator.state(REGION, { ruleIds: false }), before);
    const restored = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: group,
      IpPermissions: [{ IpProtocol: target.IpProtocol, FromPort: target.FromPort, ToPort: target.ToPort, Ipv6Ranges: [{ CidrIpv6: target.CidrIpv6, Description: target.Description }] }],
    }));
    assert.notEqual(restored.SecurityGroupRules![0].SecurityGroupRuleId, target.SecurityGroupRuleId);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false }), before);
  });

  it('authorizes and revokes egress, and refuses to delete a default group', async () => {
    const before = emulator.state(REGION, { ruleIds: false });
    const group = 'sg-ab699950115fa43cc';
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.40.0.0/16' }] }] }));
    const egress = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group] }))).SecurityGroups![0].IpPermissionsEgress;
    assert.deepEqual(egress?.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges?.map((r) => r.CidrIp)]), [['tcp', 0, 65535, ['10.40.0.0/16']]]);
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.40.0.0/16' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'all', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    assert.deepEqual(emulator.state(REGION, { ruleIds: false }), before);
    const defaultGroup = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }, { Name: 'vpc-id', Values: ['vpc-a22171bedb1df4a65'] }] }))).SecurityGroups![0];
    await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup.GroupId })), 'CannotDelete');
  });

  it('refuses the rules AWS refuses, and leaves the group as it was', async () => {
    const before = emulator.state(REGION);
    const group = 'sg-5c3da8b9e7eda3df4';
    const authorize = (permission: object) => ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group, IpPermissions: [permission] }));
    await expectError(authorize({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/33' }] }), 'InvalidParameterValue');
    await expectError(authorize({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '::/0' }] }), 'InvalidParameterValue');
    await expectError(authorize({ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }), 'InvalidParameterValue');
    await expectError(authorize({ IpProtocol: 'tcp', FromPort: 3307, ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }), 'InvalidParameterValue');
    await expectError(authorize({ IpProtocol: 'bogus', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }), 'InvalidParameterValue');
    await expectError(authorize({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: 'sg-0000000000000dead' }] }), 'InvalidGroup.NotFound');
    // One bad source spoils the whole call: the good one is not added either.
    await expectError(authorize({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.1.0.0/16' }, { CidrIp: 'nonsense' }] }), 'InvalidParameterValue');
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'not-a-group', IpPermissions: [] })), 'InvalidGroupId.Malformed');
    assert.deepEqual(emulator.state(REGION), before);
  });

  it('in the default VPC, creates groups without a VPC id and reports unknown permissions on revoke instead of failing', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'in-default-vpc', Description: 'no VPC given' }));
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId!] }))).SecurityGroups![0];
    assert.equal(group.VpcId, 'vpc-ba1bfc00');
    const unknown = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.0.2.0/24' }] };
    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [unknown] }));
    assert.equal(revoked.Return, true);
    assert.equal(revoked.UnknownIpPermissions?.[0].IpRanges?.[0].CidrIp, '192.0.2.0/24');
    assert.deepEqual(revoked.RevokedSecurityGroupRules ?? [], []);
  });

  it('answers DryRun with DryRunOperation (HTTP 412) and changes nothing, but still reports real errors', async () => {
    const before = emulator.state(REGION);
    const error = await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: 'sg-5c3da8b9e7eda3df4', DryRun: true,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.9.0.0/16' }] }],
    })), 'DryRunOperation', 412);
    assert.equal(error.message, 'Request would have succeeded, but DryRun flag is set.');
    await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'y', VpcId: 'vpc-a22171bedb1df4a65', DryRun: true })), 'DryRunOperation', 412);
    await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: 'sg-0000000000000dead', DryRun: true })), 'InvalidGroup.NotFound');
    assert.deepEqual(emulator.state(REGION), before);
  });

  it('refuses security groups on an Aurora member instance, as RDS does, and makes an instance private', async () => {
    const error = await expectError(rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'analytics-pg-1', VpcSecurityGroupIds: ['sg-829a038dccef503e0'] })), 'InvalidParameterCombination', 400);
    assert.equal(error.message, 'The specified DB Instance is a member of a cluster. Modify vpc security group for the DB Cluster using the ModifyDbCluster API');
    const result = await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'analytics-pg-1', PubliclyAccessible: false, ApplyImmediately: true }));
    assert.equal(result.DBInstance?.PubliclyAccessible, false);
    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'analytics-pg-1' }));
    assert.equal(described.DBInstances?.[0].PubliclyAccessible, false);
    await expectError(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'no-such-cluster' })), 'DBClusterNotFoundFault', 404);
    // The wire code is DBInstanceNotFound; the SDK models it as DBInstanceNotFoundFault.
    await expectError(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'no-such-instance' })), 'DBInstanceNotFoundFault', 404);
    await expectError(rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'payments-aurora', VpcSecurityGroupIds: ['sg-0000000000000dead'] })), 'InvalidParameterValue');
  });

  it('reports the regions, serves seeded copies in other regions, and fails the regions it is told to fail', async () => {
    const multi = await startEmulator({ seedDir: DEMO, seedRegions: ['us-east-1'], failRegions: ['ap-south-1'] });
    try {
      const home = clients(multi, 'us-east-1');
      const regions = (await home.ec2.send(new DescribeRegionsCommand({}))).Regions!;
      assert.equal(regions.length, 17);
      assert.ok(regions.some((r) => r.RegionName === 'eu-west-1' && r.Endpoint === 'ec2.eu-west-1.amazonaws.com'));
      const copied = (await home.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'payments-aurora' }))).DBClusters![0];
      assert.equal(copied.DBClusterArn, 'arn:aws:rds:us-east-1:123456789012:cluster:payments-aurora');
      const empty = clients(multi, 'eu-north-1');
      assert.deepEqual((await empty.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups, []);
      assert.deepEqual((await empty.rds.send(new DescribeDBClustersCommand({}))).DBClusters, []);
      const failing = clients(multi, 'ap-south-1');
      await expectError(failing.ec2.send(new DescribeSecurityGroupsCommand({})), 'AuthFailure', 401);
      assert.deepEqual(
        [...new Set(multi.calls().map((c) => `${c.service}:${c.region}`))].sort(),
        ['ec2:ap-south-1', 'ec2:eu-north-1', 'ec2:us-east-1', 'rds:eu-north-1', 'rds:us-east-1'],
      );
      for (const c of [home, empty, failing]) { c.ec2.destroy(); c.rds.destroy(); }
    } finally {
      await multi.close();
    }
  });

  it('throttles a share of calls (RequestLimitExceeded, Throttling) and the SDK retries them to completion', async () => {
    const throttling = await startEmulator({ seedDir: DEMO, throttleRate: 0.3, randomSeed: 7, pageSize: 2 });
    try {
      const c = clients(throttling, REGION, 10);
      const groups = await collect(paginateDescribeSecurityGroups({ client: c.ec2 }, {}), (p) => p.SecurityGroups);
      assert.equal(groups.length, 12);
      const clusters = await collect(paginateDescribeDBClusters({ client: c.rds }, {}), (p) => p.DBClusters);
      assert.equal(clusters.length, 4);
      const outcomes = throttling.calls().map((call) => `${call.service}:${call.outcome}`);
      assert.ok(outcomes.includes('ec2:RequestLimitExceeded'), outcomes.join());
      assert.ok(outcomes.includes('rds:Throttling'), outcomes.join());
      // Every page was eventually answered: 6 EC2 pages and 2 RDS pages succeeded.
      assert.equal(outcomes.filter((o) => o === 'ec2:ok').length, 6);
      assert.equal(outcomes.filter((o) => o === 'rds:ok').length, 2);
      c.ec2.destroy();
      c.rds.destroy();
    } finally {
      await throttling.close();
    }
  });

  it('adds the injected latency to every call', async () => {
    const slow = await startEmulator({ seedDir: DEMO, latencyMs: 120 });
    try {
      const c = clients(slow);
      const started = Date.now();
      await c.ec2.send(new DescribeRegionsCommand({}));
      assert.ok(Date.now() - started >= 120);
      c.ec2.destroy();
      c.rds.destroy();
    } finally {
      await slow.close();
    }
  });
});
