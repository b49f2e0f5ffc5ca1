import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENT_PROFILE, credentialsLabel, defaultCredentialsKey, listProfiles, namedProfile, resolveCredentialsKey, type ProfileInfo } from '../../../src/aws/profiles';

const fixtures = path.join(__dirname, 'fixtures');
const fixtureEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  AWS_CONFIG_FILE: path.join(fixtures, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(fixtures, 'credentials'),
  HOME: '/nonexistent-home',
  ...extra,
});

function byName(profiles: ProfileInfo[]): Map<string, ProfileInfo> {
  return new Map(profiles.map((p) => [p.name, p]));
}

describe('aws/profiles: listProfiles', () => {
  it('lists every profile of both files with its kind and region', async () => {
    const profiles = byName(await listProfiles(fixtureEnv()));
    const expected: [string, ProfileInfo['kind'], string | undefined][] = [
      ['default', 'static', 'eu-west-1'],
      ['static-dev', 'static', 'eu-central-1'],
      ['sso-legacy', 'sso', 'us-east-1'],
      ['sso-new', 'sso', 'eu-north-1'],
      ['audit-role', 'assume-role', 'ap-southeast-2'],
      ['chained-role', 'assume-role', undefined],
      ['instance-role', 'assume-role', undefined],
      ['with-process', 'process', 'us-west-2'],
    ];
    for (const [name, kind, region] of expected) {
      const profile = profiles.get(name);
      assert.ok(profile, `${name} is listed`);
      assert.equal(profile.kind, kind, `${name} kind`);
      assert.equal(profile.region, region, `${name} region`);
      assert.equal(profile.broken, undefined, `${name} works: ${profile.broken}`);
    }
    assert.equal(profiles.get('audit-role')!.source, 'static-dev');
    assert.equal(profiles.get('instance-role')!.source, 'Ec2InstanceMetadata');
    assert.equal(profiles.get('default')!.isDefault, true);
  });

  it('lists only profiles: [sso-session ...] and [services ...] sections are not profiles', async () => {
    const names = (await listProfiles(fixtureEnv())).map((p) => p.name);
    assert.deepEqual(names.filter((n) => /^(sso-session|services)\./.test(n)), []);
  });

  it('marks broken profiles with the reason and keeps the others working', async () => {
    const profiles = byName(await listProfiles(fixtureEnv()));
    assert.match(profiles.get('loop-a')!.broken!, /source_profile cycle: loop-a -> loop-b -> loop-a/);
    assert.match(profiles.get('loop-b')!.broken!, /cycle/);
    assert.match(profiles.get('orphan-role')!.broken!, /source_profile "does-not-exist" does not exist/);
    assert.match(profiles.get('sourceless-role')!.broken!, /role_arn without source_profile, credential_source/);
    assert.match(profiles.get('after-orphan')!.broken!, /source_profile "does-not-exist" \(of orphan-role\) does not exist/);
    assert.match(profiles.get('garbled')!.broken!, /config:\d+: "this line has no equals sign" is not "key = value"/);
    assert.equal(profiles.get('chained-role')!.broken, undefined, 'a chain through working profiles works');
  });

  it('honours AWS_PROFILE and adds the environment credentials as a profile', async () => {
    const profiles = byName(await listProfiles(fixtureEnv({ AWS_PROFILE: 'sso-new', AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's', AWS_REGION: 'sa-east-1' })));
    assert.equal(profiles.get('sso-new')!.isDefault, true);
    assert.equal(profiles.get('default')!.isDefault, undefined);
    const env = profiles.get(ENVIRONMENT_PROFILE)!;
    assert.equal(env.kind, 'environment');
    assert.equal(env.region, 'sa-east-1');
  });

  it('uses the environment\'s keys when no profile is named, before AWS_PROFILE and default, as the AWS CLI does; they are never a --profile', () => {
    assert.equal(defaultCredentialsKey({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_PROFILE: 'prod' }), ENVIRONMENT_PROFILE);
    assert.equal(defaultCredentialsKey({ AWS_PROFILE: 'prod' }), 'prod');
    assert.equal(defaultCredentialsKey({}), 'default');
    assert.equal(namedProfile(ENVIRONMENT_PROFILE), undefined);
    assert.equal(namedProfile('env'), 'env', 'a real profile named env stays a profile');
    assert.equal(credentialsLabel(ENVIRONMENT_PROFILE), 'environment credentials');
  });

  it('takes a web identity before the default profile and after AWS_PROFILE, as the AWS CLI does; a container role only after the files', () => {
    const webIdentity = { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci' };
    assert.equal(defaultCredentialsKey(webIdentity), ENVIRONMENT_PROFILE);
    assert.equal(defaultCredentialsKey({ ...webIdentity, AWS_PROFILE: 'prod' }), 'prod');
    assert.equal(defaultCredentialsKey({ AWS_WEB_IDENTITY_TOKEN_FILE: '/token' }), 'default', 'a token file without a role names nothing');
    assert.equal(defaultCredentialsKey({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }), 'default', 'default first; without one, resolveCredentialsKey gives the container role');
  });

  it('resolves "default" with no such profile, and the environment\'s key, to what the environment gives, naming its source', async () => {
    const none = { AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
    const container = { ...none, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', AWS_REGION: 'eu-west-1' };
    const listed = await listProfiles(container);
    assert.deepEqual(listed.map((p) => [p.name, p.kind, p.source, p.region]), [[ENVIRONMENT_PROFILE, 'environment', 'container credentials (AWS_CONTAINER_CREDENTIALS_*)', 'eu-west-1']]);
    assert.equal(resolveCredentialsKey('default', listed, container)?.name, ENVIRONMENT_PROFILE);
    const bare = resolveCredentialsKey('default', await listProfiles(none), none)!;
    assert.deepEqual([bare.name, bare.kind, bare.source], [ENVIRONMENT_PROFILE, 'environment', 'EC2 instance role'], 'nothing at all: the instance role is what is left');
    assert.equal(resolveCredentialsKey('prod', await listProfiles(none), none), undefined, 'a named profile that is not there stays missing');
    const fixture = fixtureEnv({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 's' });
    assert.equal(resolveCredentialsKey('default', await listProfiles(fixture), fixture)?.name, 'default', 'a default profile in the files is that profile');
  });

  it('reports an AWS_PROFILE that names no profile', async () => {
    const profiles = byName(await listProfiles(fixtureEnv({ AWS_PROFILE: 'nope' })));
    assert.match(profiles.get('nope')!.broken!, /AWS_PROFILE names "nope", which is in neither/);
  });

  it('finds sso-session problems and unclosed section headers', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-profiles-'));
    writeFileSync(path.join(dir, 'config'), [
      '[profile needs-session]', 'sso_session = missing', 'sso_account_id = 1', 'sso_role_name = r',
      '[profile unclosed', 'region = eu-west-1',
      '[profile fine]', 'region = eu-west-2',
    ].join('\n'));
    const profiles = byName(await listProfiles({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') }));
    assert.match(profiles.get('needs-session')!.broken!, /sso_session "missing" is not defined/);
    assert.match(profiles.get('unclosed')!.broken!, /has no closing "\]"/);
    assert.equal(profiles.get('fine')!.broken, undefined);
    assert.equal(profiles.get('fine')!.region, 'eu-west-2');
  });

  it('lists nothing, without failing, when neither file exists', async () => {
    assert.deepEqual(await listProfiles({ AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' }), []);
  });
});
