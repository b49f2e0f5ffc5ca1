import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ruleKey } from '../../../src/model/fromAws';
import type { SecurityGroup } from '../../../src/model/types';
import { loadEvidenceFolder } from '../../../src/sources/evidence';
import { renderClusterDocument, renderGroupDocument } from '../../../src/extension/core/groupDocument';

const FIXTURES = path.join(__dirname, '../../fixtures/aws-shapes');
const DEMO = path.join(__dirname, '../../../samples/demo-account');

async function groupsOf(dir: string): Promise<SecurityGroup[]> {
  return (await loadEvidenceFolder(dir)).securityGroups;
}

async function withFolder<T>(files: Record<string, string>, run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-doc-'));
  try {
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
    return await run(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('extension: security group virtual document', () => {
  it('prints a group exactly as describe-security-groups does (AWS CLI fixture, 4-space indent)', async () => {
    const original = JSON.parse(await fs.readFile(path.join(FIXTURES, 'describe-security-groups.json'), 'utf8')).SecurityGroups as Record<string, unknown>[];
    const groups = await withFolder({ 'describe-security-groups.json': JSON.stringify({ SecurityGroups: original }) }, groupsOf);
    assert.ok(groups.length >= 2);
    for (const group of groups) {
      const { text } = renderGroupDocument(group);
      const expected = { ...original.find((g) => g.GroupId === group.groupId) };
      // The model keeps no empty tag list; everything else must round-trip key for key.
      if (Array.isArray(expected.Tags) && expected.Tags.length === 0) delete expected.Tags;
      assert.equal(text, JSON.stringify({ SecurityGroups: [expected] }, null, 4) + '\n', group.groupId);
    }
  });

  it('places every rule where the evidence reader locates it in the same text', async () => {
    for (const group of await groupsOf(DEMO)) {
      const rendered = renderGroupDocument(group);
      const reread = await withFolder({ 'describe-security-groups.json': rendered.text }, groupsOf);
      assert.equal(reread.length, 1);
      assert.deepEqual(reread[0].rules.map(ruleKey).sort(), group.rules.map(ruleKey).sort(), `${group.groupId} rules survive the round trip`);
      for (const rule of reread[0].rules) {
        const span = rendered.ruleRanges.get(ruleKey(rule));
        assert.ok(span, `${group.groupId}: a range for ${ruleKey(rule)}`);
        assert.deepEqual({ start: span.start, end: span.end }, { start: rule.location?.start, end: rule.location?.end }, ruleKey(rule));
      }
    }
  });

  it('keeps hostile descriptions as data (JSON-escaped, still one rule each)', async () => {
    const group: SecurityGroup = {
      groupId: 'sg-0123456789abcdef0', groupName: 'x"; rm -rf / #', description: 'line1\nline2 "quoted" \\ back',
      rules: [{ groupId: 'sg-0123456789abcdef0', direction: 'ingress', protocol: 'tcp', fromPort: 3306, toPort: 3306, source: { kind: 'cidr4', value: '0.0.0.0/0' }, description: '"},{"CidrIp":"10.0.0.0/8' }],
    };
    const rendered = renderGroupDocument(group);
    const parsed = JSON.parse(rendered.text);
    assert.equal(parsed.SecurityGroups[0].IpPermissions[0].IpRanges.length, 1);
    assert.equal(parsed.SecurityGroups[0].IpPermissions[0].IpRanges[0].Description, '"},{"CidrIp":"10.0.0.0/8');
    assert.equal(rendered.ruleRanges.size, 1);
  });

  it('prints protocol all as -1 without ports, and groups sources of one permission together', () => {
    const groupId = 'sg-1';
    const rendered = renderGroupDocument({
      groupId, groupName: 'g', description: 'd', rules: [
        { groupId, direction: 'egress', protocol: 'all', source: { kind: 'cidr4', value: '0.0.0.0/0' } },
        { groupId, direction: 'egress', protocol: 'all', source: { kind: 'cidr6', value: '::/0' } },
        { groupId, direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, source: { kind: 'group', value: 'sg-2', ownerId: '123456789012' } },
      ],
    });
    const group = JSON.parse(rendered.text).SecurityGroups[0];
    assert.deepEqual(group.IpPermissionsEgress, [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [], UserIdGroupPairs: [] }]);
    assert.deepEqual(group.IpPermissions[0].UserIdGroupPairs, [{ GroupId: 'sg-2', UserId: '123456789012' }]);
    assert.equal(rendered.ruleRanges.size, 3);
  });

  it('prints a cluster with its port and security groups', () => {
    const doc = JSON.parse(renderClusterDocument({ clusterId: 'c1', engine: 'aurora-mysql', status: 'available', port: 3307, securityGroupIds: ['sg-1'], memberInstanceIds: ['i1'] }));
    assert.deepEqual(doc.DBClusters[0], { DBClusterIdentifier: 'c1', Status: 'available', Engine: 'aurora-mysql', Port: 3307, DBClusterMembers: [{ DBInstanceIdentifier: 'i1' }], VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-1', Status: 'active' }] });
  });
});
