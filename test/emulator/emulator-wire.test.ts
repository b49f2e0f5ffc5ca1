// The emulator on the wire: routing, the XML AWS sends (namespaces, item and member lists,
// error envelopes and statuses), escaping of hostile seed data, the admin endpoints, and
// clear errors for a bad seed.

import { strict as assert } from 'node:assert';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeSecurityGroupsCommand, DescribeSecurityGroupRulesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { HOSTILE, HOSTILE_GROUP_ID, writeHostileSeed } from '../../tools/aws-emulator/hostileSeed';
import { escapeXml } from '../../tools/aws-emulator/wire';

const FIXTURE = 'test/fixtures/aws-shapes';
const DB_GROUP = HOSTILE_GROUP_ID;

function signedHeaders(region: string, service: string): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    authorization: `AWS4-HMAC-SHA256 Credential=test/20261126/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  };
}

async function post(url: string, body: Record<string, string>, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(body).toString() });
  return { status: response.status, text: await response.text() };
}

describe('AWS emulator on the wire', function () {
  let emulator: EmulatorHandle;
  let hostileDir: string;

  before(async () => {
    hostileDir = writeHostileSeed();
    emulator = await startEmulator({ seedDir: hostileDir });
  });
  after(async () => {
    await emulator?.close();
    rmSync(hostileDir, { recursive: true, force: true });
  });
  beforeEach(() => emulator.reset());

  it('answers EC2 in the EC2 query shape: namespace, requestId, item lists', async () => {
    const { status, text } = await post(emulator.url, { Action: 'DescribeSecurityGroups', Version: '2016-11-15', 'GroupId.1': DB_GROUP }, signedHeaders('eu-west-1', 'ec2'));
    assert.equal(status, 200);
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<DescribeSecurityGroupsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><securityGroupInfo><item>/);
    assert.match(text, /<ipPermissions><item><ipProtocol>tcp<\/ipProtocol><fromPort>3306<\/fromPort><toPort>3306<\/toPort>/);
    assert.match(text, /<ipRanges><item>(?:(?!<\/item>).)*<cidrIp>0\.0\.0\.0\/0<\/cidrIp>/);
    assert.match(text, /<groups><item><description>app<\/description><userId>123456789012<\/userId><groupId>sg-128b2f685c09d7e11<\/groupId><\/item><\/groups>/);
    assert.match(text, /<prefixListIds\/>/);
    assert.match(text, /<tagSet\/>/);
  });

  it('answers RDS in the AWS query shape: ActionResult, member element names, ResponseMetadata', async () => {
    const { status, text } = await post(emulator.url, { Action: 'DescribeDBClusters', Version: '2014-10-31' }, signedHeaders('eu-west-1', 'rds'));
    assert.equal(status, 200);
    assert.match(text, /<DescribeDBClustersResponse xmlns="http:\/\/rds\.amazonaws\.com\/doc\/2014-10-31\/"><DescribeDBClustersResult><DBClusters><DBCluster>/);
    assert.match(text, /<VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-863e5819e3803a397<\/VpcSecurityGroupId><Status>active<\/Status><\/VpcSecurityGroupMembership><\/VpcSecurityGroups>/);
    assert.match(text, /<AvailabilityZones><AvailabilityZone>eu-west-1a<\/AvailabilityZone>/);
    assert.match(text, /<DBClusterMembers><DBClusterMember><DBInstanceIdentifier>shop-aurora-1<\/DBInstanceIdentifier>/);
    assert.match(text, /<\/DescribeDBClustersResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeDBClustersResponse>$/);
  });

  it('routes by the credential scope (service and region), and by Version when unsigned', async () => {
    // Scope says rds although Version is EC2's: the scope wins.
    const scoped = await post(emulator.url, { Action: 'DescribeDBClusters', Version: '2016-11-15' }, signedHeaders('eu-west-1', 'rds'));
    assert.match(scoped.text, /<DescribeDBClustersResult>/);
    const unsigned = await post(emulator.url, { Action: 'DescribeDBClusters', Version: '2014-10-31' }, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.match(unsigned.text, /<DBClusterIdentifier>shop-aurora<\/DBClusterIdentifier>/);
    // Another region in the scope: its own (empty) state.
    const elsewhere = await post(emulator.url, { Action: 'DescribeDBClusters', Version: '2014-10-31' }, signedHeaders('us-west-2', 'rds'));
    assert.match(elsewhere.text, /<DBClusters\/>/);
    assert.deepEqual(emulator.calls().map((c) => `${c.service}/${c.action}/${c.region}`), [
      'rds/DescribeDBClusters/eu-west-1', 'rds/DescribeDBClusters/eu-west-1', 'rds/DescribeDBClusters/us-west-2',
    ]);
    assert.equal(emulator.callCount(), 3);
  });

  it('sends errors in each protocol\'s envelope with AWS\'s status codes', async () => {
    const ec2 = await post(emulator.url, { Action: 'DeleteSecurityGroup', Version: '2016-11-15', GroupId: 'sg-0000000000000dead' }, signedHeaders('eu-west-1', 'ec2'));
    assert.equal(ec2.status, 400);
    assert.match(ec2.text, /<Response><Errors><Error><Code>InvalidGroup\.NotFound<\/Code><Message>The security group 'sg-0000000000000dead' does not exist<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
    const rds = await post(emulator.url, { Action: 'DescribeDBClusters', Version: '2014-10-31', DBClusterIdentifier: 'nope' }, signedHeaders('eu-west-1', 'rds'));
    assert.equal(rds.status, 404);
    assert.match(rds.text, /<ErrorResponse xmlns="http:\/\/rds\.amazonaws\.com\/doc\/2014-10-31\/"><Error><Type>Sender<\/Type><Code>DBClusterNotFoundFault<\/Code><Message>DBCluster nope not found\.<\/Message><\/Error><RequestId>/);
    const action = await post(emulator.url, { Action: 'RunInstances', Version: '2016-11-15' }, signedHeaders('eu-west-1', 'ec2'));
    assert.equal(action.status, 400);
    assert.match(action.text, /<Code>InvalidAction<\/Code>/);
    const parameter = await post(emulator.url, { Action: 'DescribeSecurityGroups', Version: '2016-11-15', GroupIdz: 'x' }, signedHeaders('eu-west-1', 'ec2'));
    assert.match(parameter.text, /<Code>UnknownParameter<\/Code><Message>The parameter GroupIdz is not recognized<\/Message>/);
    const dryRun = await post(emulator.url, { Action: 'CreateSecurityGroup', Version: '2016-11-15', GroupName: 'z', GroupDescription: 'd', VpcId: 'vpc-b562cfa86d329b7a0', DryRun: 'true' }, signedHeaders('eu-west-1', 'ec2'));
    assert.equal(dryRun.status, 412);
    assert.match(dryRun.text, /<Code>DryRunOperation<\/Code><Message>Request would have succeeded, but DryRun flag is set\.<\/Message>/);
    const inUse = await post(emulator.url, { Action: 'DeleteSecurityGroup', Version: '2016-11-15', GroupId: 'sg-128b2f685c09d7e11' }, signedHeaders('eu-west-1', 'ec2'));
    assert.match(inUse.text, /<Code>DependencyViolation<\/Code><Message>resource sg-128b2f685c09d7e11 has a dependent object<\/Message>/, 'a group another group\'s rule refers to is in use');
    assert.equal(emulator.state().securityGroups.length, 3);
  });

  it('throttles with RequestLimitExceeded (503) on EC2 and Throttling (400) on RDS, deterministically', async () => {
    const outcomes = async (seed: number) => {
      const throttling = await startEmulator({ seedDir: FIXTURE, throttleRate: 0.5, randomSeed: seed });
      try {
        const statuses: string[] = [];
        for (let i = 0; i < 12; i++) {
          const service = i % 2 ? 'rds' : 'ec2';
          const body = service === 'rds' ? { Action: 'DescribeDBClusters', Version: '2014-10-31' } : { Action: 'DescribeVpcs', Version: '2016-11-15' };
          const { status, text } = await post(throttling.url, body, signedHeaders('eu-west-1', service));
          statuses.push(`${service}:${status}:${/<Code>([^<]+)</.exec(text)?.[1] ?? 'ok'}`);
        }
        return statuses;
      } finally {
        await throttling.close();
      }
    };
    const first = await outcomes(42);
    assert.deepEqual(await outcomes(42), first, 'the same seed throttles the same calls');
    assert.ok(first.includes('ec2:503:RequestLimitExceeded'), first.join());
    assert.ok(first.includes('rds:400:Throttling'), first.join());
    assert.ok(first.some((o) => o.endsWith(':200:ok')), first.join());
  });

  it('round-trips hostile names and descriptions from the seed exactly, through the SDK', async () => {
    const config = { endpoint: emulator.url, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const ec2 = new EC2Client(config);
    try {
      const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [DB_GROUP] }))).SecurityGroups![0];
      assert.equal(group.GroupName, HOSTILE.groupName);
      assert.equal(group.Description, HOSTILE.description);
      assert.equal(group.IpPermissions![0].IpRanges![0].Description, HOSTILE.ruleDescription);
      const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [DB_GROUP] }] }))).SecurityGroupRules!;
      assert.ok(rules.some((r) => r.Description === HOSTILE.ruleDescription));
      const byName = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [HOSTILE.groupName] }] }));
      assert.deepEqual(byName.SecurityGroups?.map((g) => g.GroupId), [DB_GROUP]);
    } finally {
      ec2.destroy();
    }
    const raw = await post(emulator.url, { Action: 'DescribeSecurityGroups', Version: '2016-11-15', 'GroupId.1': DB_GROUP }, signedHeaders('eu-west-1', 'ec2'));
    assert.ok(raw.text.includes(`<groupName>${escapeXml(HOSTILE.groupName)}</groupName>`));
    assert.ok(!raw.text.includes('<b>'), 'markup in names is escaped');
  });

  it('escapes every XML special character and keeps line breaks and tabs as references', () => {
    assert.equal(escapeXml(`<a href="x">&'</a> ]]>`), `&lt;a href="x"&gt;&amp;'&lt;/a&gt; ]]&gt;`);
    assert.equal(escapeXml('a\nb\tc\rd'), 'a&#xa;b&#x9;c&#xd;d');
    assert.equal(escapeXml('ünï 🚀'), 'ünï 🚀');
    assert.equal(escapeXml('bell\u0007'), 'bell\ufffd');
  });

  it('shows the normalised state and resets to the seed', async () => {
    const before = await (await fetch(`${emulator.url}/_emulator/state?region=eu-west-1`)).json() as { securityGroups: { GroupId: string }[] };
    assert.deepEqual(before.securityGroups.map((g) => g.GroupId), ['sg-128b2f685c09d7e11', DB_GROUP, 'sg-dd3bc1aaed0ffbe01']);
    const deleted = await post(emulator.url, { Action: 'DeleteSecurityGroup', Version: '2016-11-15', GroupId: 'sg-dd3bc1aaed0ffbe01' }, signedHeaders('eu-west-1', 'ec2'));
    assert.match(deleted.text, /<Code>CannotDelete<\/Code>/);
    const created = await post(emulator.url, { Action: 'CreateSecurityGroup', Version: '2016-11-15', GroupName: 'x', GroupDescription: 'y', VpcId: 'vpc-b562cfa86d329b7a0' }, signedHeaders('eu-west-1', 'ec2'));
    assert.match(created.text, /<groupId>sg-[0-9a-f]{17}<\/groupId>/);
    assert.equal(emulator.state().securityGroups.length, 4);
    const reset = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual(emulator.state(), before);
    assert.equal(emulator.callCount(), 0);
  });

  it('names the file when the seed is malformed, and accepts a folder with only some files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-bad-seed-'));
    try {
      writeFileSync(join(dir, 'describe-security-groups.json'), '{ "SecurityGroups": [ ');
      await assert.rejects(startEmulator({ seedDir: dir }), (e: Error) => e.message.includes(join(dir, 'describe-security-groups.json')) && /not valid JSON/.test(e.message));
      writeFileSync(join(dir, 'describe-security-groups.json'), '{ "Groups": [] }');
      await assert.rejects(startEmulator({ seedDir: dir }), /expected an object with a "SecurityGroups" list/);
      writeFileSync(join(dir, 'describe-security-groups.json'), '{ "SecurityGroups": [] }');
      const partial = await startEmulator({ seedDir: dir });
      const rds = new RDSClient({ endpoint: partial.url, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      try {
        assert.equal(partial.region, 'eu-west-1');
        assert.deepEqual((await rds.send(new DescribeDBClustersCommand({}))).DBClusters, []);
      } finally {
        rds.destroy();
        await partial.close();
      }
      await assert.rejects(startEmulator({ seedDir: join(dir, 'missing') }), /seed folder not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('AWS emulator command line', function () {
  this.timeout(30_000);

  function run(args: string[]): ChildProcessWithoutNullStreams {
    return spawn(process.execPath, ['--import', 'tsx', 'tools/aws-emulator/main.ts', ...args], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  }

  it('prints its URL once listening, serves the seed, and stops on SIGTERM', async () => {
    const child = run(['--seed', 'test/fixtures/aws-shapes', '--port', '0', '--page-size', '2']);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
      });
      const state = await (await fetch(`${url}/_emulator/state`)).json() as { region: string; dbClusters: { DBClusterIdentifier: string }[] };
      assert.equal(state.region, 'eu-west-1');
      assert.deepEqual(state.dbClusters.map((c) => c.DBClusterIdentifier), ['shop-aurora']);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('refuses a bad option with a message naming it (exit 2)', async () => {
    const child = run(['--throttle-rate', '2']);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--throttle-rate must be a number between 0 and 1, not "2"/);
  });
});
