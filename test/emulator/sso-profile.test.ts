// Credentials from IAM Identity Center (SSO), the way most organizations hand them out: a profile
// written by `aws configure sso` (an sso-session section) or the older form (sso_start_url in the
// profile), and the access token `aws sso login` left in ~/.aws/sso/cache. The shipped CLI bundle
// runs in a child process with a HOME of its own (the SDK reads the token cache under the home
// directory, which it looks up once per process); the portal's GetRoleCredentials goes to the
// endpoint URL, as every other call does.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { DEMO, REGION, evidenceFindings, findingKeys } from './support/live';
import { type Ran, runShippedCli } from './support/shell';

const ACCOUNT = '123456789012';
const START_URL = 'https://corp-emulator.awsapps.com/start';

/** What `aws sso login` writes: the token cache file is named by the SHA-1 of the session name (or, for the older form, of the start URL). */
function cacheToken(home: string, key: string, expiresInMinutes: number): void {
  const dir = path.join(home, '.aws', 'sso', 'cache');
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  writeFileSync(path.join(dir, `${createHash('sha1').update(key).digest('hex')}.json`), JSON.stringify({
    startUrl: START_URL, region: REGION, accessToken: `emulator-access-token-${key}`,
    expiresAt: new Date(now + expiresInMinutes * 60_000).toISOString(),
    clientId: 'emulator-client', clientSecret: 'emulator-client-secret', refreshToken: 'emulator-refresh-token',
    registrationExpiresAt: new Date(now + 90 * 86_400_000).toISOString(),
  }));
}

function ssoHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'aurora-sg-sso-'));
  mkdirSync(path.join(home, '.aws'));
  writeFileSync(path.join(home, '.aws', 'config'), [
    '[profile dev-sso]', 'sso_session = corp', `sso_account_id = ${ACCOUNT}`, 'sso_role_name = AuroraAuditor', `region = ${REGION}`, '',
    '[sso-session corp]', `sso_start_url = ${START_URL}`, `sso_region = ${REGION}`, 'sso_registration_scopes = sso:account:access', '',
    '[profile legacy-sso]', `sso_start_url = ${START_URL}`, `sso_region = ${REGION}`, `sso_account_id = ${ACCOUNT}`, 'sso_role_name = AuroraAuditor', `region = ${REGION}`, '',
    '[profile stale-sso]', 'sso_session = stale', `sso_account_id = ${ACCOUNT}`, 'sso_role_name = AuroraAuditor', `region = ${REGION}`, '',
    '[sso-session stale]', `sso_start_url = ${START_URL}`, `sso_region = ${REGION}`, '',
  ].join('\n'));
  cacheToken(home, 'corp', 60);
  cacheToken(home, START_URL, 60);
  // A token that ran out a day ago; its refresh token cannot be used (the emulator has no OIDC side).
  cacheToken(home, 'stale', -24 * 60);
  return home;
}

function aurora(args: string[], home: string): Promise<Ran> {
  // Nothing of the machine's AWS setup: no AWS_* variables, the config and token cache under HOME.
  return runShippedCli(args, { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' });
}

describe('SSO profiles (IAM Identity Center) against the emulator, through the shipped CLI', function () {
  this.timeout(60_000);
  let emulator: EmulatorHandle;
  const home = ssoHome();

  before(async () => { emulator = await startEmulator({ seedDir: DEMO }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  for (const profile of ['dev-sso', 'legacy-sso']) {
    it(`audits the account of an SSO profile (${profile === 'dev-sso' ? 'sso-session, as aws configure sso writes it' : 'the older form, sso_start_url in the profile'}) with one GetRoleCredentials`, async () => {
      const audit = await aurora(['audit', '--profile', profile, '--region', REGION, '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none'], home);
      assert.equal(audit.code, 0, audit.stderr);
      const report = JSON.parse(audit.stdout) as { findings: { id: string; ruleId: string; clusterId?: string; instanceId?: string; groupId?: string }[] };
      assert.deepEqual(findingKeys(report.findings as never), findingKeys(await evidenceFindings()), 'the same findings as the demo account\'s evidence');
      const portal = emulator.calls().filter((c) => c.service === 'sso');
      assert.deepEqual(portal.map((c) => `${c.action} ${c.account} ${c.outcome}`), [`GetRoleCredentials ${ACCOUNT} ok`], 'one portal call, for the profile\'s account');
      assert.ok(emulator.calls().some((c) => c.service === 'ec2' && c.account === ACCOUNT), 'the audit signed its calls with the role credentials');
    });
  }

  it('a plan made from an SSO profile names that profile, which the AWS CLI resolves the same way', async () => {
    const audit = await aurora(['audit', '--profile', 'dev-sso', '--region', REGION, '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none'], home);
    const finding = (JSON.parse(audit.stdout) as { findings: { id: string; ruleId: string }[] }).findings.find((f) => f.ruleId === 'AURSG-001')!;
    const plan = await aurora(['plan', '--profile', 'dev-sso', '--region', REGION, '--endpoint-url', emulator.url, '--finding', finding.id, '--fix', 'revoke'], home);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /aws ec2 revoke-security-group-ingress .*--profile 'dev-sso'/);
  });

  it('an expired SSO session is one clear error naming the profile and the command that renews it; nothing else is read', async () => {
    const audit = await aurora(['audit', '--profile', 'stale-sso', '--region', REGION, '--endpoint-url', emulator.url, '--format', 'json'], home);
    assert.equal(audit.code, 2, audit.stdout + audit.stderr);
    assert.match(audit.stderr, /stale-sso/);
    assert.match(audit.stderr, /aws sso login --profile stale-sso/);
    assert.deepEqual(emulator.calls().map((c) => `${c.service} ${c.action} ${c.outcome}`), ['sso CreateToken InvalidGrantException'], 'one refresh of the token, refused; no portal, EC2 or RDS call');
  });
});
