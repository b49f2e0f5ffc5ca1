// The demo account must look like what the AWS CLI prints: every member that a captured
// response holds (test/fixtures/aws-shapes) is in the demo too, with the same JSON type,
// and the sgr ids of describe-security-group-rules.json match the groups' rules one to one.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const DEMO = path.resolve(__dirname, '../../../samples/demo-account');
const SHAPES = path.resolve(__dirname, '../../fixtures/aws-shapes');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function read(dir: string, name: string): Record<string, Json[]> {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, Json[]>;
}

function kind(value: Json | undefined): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every member of `reference` (recursively, through the first element of lists) is in `actual` with the same type. */
function assertShape(actual: Json | undefined, reference: Json, where: string): void {
  assert.equal(kind(actual), kind(reference), `${where}: ${kind(reference)} expected`);
  if (Array.isArray(reference) && Array.isArray(actual)) {
    if (reference.length === 0) return;
    for (const [i, element] of actual.entries()) assertShape(element, reference[0]!, `${where}[${i}]`);
    return;
  }
  if (kind(reference) !== 'object') return;
  for (const [key, value] of Object.entries(reference as Record<string, Json>)) {
    // Optional members (a description, a rule's ports for protocol -1) are checked only where present.
    const member = (actual as Record<string, Json>)[key];
    if (member === undefined && OPTIONAL.has(key)) continue;
    assertShape(member, value, `${where}.${key}`);
  }
}

/**
 * Members AWS prints only in some cases: the captured fixture came from an emulator that
 * prints them always (serverless v1 scaling, backtracking, global write forwarding and the
 * cluster-level PubliclyAccessible of Multi-AZ DB clusters do not apply to the demo's
 * provisioned Aurora clusters); the rest are optional members of rules and routes.
 */
const OPTIONAL = new Set(['ScalingConfigurationInfo', 'BacktrackWindow', 'GlobalWriteForwardingRequested', 'PubliclyAccessible',
  'Description', 'FromPort', 'ToPort', 'CidrIpv4', 'CidrIpv6', 'ReferencedGroupInfo', 'PrefixListId', 'SubnetId', 'UserId', 'GroupId', 'Tags', 'DestinationCidrBlock', 'GatewayId']);

describe('demo account: AWS CLI shapes', () => {
  for (const name of readdirSync(SHAPES).filter((n) => n.endsWith('.json'))) {
    it(`${name} has every member the AWS CLI prints`, () => {
      const reference = read(SHAPES, name);
      const demo = read(DEMO, name);
      const [listKey] = Object.keys(reference);
      assert.ok(listKey && Array.isArray(demo[listKey]) && demo[listKey].length > 0, `${name} holds ${listKey}`);
      for (const [i, item] of demo[listKey].entries()) assertShape(item, reference[listKey]![0]!, `${name} ${listKey}[${i}]`);
    });
  }

  it('names every rule of describe-security-groups.json once in describe-security-group-rules.json', () => {
    const groups = read(DEMO, 'describe-security-groups.json').SecurityGroups as Record<string, Json>[];
    const listed = read(DEMO, 'describe-security-group-rules.json').SecurityGroupRules as Record<string, Json>[];
    let expanded = 0;
    for (const group of groups) {
      for (const egress of [false, true]) {
        for (const permission of group[egress ? 'IpPermissionsEgress' : 'IpPermissions'] as Record<string, Json[]>[]) {
          for (const [list, field] of [['IpRanges', 'CidrIp'], ['Ipv6Ranges', 'CidrIpv6'], ['PrefixListIds', 'PrefixListId'], ['UserIdGroupPairs', 'GroupId']] as const) {
            for (const source of permission[list] as Record<string, Json>[]) {
              expanded++;
              const matches = listed.filter((r) => r.GroupId === group.GroupId && r.IsEgress === egress && r.IpProtocol === (permission.IpProtocol as unknown as string)
                && (r.CidrIpv4 ?? r.CidrIpv6 ?? r.PrefixListId ?? (r.ReferencedGroupInfo as Record<string, Json> | undefined)?.GroupId) === source[field]
                && (r.Description ?? null) === (source.Description ?? null));
              assert.equal(matches.length, 1, `${String(group.GroupId)} ${egress ? 'egress' : 'ingress'} ${String(source[field])}`);
              assert.match(String(matches[0]!.SecurityGroupRuleId), /^sgr-[0-9a-f]{17}$/);
            }
          }
        }
      }
    }
    assert.equal(listed.length, expanded, 'no rule listed that the groups do not hold');
  });

  it('ships prefix-list entries for every prefix list the groups use, and settings for the demo', () => {
    const used = new Set(JSON.stringify(read(DEMO, 'describe-security-groups.json')).match(/pl-[0-9a-f]+/g));
    assert.ok(used.size > 0);
    for (const id of used) assert.ok(readdirSync(DEMO).includes(`get-managed-prefix-list-entries.${id}.json`), id);
    const settings = JSON.parse(readFileSync(path.join(DEMO, 'aurora-sg.config.json'), 'utf8')) as { approvedSources: string[] };
    assert.ok(settings.approvedSources.length > 0, 'AURSG-006 needs approved sources');
  });
});
