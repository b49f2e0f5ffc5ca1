// The CLI's live path end to end: --profile, --region, --all-profiles and --endpoint-url
// reach the AWS layer, which talks to the loopback emulator seeded with the demo account.

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonReport } from '../../../src/cli/report/json';
import { type EmulatorHandle, startEmulator } from '../../../tools/aws-emulator';
import { DEMO, DEMO_CONFIG, runCli } from './runCli';

async function profileEnv(): Promise<NodeJS.ProcessEnv> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-cli-live-'));
  await fs.writeFile(path.join(dir, 'credentials'), '[demo]\naws_access_key_id = AKIDEMOCLI\naws_secret_access_key = cli-secret\n');
  // A second profile that cannot work: --all-profiles lists it as an error of its own.
  await fs.writeFile(path.join(dir, 'config'), '[profile demo]\nregion = eu-west-1\n\n[profile loop]\nsource_profile = loop\nrole_arn = arn:aws:iam::123456789012:role/x\n');
  return { PATH: process.env.PATH, HOME: dir, AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_EC2_METADATA_DISABLED: 'true' };
}

describe('aurora-sg audit, live (against the emulator)', function () {
  this.timeout(60_000);
  let emulator: EmulatorHandle;
  let env: NodeJS.ProcessEnv;
  let evidence: JsonReport;
  before(async () => {
    emulator = await startEmulator({ seedDir: DEMO });
    env = await profileEnv();
    evidence = JSON.parse((await runCli(['audit', '--evidence', DEMO, '--config', DEMO_CONFIG, '--format', 'json'])).stdout) as JsonReport;
  });
  after(async () => { await emulator.close(); });

  it('gives the same findings and ids as the evidence folder, with the profile and API calls filled in', async () => {
    const result = await runCli(['audit', '--profile', 'demo', '--region', 'eu-west-1', '--endpoint-url', emulator.url, '--config', DEMO_CONFIG, '--format', 'json'], { env });
    assert.equal(result.code, 1, result.stderr);
    const live = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(live.errors, []);
    assert.deepEqual(live.findings.map((f) => f.id).sort(), evidence.findings.map((f) => f.id).sort());
    assert.ok(live.findings.every((f) => f.profile === 'demo' && f.region === 'eu-west-1' && f.location === null));
    assert.ok(live.stats.apiCalls > 0);
    assert.equal(live.stats.apiCalls, emulator.callCount());
  });

  it('--all-profiles audits the working profiles and reports the broken one, exit 2', async () => {
    const result = await runCli(['audit', '--all-profiles', '--endpoint-url', emulator.url, '--format', 'json'], { env });
    assert.equal(result.code, 2);
    const json = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(json.targets.map((t) => [t.profile, t.region]), [['demo', 'eu-west-1']]);
    assert.ok(json.findings.length > 0);
    assert.equal(json.errors.length, 1);
    assert.equal(json.errors[0]!.profile, 'loop');
    assert.match(json.errors[0]!.message, /profile loop is broken/);
  });

  it('plans a live finding with the profile and region in every command', async () => {
    const finding = evidence.findings.find((f) => f.ruleId === 'AURSG-009')!;
    const result = await runCli(['plan', '--profile', 'demo', '--endpoint-url', emulator.url, '--finding', finding.id, '--fix', 'private'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /aws rds modify-db-instance --db-instance-identifier 'analytics-pg-1' --no-publicly-accessible --apply-immediately .*--profile 'demo'/);
    assert.match(result.stdout, /--region 'eu-west-1'/);
  });
});
