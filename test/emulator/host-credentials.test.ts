// Credentials with no profile and no shared files, as on AWS compute and CI runners: a web
// identity (EKS IRSA, a CI provider's OIDC token), a container's role (ECS, CodeBuild, EKS Pod
// Identity), the EC2 instance's role. The shipped CLI runs with exactly these variables; the
// emulator plays STS, the container credentials endpoint and the instance metadata service.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { DEMO, REGION, evidenceFindings, findingKeys } from './support/live';
import { awsCliShellEnv, runBash, runShippedCli } from './support/shell';

const ACCOUNT = '123456789012';

describe('credentials from the host (web identity, container role, instance role) through the shipped CLI', function () {
  this.timeout(120_000);
  let emulator: EmulatorHandle;
  const work = mkdtempSync(path.join(tmpdir(), 'aurora-sg-host-'));
  const tokenFile = path.join(work, 'token');
  writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.emulator-service-account-token.signature');
  writeFileSync(path.join(work, 'pod-identity-token'), 'emulator-pod-identity-token');
  // No shared files at all (HOME has no .aws), no profile variables.
  const bare = { PATH: process.env.PATH ?? '', HOME: work, AWS_REGION: REGION };

  before(async () => { emulator = await startEmulator({ seedDir: DEMO }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  const hosts = (): { name: string; env: NodeJS.ProcessEnv; fetch: string }[] => [
    {
      name: 'a web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)', fetch: 'sts AssumeRoleWithWebIdentity',
      env: { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/ci-auditor`, AWS_ROLE_SESSION_NAME: 'aurora-sg-ci', AWS_EC2_METADATA_DISABLED: 'true' },
    },
    {
      name: 'a container\'s role (AWS_CONTAINER_CREDENTIALS_FULL_URI with a token file, as EKS Pod Identity)', fetch: 'host ContainerCredentials',
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${emulator.url}/v2/credentials/task`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: path.join(work, 'pod-identity-token'), AWS_EC2_METADATA_DISABLED: 'true' },
    },
    {
      name: 'the EC2 instance\'s role (IMDSv2)', fetch: 'host InstanceMetadata',
      env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: emulator.url },
    },
  ];

  for (const index of [0, 1, 2]) {
    it(`audits with ${['a web identity', 'a container\'s role', 'the EC2 instance\'s role'][index]} and no profile; the plan names no profile`, async () => {
      const host = hosts()[index]!;
      const env = { ...bare, ...host.env };
      const audit = await runShippedCli(['audit', '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none'], env);
      assert.equal(audit.code, 0, `${host.name}: ${audit.stderr}`);
      const report = JSON.parse(audit.stdout) as { errors: unknown[]; findings: { id: string; ruleId: string; profile: string | null }[] };
      assert.deepEqual(report.errors, []);
      assert.deepEqual(findingKeys(report.findings as never), findingKeys(await evidenceFindings()), 'the same findings as the demo account\'s evidence');
      assert.ok(emulator.calls().some((c) => `${c.service} ${c.action}` === host.fetch && c.outcome === 'ok'), `the credentials came from ${host.fetch}`);
      assert.ok(report.findings.every((f) => f.profile === null), 'no finding names a profile');

      const finding = report.findings.find((f) => f.ruleId === 'AURSG-001')!;
      const plan = await runShippedCli(['plan', '--endpoint-url', emulator.url, '--finding', finding.id, '--fix', 'revoke'], env);
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /aws ec2 revoke-security-group-ingress/);
      assert.doesNotMatch(plan.stdout, /--profile/, 'the AWS CLI finds the same credentials by itself');
    });
  }

  it('the real AWS CLI runs a plan made from a container\'s role, under that role, and its backout restores the account', async () => {
    const host = hosts()[1]!;
    const env = { ...bare, ...host.env };
    const audit = await runShippedCli(['audit', '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none'], env);
    const finding = (JSON.parse(audit.stdout) as { findings: { id: string; ruleId: string }[] }).findings.find((f) => f.ruleId === 'AURSG-001')!;
    const plan = await runShippedCli(['plan', '--endpoint-url', emulator.url, '--finding', finding.id, '--fix', 'revoke'], env);
    const script = path.join(work, 'container-role.sh');
    writeFileSync(script, plan.stdout);
    const original = emulator.state(REGION, { ruleIds: false });
    const shell = awsCliShellEnv(work, emulator.url, { HOME: work, AWS_REGION: REGION, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...host.env });
    const fixed = await runBash(script, [], shell);
    assert.equal(fixed.code, 0, `remediation failed:\n${fixed.stderr}`);
    const again = await runShippedCli(['audit', '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none'], env);
    assert.equal((JSON.parse(again.stdout) as { findings: { id: string }[] }).findings.find((f) => f.id === finding.id), undefined, 'the finding is gone');
    const backout = await runBash(script, ['backout'], shell);
    assert.equal(backout.code, 0, `backout failed:\n${backout.stderr}`);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);
    assert.ok(emulator.calls().filter((c) => c.action === 'ContainerCredentials').length >= 3, 'the AWS CLI took its credentials from the container endpoint too');
  });

  it('with no credentials anywhere, one error says everything that was looked at, and nothing is called', async () => {
    const off = await runShippedCli(['audit', '--endpoint-url', emulator.url, '--format', 'json'], { ...bare, AWS_EC2_METADATA_DISABLED: 'true' });
    assert.equal(off.code, 2, off.stdout);
    assert.match(off.stderr, /No profile was named, there is no default profile in .*config or .*credentials, and the environment has no credentials \(AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE/);
    assert.match(off.stderr, /instance metadata service is off \(AWS_EC2_METADATA_DISABLED\)/);
    assert.deepEqual(emulator.calls(), []);

    // A metadata service that does not answer (a laptop): the same error, naming where it asked.
    const closed = 'http://127.0.0.1:9';
    const silent = await runShippedCli(['audit', '--endpoint-url', emulator.url, '--format', 'json'], { ...bare, AWS_EC2_METADATA_SERVICE_ENDPOINT: closed });
    assert.equal(silent.code, 2, silent.stdout);
    assert.match(silent.stderr, new RegExp(`no EC2 instance role answered at ${closed}`));
    assert.deepEqual(emulator.calls(), []);
  });
});
