import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ClientPool } from '../../../src/aws/clients';
import { AwsError, isThrottlingError, toAwsError } from '../../../src/aws/errors';

function sdkError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

describe('aws/errors: messages a user can act on', () => {
  it('access denied names the action, profile and region', () => {
    const error = toAwsError(sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.'), { profile: 'prod', region: 'eu-west-1', action: 'ec2:DescribeSecurityGroups' });
    assert.equal(error.code, 'access-denied');
    assert.match(error.message, /ec2:DescribeSecurityGroups/);
    assert.match(error.message, /profile prod, region eu-west-1/);
  });

  it('an unreachable endpoint names the URL', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = toAwsError(cause, { endpoint: 'http://127.0.0.1:1', region: 'eu-west-1' });
    assert.equal(error.code, 'unreachable');
    assert.match(error.message, /Cannot reach http:\/\/127\.0\.0\.1:1/);
  });

  it('throttling that outlasted every retry says so, and what to do', () => {
    const throttled = sdkError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    assert.equal(isThrottlingError(throttled), true);
    assert.equal(isThrottlingError(sdkError('Throttling', 'Rate exceeded')), true);
    assert.equal(isThrottlingError(sdkError('InvalidGroup.NotFound', 'nope')), false);
    const error = toAwsError(throttled, { action: 'rds:DescribeDBClusters' });
    assert.equal(error.code, 'throttled');
    assert.match(error.message, /Try again later/);
  });

  it('missing credentials and rejected keys get their own codes', () => {
    assert.equal(toAwsError(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')).code, 'no-credentials');
    assert.equal(toAwsError(sdkError('AuthFailure', 'AWS was not able to validate the provided access credentials')).code, 'invalid-credentials');
    assert.equal(toAwsError(sdkError('ExpiredToken', 'The security token included in the request is expired')).code, 'expired-credentials');
    assert.equal(toAwsError(sdkError('OptInRequired', 'You are not subscribed to this service.'), { region: 'af-south-1' }).code, 'region-disabled');
  });

  it('keeps an AwsError as it is', () => {
    const original = new AwsError('drift', 'changed');
    assert.equal(toAwsError(original), original);
  });

  it('an SSO profile whose cached token expired says to run aws sso login, without prompting or calling the network', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'aurora-sg-sso-'));
    const startUrl = 'https://example.awsapps.com/start';
    mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({ startUrl, region: 'eu-west-1', accessToken: 'x', expiresAt: '2020-01-01T00:00:00Z' }));
    writeFileSync(path.join(home, 'config'), `[profile old-sso]\nsso_start_url = ${startUrl}\nsso_region = eu-west-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = eu-west-1\n`);
    const savedHome = process.env.HOME;
    process.env.HOME = home; // the SDK finds the SSO cache under the process's home
    try {
      const pool = new ClientPool({ env: { AWS_CONFIG_FILE: path.join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none') } });
      const provider = await pool.credentialsFor('old-sso');
      await assert.rejects(provider(), (error: unknown) => {
        assert.ok(error instanceof AwsError);
        assert.equal(error.code, 'sso-expired');
        assert.match(error.message, /Run `aws sso login --profile old-sso`/);
        return true;
      });
      await pool.dispose();
    } finally {
      process.env.HOME = savedHome;
    }
  });
});
