import * as assert from 'node:assert/strict';
import { findingSubject } from '../../../src/cli/report/text';
import type { Finding, Rule } from '../../../src/model/types';

describe('report text: what a finding is about', () => {
  const rule = (ownerId: string): Rule => ({
    groupId: 'sg-db', direction: 'ingress', protocol: 'all', source: { kind: 'group', value: 'sg-app', ownerId },
  });
  const finding = (r: Rule): Finding => ({
    id: 'AURSG-005-000000000000', ruleId: 'AURSG-005', severity: 'low', title: 't', message: 'm',
    target: { kind: 'live', label: 'prod / eu-west-1' }, groupId: 'sg-db', rule: r, fixes: [],
  });
  const group = { groupName: 'orders-db', ownerId: '111122223333' };

  it('names the account of a group reference only when it is not the group\'s own', () => {
    assert.equal(findingSubject(finding(rule('111122223333')), group), 'orders-db (sg-db) / ingress all traffic from sg-app');
    assert.equal(findingSubject(finding(rule('444455556666')), group), 'orders-db (sg-db) / ingress all traffic from sg-app (account 444455556666)');
  });

  it('keeps a hostile group name on one line', () => {
    assert.equal(findingSubject(finding(rule('111122223333')), { groupName: 'db\n\u001b[2J', ownerId: '111122223333' }),
      'db\\n\\u{1b}[2J (sg-db) / ingress all traffic from sg-app');
  });
});
