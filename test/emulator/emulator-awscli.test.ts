// The emulator against Debian's real AWS CLI (botocore's own EC2 and query protocol code):
// what it prints equals the seed it was given, it pages, and a fix plus its backout run
// through it end where they started.

import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { type CliResult, awsCliVersion, findAwsCli, normaliseJson, runAwsCli } from '../../tools/aws-emulator/awsCli';
import { HOSTILE, HOSTILE_GROUP_ID, writeHostileSeed } from '../../tools/aws-emulator/hostileSeed';

const DEMO = 'samples/demo-account';
const REGION = 'eu-west-1';

type Doc = Record<string, Record<string, unknown>[]>;

function seedFile(dir: string, name: string): Doc {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Doc;
}

async function aws(emulator: EmulatorHandle, ...args: string[]): Promise<CliResult> {
  return runAwsCli(args, { endpointUrl: emulator.url, region: REGION });
}

async function awsJson(emulator: EmulatorHandle, ...args: string[]): Promise<Doc> {
  const result = await aws(emulator, ...args);
  assert.equal(result.code, 0, `aws ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Doc;
}

async function awsFails(emulator: EmulatorHandle, code: string, ...args: string[]): Promise<string> {
  const result = await aws(emulator, ...args);
  assert.notEqual(result.code, 0, `aws ${args.join(' ')} should have failed`);
  assert.match(result.stderr, new RegExp(`\\(${code.replace('.', '\\.')}\\)`), result.stderr);
  return result.stderr;
}

/** A group's rules as one line per source: the content, whatever the IpPermissions grouping. */
function groupContent(group: Record<string, unknown>): unknown {
  const lines: string[] = [];
  for (const key of ['IpPermissions', 'IpPermissionsEgress']) {
    for (const p of (group[key] as Record<string, unknown>[] | undefined) ?? []) {
      const { IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs, ...head } = p;
      for (const source of [IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs].flat() as unknown[]) {
        if (source) lines.push(JSON.stringify(normaliseJson({ key, ...head, source })));
      }
    }
  }
  const { IpPermissions: _in, IpPermissionsEgress: _out, ...rest } = group;
  return { ...(normaliseJson(rest) as object), rules: lines.sort() };
}

describe('AWS emulator with the real AWS CLI', function () {
  this.timeout(120_000);
  let version: string | undefined;

  before(async function () {
    version = await awsCliVersion();
    // Named in the report, and never skipped: a suite that passes without the CLI proves nothing.
    // The CLI comes from Debian's awscli package (.ci/run installs it).
    if (!version) throw new Error(`the AWS CLI (${findAwsCli()}) could not be run: install it with apt-get install awscli`);
    console.log(`    using ${findAwsCli()}: ${version}`);
    // An AWS CLI v1 (pip's, often first on PATH) parses some options differently; the scripts are written for v2.
    if (!/^aws-cli\/2\./.test(version)) throw new Error(`${findAwsCli()} is ${version}, not the AWS CLI v2 the scripts are tested with: apt-get install awscli`);
  });

  describe('seeded with the demo account', () => {
    let emulator: EmulatorHandle;
    before(async () => {
      emulator = await startEmulator({ seedDir: DEMO, pageSize: 4 });
    });
    after(async () => emulator?.close());
    beforeEach(() => emulator.reset());

    it('prints exactly the seed for every describe command, paging through small pages', async () => {
      const plId = 'pl-7c28f4ca55c709f3f';
      const commands: [string[], string][] = [
        [['rds', 'describe-db-clusters'], 'describe-db-clusters.json'],
        [['rds', 'describe-db-instances'], 'describe-db-instances.json'],
        [['ec2', 'describe-subnets'], 'describe-subnets.json'],
        [['ec2', 'describe-route-tables'], 'describe-route-tables.json'],
        [['ec2', 'describe-network-acls'], 'describe-network-acls.json'],
        [['ec2', 'describe-network-interfaces'], 'describe-network-interfaces.json'],
        [['ec2', 'describe-vpcs'], 'describe-vpcs.json'],
        [['ec2', 'describe-managed-prefix-lists'], 'describe-managed-prefix-lists.json'],
        [['ec2', 'get-managed-prefix-list-entries', '--prefix-list-id', plId], `get-managed-prefix-list-entries.${plId}.json`],
      ];
      for (const [args, file] of commands) {
        assert.deepEqual(normaliseJson(await awsJson(emulator, ...args)), normaliseJson(seedFile(DEMO, file)), `aws ${args.join(' ')} vs ${file}`);
      }

      const groups = await awsJson(emulator, 'ec2', 'describe-security-groups');
      const seedGroups = seedFile(DEMO, 'describe-security-groups.json');
      assert.deepEqual(groups.SecurityGroups.map(groupContent).sort(byJson), seedGroups.SecurityGroups.map(groupContent).sort(byJson));

      const rules = await awsJson(emulator, 'ec2', 'describe-security-group-rules');
      const seedRules = seedFile(DEMO, 'describe-security-group-rules.json');
      // CLI releases older than SecurityGroupRuleArn (Debian's 2.9) do not print it, whatever the server sends.
      if (!rules.SecurityGroupRules.some((r) => 'SecurityGroupRuleArn' in r)) for (const r of seedRules.SecurityGroupRules) delete r.SecurityGroupRuleArn;
      assert.deepEqual(normaliseJson(rules), normaliseJson(seedRules));

      const pages = emulator.calls().filter((c) => c.action === 'DescribeSecurityGroups' && c.outcome === 'ok').length;
      assert.equal(pages, Math.ceil(seedGroups.SecurityGroups.length / 4), 'the CLI followed NextToken');
    });

    it('runs a dedicated-group fix and its backout through the CLI, and the account ends as it began', async () => {
      const before = emulator.state(REGION);
      const vpc = 'vpc-a22171bedb1df4a65';
      const created = await awsJson(emulator, 'ec2', 'create-security-group', '--group-name', 'payments-aurora-only',
        '--description', 'Aurora: MySQL from the app only', '--vpc-id', vpc);
      const groupId = (created as unknown as { GroupId: string }).GroupId;
      assert.match(groupId, /^sg-[0-9a-f]{17}$/);
      const permissions = JSON.stringify([{
        IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306,
        UserIdGroupPairs: [{ GroupId: 'sg-ab699950115fa43cc', Description: 'payments app' }],
        IpRanges: [{ CidrIp: '10.20.0.0/16', Description: HOSTILE.ruleDescription }],
      }]);
      const authorized = await awsJson(emulator, 'ec2', 'authorize-security-group-ingress', '--group-id', groupId, '--ip-permissions', permissions);
      assert.equal(authorized.SecurityGroupRules.length, 2);
      await awsFails(emulator, 'InvalidPermission.Duplicate', 'ec2', 'authorize-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '3306', '--cidr', '10.20.0.0/16');
      const described = await awsJson(emulator, 'ec2', 'describe-security-groups', '--group-ids', groupId);
      const range = (described.SecurityGroups[0].IpPermissions as { IpRanges: { Description: string }[] }[])[0].IpRanges[0];
      assert.equal(range.Description, HOSTILE.ruleDescription);

      await awsFails(emulator, 'DryRunOperation', 'ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--security-group-rule-ids', String(authorized.SecurityGroupRules[0].SecurityGroupRuleId), '--dry-run');
      await awsJson(emulator, 'rds', 'modify-db-cluster', '--db-cluster-identifier', 'payments-aurora', '--vpc-security-group-ids', groupId, '--apply-immediately');
      const stderr = await awsFails(emulator, 'InvalidParameterCombination', 'rds', 'modify-db-instance', '--db-instance-identifier', 'payments-aurora-1', '--vpc-security-group-ids', groupId, '--apply-immediately');
      assert.match(stderr, /The specified DB Instance is a member of a cluster\. Modify vpc security group for the DB Cluster using the ModifyDbCluster API/);
      await awsFails(emulator, 'DependencyViolation', 'ec2', 'delete-security-group', '--group-id', groupId);

      // Backout: old groups back on the cluster, then the new group goes (its rules by id first, as a script would).
      await awsJson(emulator, 'rds', 'modify-db-cluster', '--db-cluster-identifier', 'payments-aurora', '--vpc-security-group-ids', 'sg-5c3da8b9e7eda3df4', '--apply-immediately');
      const ids = authorized.SecurityGroupRules.map((r) => String(r.SecurityGroupRuleId));
      const revoked = await awsJson(emulator, 'ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--security-group-rule-ids', ...ids);
      assert.equal((revoked as unknown as { Return: boolean }).Return, true);
      await awsFails(emulator, 'InvalidPermission.NotFound', 'ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--ip-permissions', permissions);
      const deleted = await aws(emulator, 'ec2', 'delete-security-group', '--group-id', groupId);
      assert.equal(deleted.code, 0, deleted.stderr);
      await awsFails(emulator, 'InvalidGroup.NotFound', 'ec2', 'delete-security-group', '--group-id', groupId);

      assert.deepEqual(emulator.state(REGION), before);
    });

    it('makes an instance private and public again', async () => {
      const before = emulator.state(REGION);
      const privateNow = await awsJson(emulator, 'rds', 'modify-db-instance', '--db-instance-identifier', 'analytics-pg-1', '--no-publicly-accessible', '--apply-immediately');
      assert.equal((privateNow as unknown as { DBInstance: { PubliclyAccessible: boolean } }).DBInstance.PubliclyAccessible, false);
      await awsJson(emulator, 'rds', 'modify-db-instance', '--db-instance-identifier', 'analytics-pg-1', '--publicly-accessible', '--apply-immediately');
      assert.deepEqual(emulator.state(REGION), before);
      await awsFails(emulator, 'DBInstanceNotFound', 'rds', 'describe-db-instances', '--db-instance-identifier', 'no-such-db');
    });
  });

  describe('seeded with hostile names and descriptions', () => {
    let emulator: EmulatorHandle;
    let dir: string;
    before(async () => {
      dir = writeHostileSeed();
      emulator = await startEmulator({ seedDir: dir });
    });
    after(async () => {
      await emulator?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints them exactly as seeded', async () => {
      for (const [args, file] of [
        [['ec2', 'describe-security-groups'], 'describe-security-groups.json'],
        [['rds', 'describe-db-clusters'], 'describe-db-clusters.json'],
        [['ec2', 'describe-subnets'], 'describe-subnets.json'],
      ] as [string[], string][]) {
        assert.deepEqual(normaliseJson(await awsJson(emulator, ...args)), normaliseJson(seedFile(dir, file)), `aws ${args.join(' ')}`);
      }
      const byName = await awsJson(emulator, 'ec2', 'describe-security-groups', '--filters', `Name=group-id,Values=${HOSTILE_GROUP_ID}`);
      assert.equal(byName.SecurityGroups[0].GroupName, HOSTILE.groupName);
      assert.equal(byName.SecurityGroups[0].Description, HOSTILE.description);
    });
  });
});

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
