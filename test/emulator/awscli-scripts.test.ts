// Debian's real AWS CLI runs the bash scripts renderScript writes, against the emulator:
// after the remediation the finding is gone; after the backout part the account equals
// the original exactly. The Debian awscli (2.9) predates AWS_ENDPOINT_URL (CLI 2.13), so
// an `aws` wrapper first on PATH adds --endpoint-url; the script itself is unchanged.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Plan } from '../../src/model/plan';
import { FIX_KINDS, type FixKind } from '../../src/model/types';
import { renderScript } from '../../src/remediation';
import { auditInventory } from '../../src/rules';
import { findAwsCli } from '../../tools/aws-emulator/awsCli';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { DEMO, REGION, isolatedProfileEnv, liveInventory, planPerFix } from './support/live';

function runBash(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [script, ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('generated remediation scripts run by the real AWS CLI against the emulator', function () {
  this.timeout(300_000);
  let emulator: EmulatorHandle;
  const env = isolatedProfileEnv();
  let shellEnv: NodeJS.ProcessEnv;
  const work = mkdtempSync(path.join(tmpdir(), 'aurora-sg-awscli-'));

  before(async () => {
    emulator = await startEmulator({ seedDir: DEMO });
    const bin = path.join(work, 'bin');
    const fs = await import('node:fs/promises');
    await fs.mkdir(bin);
    const wrapper = path.join(bin, 'aws');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${findAwsCli()}' --endpoint-url "$AURORA_SG_TEST_ENDPOINT" "$@"\n`);
    chmodSync(wrapper, 0o755);
    shellEnv = {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: env.HOME, LANG: 'C.UTF-8',
      AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE,
      AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', PYTHONIOENCODING: 'utf-8',
      AURORA_SG_TEST_ENDPOINT: emulator.url,
    };
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
});
