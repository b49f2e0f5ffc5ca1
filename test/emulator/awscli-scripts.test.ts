// Debian's real AWS CLI runs the bash scripts renderScript writes, against the emulator:
// after the remediation the finding is gone; after the backout part the account equals
// the original exactly. The Debian awscli (2.9) predates AWS_ENDPOINT_URL (CLI 2.13), so
// an `aws` wrapper first on PATH adds --endpoint-url; the script itself is unchanged.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Plan } from '../../src/model/plan';
import { FIX_KINDS, type FixKind } from '../../src/model/types';
import { renderScript } from '../../src/remediation';
import { auditInventory } from '../../src/rules';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import * as awsLayer from '../../src/aws';
import type { CliIo } from '../../src/cli/io';
import { run as runAuroraSg } from '../../src/cli/run';
import { DEMO, REGION, isolatedProfileEnv, liveInventory, planPerFix } from './support/live';
import { awsCliShellEnv, runBash } from './support/shell';

describe('generated remediation scripts run by the real AWS CLI against the emulator', function () {
  this.timeout(300_000);
  let emulator: EmulatorHandle;
  const env = isolatedProfileEnv();
  let shellEnv: NodeJS.ProcessEnv;
  const work = mkdtempSync(path.join(tmpdir(), 'aurora-sg-awscli-'));

  before(async () => {
    emulator = await startEmulator({ seedDir: DEMO });
    shellEnv = awsCliShellEnv(work, emulator.url, { HOME: env.HOME, AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE });
  });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  const planFor = (fix: FixKind): Promise<Plan> => planPerFix(emulator.url, env, fix);

  for (const fix of FIX_KINDS) {
    it(`${fix}: the script removes the finding and its backout restores the account exactly`, async () => {
      const original = emulator.state(REGION, { ruleIds: false });
      const plan = await planFor(fix);
      const script = path.join(work, `${fix}.sh`);
      writeFileSync(script, renderScript(plan, 'bash'));

      const fixRun = await runBash(script, [], shellEnv);
      assert.equal(fixRun.code, 0, `remediation failed:\n${fixRun.stderr}`);
      const after = auditInventory(await liveInventory(emulator.url, env));
      assert.equal(after.find((f) => f.id === plan.findingId), undefined, 'the finding is gone');
      assert.ok(emulator.calls().some((c) => /Authorize|Revoke|Modify|Create/.test(c.action)), 'the AWS CLI reached the emulator');

      const backout = await runBash(script, ['backout'], shellEnv);
      assert.equal(backout.code, 0, `backout failed:\n${backout.stderr}`);
      assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);
    });
  }

  // Issue 7, bug 1: with keys in the environment (CI, aws-vault exec, an exported SSO session) and no
  // profile at all, the script named `--profile 'env'` and the AWS CLI stopped with "The config
  // profile (env) could not be found".
  it('with credentials from the environment only, aurora-sg plan names no profile and the real AWS CLI runs the script and its backout', async () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIAENVONLY', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_REGION: REGION };
    const noFiles = { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const cli = async (args: string[]) => {
      let out = '';
      let err = '';
      const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: work, env: { PATH: process.env.PATH, ...keys, ...noFiles }, isTTY: false, loadAws: async () => awsLayer };
      const code = await runAuroraSg(args, io);
      return { code, out, err };
    };
    const saved = { ...process.env };
    Object.assign(process.env, keys, noFiles); // the SDK's fromEnv reads the process's environment
    try {
      const audit = await cli(['audit', '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none']);
      assert.equal(audit.code, 0, audit.err);
      const report = JSON.parse(audit.out) as { errors: unknown[]; findings: { id: string; ruleId: string; profile: string | null }[] };
      assert.deepEqual(report.errors, []);
      const finding = report.findings.find((f) => f.ruleId === 'AURSG-001');
      assert.ok(finding, 'the environment credentials audit the emulated account');
      assert.equal(finding.profile, null, 'no profile is named: the credentials came from the environment');

      const plan = await cli(['plan', '--endpoint-url', emulator.url, '--finding', finding.id, '--fix', 'revoke']);
      assert.equal(plan.code, 0, plan.err);
      assert.doesNotMatch(plan.out, /--profile/);
      const script = path.join(work, 'env-credentials.sh');
      writeFileSync(script, plan.out);

      const original = emulator.state(REGION, { ruleIds: false });
      const envOnly = { ...shellEnv, ...keys, ...noFiles };
      const fixRun = await runBash(script, [], envOnly);
      assert.equal(fixRun.code, 0, `remediation failed:\n${fixRun.stderr}`);
      const after = await cli(['audit', '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none']);
      assert.equal((JSON.parse(after.out) as { findings: { id: string }[] }).findings.find((f) => f.id === finding.id), undefined, 'the finding is gone');
      const backout = await runBash(script, ['backout'], envOnly);
      assert.equal(backout.code, 0, `backout failed:\n${backout.stderr}`);
      assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);
    } finally {
      for (const key of [...Object.keys(keys), ...Object.keys(noFiles)]) {
        if (saved[key] === undefined) delete process.env[key]; else process.env[key] = saved[key];
      }
    }
  });
});
