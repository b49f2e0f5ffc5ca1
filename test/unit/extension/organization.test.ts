import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/model/types';
import { accountDescription, accountState, organizationDescription } from '../../../src/extension/core/orgPresentation';
import { organizationSettings } from '../../../src/extension/core/orgSettings';

const finding = (severity: Finding['severity'], suppressed = false): Finding => ({
  id: `f-${severity}`, ruleId: 'AURSG-001', severity, title: 't', message: 'm', target: { kind: 'live', label: 'x' }, fixes: [],
  ...(suppressed ? { suppressed: { reason: 'accepted' } } : {}),
});
const payments = { id: '222222222222', name: 'Payments', state: 'ACTIVE', outcome: 'pending' };

describe('extension: an organization in the tree', () => {
  it('an account reads as its id and worst severity once a region is loaded, and says why it was not read otherwise', () => {
    assert.equal(accountDescription(payments, undefined), '222222222222');
    assert.equal(accountState(payments, undefined), 'unread');
    assert.equal(accountDescription(payments, [finding('high'), finding('critical'), finding('critical', true)]), '222222222222 · 1 critical');
    assert.equal(accountState(payments, [finding('low')]), 'low');
    assert.equal(accountDescription(payments, []), '222222222222 · no findings');
    assert.equal(accountDescription(payments, undefined, 'Cannot assume role'), '222222222222 · cannot be read');
    assert.equal(accountState(payments, undefined, 'Cannot assume role'), 'failed');
    assert.equal(accountDescription(payments, [finding('medium')], 'us-east-1: not enabled'), '222222222222 · 1 medium · partly read');
    const suspended = { id: '555555555555', state: 'SUSPENDED', outcome: 'skipped' };
    assert.equal(accountDescription(suspended, undefined), '555555555555 · SUSPENDED · not audited');
    assert.equal(accountDescription({ ...payments, outcome: 'skipped' }, undefined), '222222222222 · excluded · not audited');
    assert.equal(organizationDescription(undefined, []), 'organization');
    assert.equal(organizationDescription([payments, suspended], [finding('high')]), 'organization · 1 account · high');
  });

  it('reads auroraSg.organizations, and leaves out each entry that cannot work, naming it', () => {
    const problems: string[] = [];
    const settings = organizationSettings([
      { profile: ' org ', memberRole: 'Audit', organizationalUnits: ['ou-a1b2-prod0001'], accounts: ['222222222222'], regions: ['eu-west-1', ''] },
      { memberRole: 'x' },
      { profile: 'bad-ou', organizationalUnits: ['Production'] },
      { profile: 'bad-account', excludeAccounts: ['1234'] },
      { profile: 'bad-arn', roleArns: ['arn:aws:iam::222222222222:user/bob'] },
      { profile: 'bad-external', externalId: 'has space' },
    ], problems);
    assert.deepEqual(settings, [{
      profile: 'org', memberRole: 'Audit', organizationalUnits: ['ou-a1b2-prod0001'], accounts: ['222222222222'], excludeAccounts: [], roleArns: [], regions: ['eu-west-1'],
    }]);
    assert.equal(problems.length, 5);
    assert.match(problems[0]!, /organizations\[1\] names no "profile"/);
    assert.match(problems[1]!, /\(profile bad-ou\): "Production" is not a root id/);
    assert.match(problems[2]!, /"1234" is not an AWS account id/);
    assert.match(problems[3]!, /is not an IAM role ARN/);
    assert.match(problems[4]!, /ExternalId/);
    const notAList: string[] = [];
    assert.deepEqual(organizationSettings({ profile: 'org' }, notAList), []);
    assert.match(notAList[0]!, /must be a list/);
  });
});
