// The product's live loader against the emulator: the same findings as the evidence folder,
// throttling survived, a failing region reported on its own, collect round trip.

import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { collectEvidence, listProfiles, loadLiveInventories } from '../../src/aws';
import { auditInventory } from '../../src/rules';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { DEMO, PROFILE, REGION, evidenceFindings, findingKeys, isolatedProfileEnv } from './support/live';

describe('live audit against the emulator', () => {
  let emulator: EmulatorHandle;
  const env = isolatedProfileEnv();

  before(async () => { emulator = await startEmulator({ seedDir: DEMO }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  it('gives the same findings, with the same ids, as auditing the demo folder directly', async () => {
    const result = await loadLiveInventories({ profiles: [PROFILE], endpointUrl: emulator.url, env });
    assert.deepEqual(result.errors, []);
    assert.equal(result.inventories.length, 1);
    const live = auditInventory(result.inventories[0]!);
    const evidence = await evidenceFindings();
    assert.ok(evidence.length > 5, 'the demo account has findings to compare');
    assert.deepEqual(findingKeys(live), findingKeys(evidence));
    assert.equal(result.stats.apiCalls, emulator.callCount(), 'every call the emulator answered is counted');
    assert.equal(result.stats.apiCallsByTarget[`${PROFILE}/${REGION}`], result.stats.apiCalls);
  });

  it('finishes with 20% of calls throttled, and still gives the same findings', async () => {
    const throttled = await startEmulator({ seedDir: DEMO, throttleRate: 0.2, randomSeed: 7 });
    try {
      const result = await loadLiveInventories({
        profiles: [PROFILE], endpointUrl: throttled.url, env, maxAttempts: 2,
        retry: { throttleRetries: 8, baseDelayMs: 5, maxDelayMs: 50 },
      });
      assert.deepEqual(result.errors, []);
      assert.deepEqual(findingKeys(auditInventory(result.inventories[0]!)), findingKeys(await evidenceFindings()));
      const answered = throttled.calls().length;
      assert.ok(answered > result.stats.apiCalls, `throttled calls were retried (${answered} answered for ${result.stats.apiCalls} calls)`);
    } finally {
      await throttled.close();
    }
  });

  it('reports a failing region as an error of that target alone, the others loaded', async () => {
    const partial = await startEmulator({ seedDir: DEMO, seedRegions: ['us-east-1'], failRegions: ['ap-south-1'] });
    try {
      const result = await loadLiveInventories({ profiles: [PROFILE], regions: ['eu-west-1', 'ap-south-1', 'us-east-1', 'not a region'], endpointUrl: partial.url, env });
      assert.deepEqual(result.inventories.map((i) => i.target.region).sort(), ['eu-west-1', 'us-east-1']);
      assert.equal(result.inventories.find((i) => i.target.region === 'us-east-1')!.clusters.length, result.inventories[0]!.clusters.length);
      const failed = result.errors.find((e) => e.region === 'ap-south-1')!;
      assert.equal(failed.profile, PROFILE);
      assert.match(failed.code!, /invalid-credentials|access-denied|region-disabled/);
      assert.match(failed.message, /ap-south-1/);
      assert.match(result.errors.find((e) => e.region === 'not a region')!.message, /is not an AWS region name/);
    } finally {
      await partial.close();
    }
  });

  it('reads every enabled region with DescribeRegions when asked for all', async () => {
    const result = await loadLiveInventories({ profiles: [PROFILE], regions: 'all', endpointUrl: emulator.url, env, concurrency: 17 });
    assert.deepEqual(result.errors, []);
    assert.equal(result.inventories.length, 17);
    assert.equal(result.stats.apiCallsByAction['ec2:DescribeRegions'], 1);
  });

  it('names an unreachable endpoint, a broken profile and an unknown profile, each on its own', async () => {
    const brokenEnv = isolatedProfileEnv();
    const fs = await import('node:fs/promises');
    await fs.appendFile(brokenEnv.AWS_CONFIG_FILE!, '[profile loop]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = loop2\n[profile loop2]\nrole_arn = arn:aws:iam::1:role/y\nsource_profile = loop\n');
    assert.ok((await listProfiles(brokenEnv)).find((p) => p.name === 'loop')?.broken);
    const result = await loadLiveInventories({ profiles: [PROFILE, 'loop', 'ghost'], endpointUrl: 'http://127.0.0.1:9', env: brokenEnv, maxAttempts: 1 });
    assert.equal(result.inventories.length, 0);
    const byProfile = new Map(result.errors.map((e) => [e.profile, e]));
    assert.equal(byProfile.get(PROFILE)!.code, 'unreachable');
    assert.match(byProfile.get(PROFILE)!.message, /http:\/\/127\.0\.0\.1:9/);
    assert.equal(byProfile.get('loop')!.code, 'profile-broken');
    assert.match(byProfile.get('ghost')!.message, /not in the AWS config or credentials file/);
  });

  it('uses the environment\'s keys for "default" when the files have no default profile, as the AWS CLI does', async () => {
    const keysOnly = { AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: REGION };
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x' }); // fromEnv reads the process's environment
    try {
      const result = await loadLiveInventories({ profiles: ['default'], endpointUrl: emulator.url, env: keysOnly });
      assert.deepEqual(result.errors, []);
      assert.equal(result.inventories[0]!.target.label, `environment credentials / ${REGION}`);
      assert.equal(result.inventories[0]!.target.profile, undefined, 'the environment\'s keys are no profile: nothing may pass them as --profile');
    } finally {
      for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (value === undefined) delete process.env[key]; else process.env[key] = value;
      }
    }
  });

  it('collect writes an evidence folder that audits to the same findings as the live account', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'aurora-sg-collect-'));
    const result = await collectEvidence({ profile: PROFILE, region: REGION, outDir: out, endpointUrl: emulator.url, env });
    assert.ok(result.files.some((f) => f.endsWith('describe-security-groups.json')));
    const live = auditInventory(result.inventory);
    assert.deepEqual(findingKeys(await evidenceFindings(out)), findingKeys(live));
    assert.deepEqual(findingKeys(live), findingKeys(await evidenceFindings()));
  });
});
