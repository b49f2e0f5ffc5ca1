import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachRuleIds, clusterFromAws, securityGroupFromAws } from '../../../src/model/fromAws';
import { normaliseProtocol } from '../../../src/model/protocol';
import type { AwsSecurityGroup, AwsSecurityGroupRule } from '../../../src/model/awsShapes';

const shapes = path.resolve(__dirname, '../../fixtures/aws-shapes');

describe('model: AWS shapes to rules', () => {
  it('expands one IpPermissions entry into one rule per source', () => {
    const raw: AwsSecurityGroup = {
      GroupId: 'sg-1', GroupName: 'db',
      IpPermissions: [{
        IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'anywhere' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [{ PrefixListId: 'pl-1' }],
        UserIdGroupPairs: [{ GroupId: 'sg-2', UserId: '210987654321' }],
      }],
    };
    const group = securityGroupFromAws(raw, [], { notes: [] });
    assert.deepEqual(group?.rules.map((r) => [r.source.kind, r.source.value, r.description]), [
      ['cidr4', '0.0.0.0/0', 'anywhere'], ['cidr6', '::/0', undefined], ['prefixList', 'pl-1', undefined], ['group', 'sg-2', undefined],
    ]);
    assert.equal(group?.rules[3]?.source.ownerId, '210987654321');
  });

  it('normalises protocol spellings', () => {
    assert.deepEqual(['-1', 'all', '6', 'TCP', '17', 'udp', '1', '58', '50', 'bogus', '256', '06', '017', '050'].map(normaliseProtocol),
      ['all', 'all', 'tcp', 'tcp', 'udp', 'udp', 'icmp', 'icmpv6', '50', undefined, undefined, 'tcp', 'udp', '50']);
  });

  it('drops ports of protocol all and reports an unknown protocol', () => {
    const notes: { message: string }[] = [];
    const group = securityGroupFromAws({ GroupId: 'sg-1', IpPermissionsEgress: [
      { IpProtocol: '-1', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      { IpProtocol: 'sctp?', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ] }, [], { notes: notes as never });
    assert.equal(group?.rules.length, 1);
    assert.equal(group?.rules[0]?.fromPort, undefined);
    assert.match(notes[0]!.message, /unknown IpProtocol "sctp\?"/);
  });

  it('attaches sgr ids from describe-security-group-rules to the expanded rules', () => {
    const groups = (JSON.parse(fs.readFileSync(path.join(shapes, 'describe-security-groups.json'), 'utf8')).SecurityGroups as AwsSecurityGroup[])
      .map((g, i) => securityGroupFromAws(g, ['SecurityGroups', i], { notes: [] })!);
    const sgRules = JSON.parse(fs.readFileSync(path.join(shapes, 'describe-security-group-rules.json'), 'utf8')).SecurityGroupRules as AwsSecurityGroupRule[];
    assert.equal(attachRuleIds(groups, sgRules), 4);
    const db = groups.find((g) => g.groupName === 'shop-db')!;
    assert.equal(db.rules.find((r) => r.source.value === '::/0')?.ruleId, 'sgr-118ee756384f7c9f2');
  });

  it('skips a cluster whose Port is missing or not a port, saying so, instead of judging it against a port no rule reaches', () => {
    for (const port of [undefined, 0, 70000, 3306.5]) {
      const notes: { message: string }[] = [];
      const cluster = clusterFromAws({ DBClusterIdentifier: 'orders', Engine: 'aurora-mysql', Port: port }, [], { notes: notes as never });
      assert.equal(cluster, undefined, String(port));
      assert.match(notes[0]!.message, port === undefined ? /orders has no Port; it was skipped/ : new RegExp(`orders has Port ${port}, which is not a port; it was skipped`));
    }
    assert.equal(clusterFromAws({ DBClusterIdentifier: 'orders', Engine: 'aurora-mysql', Port: 3306 }, [], { notes: [] })?.port, 3306);
  });
});
