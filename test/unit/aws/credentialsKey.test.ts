import * as assert from 'node:assert/strict';
import {
  ENVIRONMENT_PROFILE, accountLabel, assumedRoleOf, credentialsLabel, keyOfAssumedRole, namedProfile, roleCredentialsKey, roleOfKey,
} from '../../../src/aws/credentialsKey';
import { toAwsError } from '../../../src/aws/errors';

const ROLE = 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole';

describe('aws/credentialsKey: a member account\'s role as a credentials key', () => {
  it('round-trips the role, its source, the ExternalId and the account name', () => {
    const key = roleCredentialsKey({ source: 'org', roleArn: ROLE, sessionName: 'aurora-sg', externalId: 'x-1', accountName: 'Payments' });
    assert.deepEqual(roleOfKey(key), { source: 'org', roleArn: ROLE, sessionName: 'aurora-sg', externalId: 'x-1', accountName: 'Payments', accountId: '222222222222' });
    assert.deepEqual(assumedRoleOf(key), { roleArn: ROLE, sessionName: 'aurora-sg', sourceProfile: 'org', externalId: 'x-1' });
    assert.equal(keyOfAssumedRole(assumedRoleOf(key)!, 'Payments'), key, 'a plan\'s role gives back the key it was read with');
  });

  it('is never a --profile, and people read it as the account', () => {
    const key = roleCredentialsKey({ source: ENVIRONMENT_PROFILE, roleArn: ROLE, sessionName: 'aurora-sg', accountName: 'Payments' });
    assert.equal(namedProfile(key), undefined);
    assert.equal(credentialsLabel(key), 'Payments (222222222222)');
    assert.equal(assumedRoleOf(key)!.sourceProfile, undefined, 'assumed from the environment\'s keys: no source profile');
    assert.equal(accountLabel('222222222222'), '222222222222');
    assert.equal(namedProfile('prod'), 'prod');
    assert.equal(roleOfKey('prod'), undefined);
    assert.equal(roleOfKey('(assume-role)not json'), undefined);
  });

  it('error messages name the account (name and id) and the role', () => {
    const key = roleCredentialsKey({ source: 'org', roleArn: ROLE, sessionName: 'aurora-sg', accountName: 'Payments' });
    const error = toAwsError(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }), { profile: key, region: 'eu-west-1', action: 'ec2:DescribeNetworkInterfaces' });
    assert.equal(error.code, 'access-denied');
    assert.match(error.message, /\(account Payments \(222222222222\), role OrganizationAccountAccessRole, region eu-west-1\)/);
    assert.doesNotMatch(error.message, /assume-role\)|--profile/);
  });
});
