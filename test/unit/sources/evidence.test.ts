import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { Inventory, SourceRange } from '../../../src/model/types';
import { EVIDENCE_FILES, EvidenceError, isEvidenceFile, loadEvidenceFolder, MAX_WARNINGS_PER_FILE } from '../../../src/sources/evidence';

const DEMO = path.resolve(__dirname, '../../../samples/demo-account');

/** The exact text a location points at. */
function textAt(fileText: string, range: SourceRange): string {
  const lines = fileText.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line]!.slice(range.start.character, range.end.character);
  return [
    lines[range.start.line]!.slice(range.start.character),
    ...lines.slice(range.start.line + 1, range.end.line),
    lines[range.end.line]!.slice(0, range.end.character),
  ].join('\n');
}

async function copyDemo(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-evidence-'));
  for (const name of await fs.readdir(DEMO)) await fs.copyFile(path.join(DEMO, name), path.join(dir, name));
  return dir;
}

async function folderWith(files: Record<string, unknown>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-evidence-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 4));
  }
  return dir;
}

function notesMatching(inventory: Inventory, pattern: RegExp) {
  return inventory.notes.filter((n) => pattern.test(n.message));
}

describe('evidence folders', () => {
  let demo: Inventory;
  before(async () => { demo = await loadEvidenceFolder(DEMO); });

  it('reads the demo account completely, with no notes', () => {
    assert.deepEqual(demo.notes, []);
    assert.equal(demo.target.kind, 'evidence');
    assert.equal(demo.target.accountId, '123456789012');
    assert.equal(demo.target.region, 'eu-west-1');
    assert.deepEqual(demo.clusters.map((c) => [c.clusterId, c.engine, c.port]).sort(), [
      ['analytics-pg', 'aurora-postgresql', 5432], ['ledger-pg', 'aurora-postgresql', 15432],
      ['legacy-orders', 'aurora-mysql', 3307], ['payments-aurora', 'aurora-mysql', 3306],
    ]);
    assert.deepEqual(demo.coverage, { securityGroupRuleIds: true, subnets: true, routeTables: true, networkInterfaces: true, vpcs: true, networkAcls: true });
    assert.equal(demo.judgeUnattachedGroups, false);
    const rules = demo.securityGroups.flatMap((g) => g.rules);
    assert.ok(rules.length > 30);
    assert.ok(rules.every((r) => r.ruleId?.startsWith('sgr-')), 'every rule has its sgr id from describe-security-group-rules.json');
    assert.ok(rules.some((r) => r.source.kind === 'cidr6'), 'IPv6 rules');
    const vpn = demo.prefixLists.find((p) => p.name === 'corp-vpn');
    assert.deepEqual(vpn?.entries, ['10.100.0.0/16', '10.101.0.0/16', '10.102.8.0/22']);
    assert.ok(demo.vpcs.some((v) => v.cidrBlocks.includes('10.20.0.0/16') && v.ipv6CidrBlocks.length === 1));
    assert.ok(demo.routeTables.some((t) => t.routes.some((r) => r.target.startsWith('igw-'))));
    assert.ok(demo.routeTables.some((t) => t.routes.some((r) => r.target.startsWith('nat-'))));
    assert.ok(demo.instances.some((i) => i.publiclyAccessible));
  });

  it('locates every rule, group, cluster and instance at its JSON node', async () => {
    const texts = new Map<string, string>();
    const read = async (file: string) => texts.get(file) ?? texts.set(file, await fs.readFile(file, 'utf8')).get(file)!;
    for (const group of demo.securityGroups) {
      assert.ok(group.location, `${group.groupId} has a location`);
      assert.equal(JSON.parse(textAt(await read(group.location.file), group.location)).GroupId, group.groupId);
      for (const rule of group.rules) {
        assert.ok(rule.location, `a rule of ${group.groupId} has a location`);
        assert.equal(path.basename(rule.location.file), 'describe-security-groups.json');
        const node = JSON.parse(textAt(await read(rule.location.file), rule.location));
        assert.equal(node.CidrIp ?? node.CidrIpv6 ?? node.PrefixListId ?? node.GroupId, rule.source.value);
        assert.equal(node.Description, rule.description);
      }
    }
    for (const cluster of demo.clusters) {
      assert.equal(JSON.parse(textAt(await read(cluster.location!.file), cluster.location!)).DBClusterIdentifier, cluster.clusterId);
    }
    for (const instance of demo.instances) {
      assert.equal(JSON.parse(textAt(await read(instance.location!.file), instance.location!)).DBInstanceIdentifier, instance.instanceId);
    }
  });

  it('names a malformed file with the line and column of the problem, and loads the rest', async () => {
    const dir = await copyDemo();
    const file = path.join(dir, 'describe-subnets.json');
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    // Drop the comma after the first subnet's "AvailabilityZone" value: line 4 (one-based), column 39.
    assert.equal(lines[3], '            "AvailabilityZone": "eu-west-1a",');
    lines[3] = lines[3]!.slice(0, -1);
    await fs.writeFile(file, lines.join('\n'));
    const inventory = await loadEvidenceFolder(dir);
    const errors = inventory.notes.filter((n) => n.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /^describe-subnets\.json: invalid JSON at line 5, column 13: a comma is missing/);
    assert.equal(errors[0]!.file, file);
    assert.deepEqual(errors[0]!.location?.start, { line: 4, character: 12 });
    assert.equal(inventory.coverage.subnets, false);
    assert.equal(inventory.subnets.length, 0);
    assert.equal(inventory.clusters.length, 4);
    assert.equal(inventory.securityGroups.length, demo.securityGroups.length);
    assert.equal(inventory.routeTables.length, demo.routeTables.length);
  });

  it('narrows what can be judged when optional files are missing, and says so', async () => {
    const dir = await copyDemo();
    await fs.rm(path.join(dir, 'describe-route-tables.json'));
    await fs.rm(path.join(dir, 'describe-network-interfaces.json'));
    await fs.rm(path.join(dir, 'describe-security-group-rules.json'));
    const inventory = await loadEvidenceFolder(dir);
    assert.equal(inventory.coverage.routeTables, false);
    assert.equal(inventory.coverage.networkInterfaces, false);
    assert.equal(inventory.coverage.securityGroupRuleIds, false);
    assert.equal(inventory.coverage.subnets, true);
    assert.equal(notesMatching(inventory, /^describe-route-tables\.json is missing: AURSG-009 .*cannot be judged/).length, 1);
    assert.equal(notesMatching(inventory, /^describe-network-interfaces\.json is missing: AURSG-010 /).length, 1);
    assert.equal(notesMatching(inventory, /^describe-security-group-rules\.json is missing: .*--ip-permissions/).length, 1);
    assert.ok(inventory.securityGroups.flatMap((g) => g.rules).every((r) => r.ruleId === undefined));
    assert.equal(inventory.clusters.length, 4);
  });

  it('reports a referenced prefix list without its entries file as unresolved', async () => {
    const dir = await copyDemo();
    const entries = (await fs.readdir(dir)).find((n) => n.startsWith('get-managed-prefix-list-entries.'))!;
    await fs.rm(path.join(dir, entries));
    const inventory = await loadEvidenceFolder(dir);
    const id = /\.(pl-[0-9a-f]+)\./.exec(entries)![1]!;
    const list = inventory.prefixLists.find((p) => p.prefixListId === id);
    assert.ok(list, 'the list is in the inventory');
    assert.equal(list.entries, undefined, 'unresolved: no entries');
    assert.equal(list.name, 'corp-vpn', 'its name still comes from describe-managed-prefix-lists.json');
    assert.equal(notesMatching(inventory, new RegExp(`Prefix list ${id} is used by \\d+ rule\\(s\\) but ${entries.replace(/\./g, '\\.')} is missing`)).length, 1);
  });

  it('uses unsaved editor text instead of the file on disk', async () => {
    const file = path.join(DEMO, 'describe-security-groups.json');
    const edited = (await fs.readFile(file, 'utf8')).replace('"CidrIp": "203.0.113.0/24"', '"CidrIp": "192.0.2.0/24"');
    const pending = path.join(DEMO, 'describe-vpcs.json');
    const inventory = await loadEvidenceFolder(DEMO, { overrides: new Map([[file, edited], [pending, '{"Vpcs": [']]) });
    const sources = inventory.securityGroups.flatMap((g) => g.rules).map((r) => r.source.value);
    assert.ok(sources.includes('192.0.2.0/24'));
    assert.ok(!sources.includes('203.0.113.0/24'));
    assert.match(inventory.notes.find((n) => n.level === 'error')!.message, /^describe-vpcs\.json: invalid JSON at line 1, column 11/);
  });

  it('reads an unsaved evidence file that does not exist on disk yet', async () => {
    const dir = await folderWith({ 'describe-security-groups.json': { SecurityGroups: [] } });
    const inventory = await loadEvidenceFolder(dir, { overrides: new Map([[path.join(dir, 'describe-vpcs.json'), JSON.stringify({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }] })]]) });
    assert.deepEqual(inventory.vpcs.map((v) => v.vpcId), ['vpc-1']);
  });

  it('judges a bare saved describe-security-groups output on its own', async () => {
    const dir = await folderWith({ 'describe-security-groups.json': await fs.readFile(path.join(DEMO, 'describe-security-groups.json'), 'utf8') });
    const inventory = await loadEvidenceFolder(dir);
    assert.equal(inventory.judgeUnattachedGroups, true);
    assert.equal(inventory.clusters.length, 0);
    assert.equal(inventory.target.accountId, '123456789012', 'from the groups\' OwnerId when there is no ARN');
    assert.deepEqual(inventory.notes.map((n) => n.level), ['warning', 'info']);
    assert.match(inventory.notes[0]!.message, /^Prefix list pl-\w+ is used by 2 rule\(s\) but get-managed-prefix-list-entries\.pl-\w+\.json is missing/);
    assert.match(inventory.notes[1]!.message, /No describe-db-clusters\.json/);
  });

  it('refuses a missing folder and a folder without evidence', async () => {
    await assert.rejects(loadEvidenceFolder('/nonexistent/aurora-evidence'), (e: Error) => e instanceof EvidenceError && /not found: \/nonexistent\/aurora-evidence/.test(e.message));
    const empty = await folderWith({ 'notes.txt': 'hello' });
    await assert.rejects(loadEvidenceFolder(empty), (e: Error) => e instanceof EvidenceError && /No evidence files in .*describe-db-clusters\.json/.test(e.message));
  });

  it('names a file that holds some other JSON', async () => {
    const dir = await folderWith({ 'describe-security-groups.json': { Reservations: [] }, 'describe-db-clusters.json': [] });
    const inventory = await loadEvidenceFolder(dir);
    const messages = inventory.notes.filter((n) => n.level === 'error').map((n) => n.message);
    assert.ok(messages.includes('describe-security-groups.json: expected an object with a "SecurityGroups" list, as `aws ec2 describe-security-groups --output json` prints it. The file was not used.'));
    assert.ok(messages.some((m) => m.startsWith('describe-db-clusters.json: expected an object with a "DBClusters" list')));
  });

  it('survives hostile content: newlines in names, wrong types, nulls, duplicate ids, duplicate keys', async () => {
    const text = `{
    "SecurityGroups": [
        { "GroupId": "sg-1", "GroupName": "db\\nEVIL", "IpPermissions": [ { "IpProtocol": "tcp", "FromPort": "3306", "ToPort": 3306, "IpRanges": [ null, { "CidrIp": "0.0.0.0/0" } ] } ] },
        null,
        { "GroupId": "sg-1", "GroupName": "again" },
        { "GroupId": 42 },
        { "GroupId": "sg-2", "GroupName": "a", "GroupName": "b", "IpPermissions": "nope" }
    ]
}`;
    const dir = await folderWith({ 'describe-security-groups.json': text });
    const inventory = await loadEvidenceFolder(dir);
    assert.deepEqual(inventory.securityGroups.map((g) => [g.groupId, g.groupName]), [['sg-1', 'db\nEVIL'], ['sg-2', 'b']]);
    const rule = inventory.securityGroups[0]!.rules[0]!;
    assert.equal(rule.source.value, '0.0.0.0/0');
    assert.equal(rule.fromPort, undefined, 'a string port is dropped, not guessed');
    const line3 = text.split('\n')[2]!;
    assert.deepEqual(rule.location?.start, { line: 2, character: line3.indexOf('{ "CidrIp"') }, 'the second IpRanges element keeps its own position');
    const messages = inventory.notes.map((n) => n.message);
    for (const expected of [
      /FromPort at line 3, column \d+ should be number, not string; ignored/,
      /IpRanges\[0\] at line 3, column \d+ should be object, not null; ignored/,
      /entry 2 of "SecurityGroups" at line 4, column 9 is not an object; skipped/,
      /security group sg-1 appears again at line 5, column 9; the first one is used/,
      /GroupId at line 6, column \d+ should be string, not number/,
      /duplicate key "GroupName" at line 7, column \d+; the last one is used/,
      /IpPermissions at line 7, column \d+ should be array, not string/,
    ]) assert.ok(messages.some((m) => expected.test(m)), `a note matching ${expected}: ${messages.join(' | ')}`);
    assert.ok(inventory.notes.every((n) => !n.message.includes('\n')), 'notes stay on one line');
  });

  it('lists the first problems of a badly damaged file, then a count', async () => {
    const groups = Array.from({ length: 300 }, (_, i) => ({ GroupId: `sg-${i}`, IpPermissions: [{ IpProtocol: 'tcp', FromPort: '3306', ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
    const dir = await folderWith({ 'describe-security-groups.json': { SecurityGroups: groups } });
    const inventory = await loadEvidenceFolder(dir);
    assert.equal(inventory.securityGroups.length, 300, 'every group still loads');
    const warnings = inventory.notes.filter((n) => n.level === 'warning');
    assert.equal(warnings.length, MAX_WARNINGS_PER_FILE + 1);
    assert.equal(warnings.at(-1)!.message, `describe-security-groups.json: ${300 - MAX_WARNINGS_PER_FILE} more problem(s) like the ones above were not listed.`);
  });

  it('refuses files over the size limit and nesting deeper than the parser can go, by name', async () => {
    const deep = `{"SecurityGroups": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const dir = await folderWith({ 'describe-security-groups.json': deep, 'describe-db-clusters.json': { DBClusters: [] } });
    const inventory = await loadEvidenceFolder(dir, { maxFileBytes: 100_000 });
    const messages = inventory.notes.filter((n) => n.level === 'error').map((n) => n.message);
    assert.ok(messages.some((m) => /^describe-security-groups\.json: 0\.38 MB is more than the 0\.10 MB/.test(m)), messages.join(' | '));
    const unlimited = await loadEvidenceFolder(dir);
    assert.ok(unlimited.notes.some((n) => n.level === 'error' && /describe-security-groups\.json: (the JSON is nested too deeply|expected an object)/.test(n.message)));
  });

  it('decodes UTF-16 files (Windows PowerShell redirection) and a UTF-8 BOM', async () => {
    const json = JSON.stringify({ SecurityGroups: [{ GroupId: 'sg-9', GroupName: 'é', IpPermissions: [] }] });
    const dir = await folderWith({});
    await fs.writeFile(path.join(dir, 'describe-security-groups.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    await fs.writeFile(path.join(dir, 'describe-vpcs.json'), `\ufeff${JSON.stringify({ Vpcs: [{ VpcId: 'vpc-9', CidrBlock: '10.9.0.0/16' }] })}`);
    const inventory = await loadEvidenceFolder(dir);
    assert.deepEqual(inventory.securityGroups.map((g) => g.groupName), ['é']);
    assert.deepEqual(inventory.vpcs.map((v) => v.vpcId), ['vpc-9']);
  });

  it('keeps Aurora only, and says what it skipped', async () => {
    const dir = await folderWith({
      'describe-db-clusters.json': { DBClusters: [
        { DBClusterIdentifier: 'multi-az-mysql', Engine: 'mysql', Port: 3306, DBClusterArn: 'arn:aws:rds:us-east-1:111122223333:cluster:multi-az-mysql' },
        { DBClusterIdentifier: 'shop', Engine: 'aurora-mysql', Port: 3306, DBClusterArn: 'arn:aws:rds:us-east-1:111122223333:cluster:shop' },
      ] },
    });
    const inventory = await loadEvidenceFolder(dir);
    assert.deepEqual(inventory.clusters.map((c) => c.clusterId), ['shop']);
    assert.equal(inventory.target.region, 'us-east-1');
    assert.equal(inventory.target.accountId, '111122223333');
    assert.ok(inventory.notes.some((n) => n.message === 'Not Aurora, so not judged: multi-az-mysql (mysql).'));
  });

  it('reads describe-network-acls.json; an entry it cannot place in the evaluation order is skipped with a note naming the ACL and where', async () => {
    const dir = await folderWith({
      'describe-db-clusters.json': { DBClusters: [{ DBClusterIdentifier: 'shop', Engine: 'aurora-mysql', Port: 3306 }] },
      'describe-network-acls.json': '{\n    "NetworkAcls": [\n        { "NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Associations": [{ "SubnetId": "subnet-1" }], "Entries": [\n'
        + '            { "CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "6", "PortRange": { "From": 3306, "To": 3306 }, "RuleAction": "deny", "RuleNumber": 90 },\n'
        + '            { "CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": "100" },\n'
        + '            { "Ipv6CidrBlock": "::/0", "Egress": true, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 101 }\n'
        + '        ] }\n    ]\n}\n',
    });
    const inventory = await loadEvidenceFolder(dir);
    assert.equal(inventory.coverage.networkAcls, true);
    assert.deepEqual(inventory.networkAcls.map((a) => [a.networkAclId, a.isDefault, a.subnetIds]), [['acl-1', true, ['subnet-1']]]);
    assert.deepEqual(inventory.networkAcls[0]!.entries.map((e) => [e.ruleNumber, e.egress, e.protocol, e.action, e.cidr, e.fromPort, e.toPort]),
      [[90, false, 'tcp', 'deny', '0.0.0.0/0', 3306, 3306], [101, true, 'all', 'allow', '::/0', undefined, undefined]]);
    const messages = inventory.notes.map((n) => n.message);
    assert.ok(messages.some((m) => /describe-network-acls\.json: RuleNumber at line 5, column \d+ should be number, not string; ignored/.test(m)), messages.join(' | '));
    assert.ok(messages.some((m) => /Entry 2 of network ACL acl-1 has no rule number, protocol, action or CIDR it can be judged by; it was skipped/.test(m)), messages.join(' | '));
  });

  it('reads the same inventory without positions (the native parser), and still names a malformed file\'s line and column', async () => {
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === 'location' || key === 'parts' ? undefined : v)));
    const located = await loadEvidenceFolder(DEMO);
    const bare = await loadEvidenceFolder(DEMO, { positions: false });
    assert.deepEqual(strip(bare), strip(located));
    assert.ok(bare.securityGroups.every((g) => g.location === undefined && g.rules.every((r) => r.location === undefined)));
    const dir = await folderWith({ 'describe-security-groups.json': '{\n  "SecurityGroups": [\n    { "GroupId": "sg-1" ]\n}\n' });
    const broken = await loadEvidenceFolder(dir, { positions: false });
    assert.ok(broken.notes.some((n) => /describe-security-groups\.json: invalid JSON at line 3, column \d+/.test(n.message)), broken.notes.map((n) => n.message).join(' | '));
  });

  it('recognises evidence file names', () => {
    assert.ok(EVIDENCE_FILES.includes('describe-db-clusters.json'));
    assert.ok(isEvidenceFile('/x/y/describe-security-groups.json'));
    assert.ok(isEvidenceFile('get-managed-prefix-list-entries.pl-0abc123.json'));
    assert.ok(!isEvidenceFile('package.json'));
    assert.ok(!isEvidenceFile('get-managed-prefix-list-entries.json'));
  });

  it('never throws on a damaged demo file, and always names the file it could not use', async () => {
    const file = path.join(DEMO, 'describe-security-groups.json');
    const original = await fs.readFile(file, 'utf8');
    await fc.assert(fc.asyncProperty(
      fc.nat({ max: original.length - 1 }), fc.nat({ max: 40 }), fc.string({ maxLength: 3 }),
      async (at, length, insert) => {
        const damaged = original.slice(0, at) + insert + original.slice(at + length);
        const inventory = await loadEvidenceFolder(DEMO, { overrides: new Map([[file, damaged]]) });
        assert.equal(inventory.clusters.length, 4, 'the other files still load');
        for (const note of inventory.notes.filter((n) => n.level === 'error')) assert.match(note.message, /^describe-security-groups\.json: /);
      },
    ), { numRuns: 60 });
  });
});
