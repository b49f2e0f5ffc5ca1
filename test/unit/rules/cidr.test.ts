// CIDR and port maths edge cases.

import * as assert from 'node:assert/strict';
import {
  coversFamily, describeRule, isAnywhere, isPrivateCidr, isPublicCidr, opensAllPorts, parseCidr, reachesPort, type ParsedCidr,
} from '../../../src/rules';
import type { Rule } from '../../../src/model/types';

const parse = (text: string): ParsedCidr => {
  const parsed = parseCidr(text);
  assert.ok(parsed, `${text} parses`);
  return parsed;
};

describe('rules: CIDR maths', () => {
  it('normalises odd spellings and host bits to the network address', () => {
    assert.equal(parse('0000:0000::/0').text, '::/0');
    assert.equal(parse('10.1.2.3/8').text, '10.0.0.0/8');
    assert.equal(parse('2001:DB8:0:0::1/32').text, '2001:db8::/32');
    assert.equal(parse(' 192.168.1.0/24 ').text, '192.168.1.0/24');
    assert.equal(parse('255.255.255.255/32').prefix, 32);
  });

  it('rejects what AWS would not read as a CIDR', () => {
    for (const bad of ['10.0.0.0', '10.1/8', '010.0.0.0/8', '0x0a.0.0.0/8', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/08x', '', '/0',
      'fe80::1%eth0/64', '10.0.0.0/8/8', 'anywhere', '300.0.0.0/8', '10.0.0.0/ 8', '1.2.3.4.5/32']) {
      assert.equal(parseCidr(bad), undefined, JSON.stringify(bad));
    }
  });

  it('knows anywhere in both families', () => {
    assert.ok(isAnywhere('0.0.0.0/0'));
    assert.ok(isAnywhere('::/0'));
    assert.ok(isAnywhere('0:0:0:0:0:0:0:0/0'));
    assert.ok(!isAnywhere('0.0.0.0/1'));
    assert.ok(!isAnywhere('not a cidr'));
  });

  it('tells public from private and special-use ranges', () => {
    for (const pub of ['8.8.8.0/24', '203.0.113.0/24', '0.0.0.0/1', '10.0.0.0/7', '2600:1f18::/32', '2001:db8::/32']) assert.ok(isPublicCidr(pub), pub);
    for (const priv of ['10.0.0.0/8', '10.200.3.0/24', '172.16.0.0/12', '172.31.255.0/24', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', 'fd12:3456::/48']) {
      assert.ok(isPrivateCidr(priv) && !isPublicCidr(priv), priv);
    }
    for (const special of ['127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', 'fe80::/10', '::1/128']) {
      assert.ok(!isPublicCidr(special) && !isPrivateCidr(special), special);
    }
    assert.ok(isPublicCidr('172.32.0.0/16'), 'just outside 172.16/12');
  });

  it('merges intervals to decide coverage of a family', () => {
    const cover = (...cidrs: string[]) => coversFamily(cidrs.map(parse), cidrs[0]!.includes(':') ? 6 : 4);
    assert.ok(cover('0.0.0.0/1', '128.0.0.0/1'));
    assert.ok(cover('128.0.0.0/1', '0.0.0.0/2', '64.0.0.0/2', '10.0.0.0/8'), 'overlaps and order do not matter');
    assert.ok(!cover('0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'), 'a gap at the top');
    assert.ok(!cover('0.0.0.1/32', '0.0.0.0/1', '128.0.0.0/2'));
    assert.ok(cover('::/1', '8000::/2', 'c000::/2'));
    assert.ok(!cover('::/1', '8000::/2', 'c000::/3'));
    assert.ok(!coversFamily([parse('0.0.0.0/1'), parse('128.0.0.0/1')], 6), 'IPv4 never covers IPv6');
  });
});

describe('rules: port maths', () => {
  const rule = (protocol: string, fromPort?: number, toPort?: number): Rule =>
    ({ groupId: 'sg-1', direction: 'ingress', protocol: protocol as Rule['protocol'], fromPort, toPort, source: { kind: 'cidr4', value: '0.0.0.0/0' } });

  it('a rule reaches a port when tcp or all and the range contains it', () => {
    assert.ok(reachesPort(rule('tcp', 3306, 3306), 3306));
    assert.ok(reachesPort(rule('tcp', 3300, 3310), 3307));
    assert.ok(!reachesPort(rule('tcp', 3300, 3305), 3306));
    assert.ok(reachesPort(rule('all'), 5432));
    assert.ok(reachesPort(rule('6', 3306, 3306), 3306));
    assert.ok(!reachesPort(rule('udp', 3306, 3306), 3306));
    assert.ok(!reachesPort(rule('icmp', 3306, 3306), 3306));
    assert.ok(!reachesPort(rule('50'), 3306), 'ESP carries no tcp');
  });

  it('reads missing, -1 or out-of-range tcp bounds as open, never narrower', () => {
    assert.ok(reachesPort(rule('tcp', undefined, undefined), 3306));
    assert.ok(reachesPort(rule('tcp', -1, -1), 3306));
    assert.ok(reachesPort(rule('tcp', 3306, 99999), 40000));
    assert.ok(reachesPort(rule('tcp', 3310, 3300), 3306), 'reversed bounds');
  });

  it('all ports is protocol all, tcp 0-65535 or tcp 1-65535', () => {
    assert.ok(opensAllPorts(rule('all')));
    assert.ok(opensAllPorts(rule('tcp', 0, 65535)));
    assert.ok(opensAllPorts(rule('tcp', 1, 65535)));
    assert.ok(!opensAllPorts(rule('tcp', 2, 65535)));
    assert.ok(!opensAllPorts(rule('udp', 0, 65535)));
  });

  it('describes rules for people', () => {
    assert.equal(describeRule(rule('tcp', 3306, 3306)), 'tcp 3306 from 0.0.0.0/0');
    assert.equal(describeRule(rule('tcp', 3300, 3310)), 'tcp 3300-3310 from 0.0.0.0/0');
    assert.equal(describeRule(rule('all')), 'all traffic from 0.0.0.0/0');
    assert.equal(describeRule(rule('icmp', 8, 0)), 'icmp type 8 code 0 from 0.0.0.0/0');
    assert.equal(describeRule({ ...rule('all'), direction: 'egress', source: { kind: 'cidr6', value: '::/0' } }), 'all traffic to ::/0');
    assert.equal(describeRule({ ...rule('tcp', 5432, 5432), source: { kind: 'group', value: 'sg-9', ownerId: '210987654321' } }), 'tcp 5432 from sg-9 (account 210987654321)');
    assert.equal(describeRule({ ...rule('tcp', 5432, 5432), source: { kind: 'group', value: 'sg-9\n$(rm -rf /)' } }), 'tcp 5432 from "sg-9\\n$(rm -rf /)"',
      'hostile ids are quoted and escaped, one line');
  });
});
