// The live commands of aurora-sg, in-process, against the emulator: apply asks (or needs
// --yes), runs and journals; journal lists; backout restores; collect writes evidence.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as awsLayer from '../../src/aws';
import type { CliIo } from '../../src/cli/io';
import { run } from '../../src/cli/run';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { DEMO, PROFILE, REGION, evidenceFindings, findingKeys, isolatedProfileEnv } from './support/live';

interface Captured { io: CliIo; out: () => string; err: () => string }

function captureIo(env: NodeJS.ProcessEnv, answers?: string[]): Captured {
  let out = '';
  let err = '';
  // The bundle resolves the CLI's import('../aws') to dist/aws.js; in-process, hand the layer in.
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: process.cwd(), env, isTTY: false, loadAws: async () => awsLayer };
  if (answers) io.prompt = async (question) => { err += question; return answers.shift() ?? ''; };
  return { io, out: () => out, err: () => err };
}

describe('aurora-sg apply, backout, journal and collect against the emulator', function () {
  this.timeout(120_000);
  let emulator: EmulatorHandle;
  const env = isolatedProfileEnv();

  before(async () => { emulator = await startEmulator({ seedDir: DEMO }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  async function aFinding(ruleId: string): Promise<string> {
    const audit = captureIo(env);
    const code = await run(['audit', '--profile', PROFILE, '--endpoint-url', emulator.url, '--format', 'json', '--fail-on', 'none'], audit.io);
    assert.equal(code, 0, audit.err());
    const report = JSON.parse(audit.out()) as { findings: { id: string; ruleId: string }[]; stats: { apiCalls: number } };
    assert.ok(report.stats.apiCalls > 0, 'the JSON stats count the API calls');
    const finding = report.findings.find((f) => f.ruleId === ruleId);
    assert.ok(finding, `the demo account has a ${ruleId} finding`);
    return finding.id;
  }

  it('apply shows the steps and refuses to run unconfirmed without a terminal; "n" runs nothing', async () => {
    const id = await aFinding('AURSG-001');
    const before = emulator.state(REGION);
    const journal = mkdtempSync(path.join(tmpdir(), 'aurora-sg-cli-journal-'));
    const args = ['apply', '--profile', PROFILE, '--endpoint-url', emulator.url, '--finding', id, '--fix', 'revoke', '--journal', journal];
    const silent = captureIo(env);
    assert.equal(await run(args, silent.io), 2);
    assert.match(silent.err(), /aws ec2 revoke-security-group-ingress --group-id 'sg-/);
    assert.match(silent.err(), /pass --yes/);
    const declined = captureIo(env, ['n']);
    assert.equal(await run(args, declined.io), 1);
    assert.match(declined.err(), /Run these 1 step\(s\) against demo \/ eu-west-1\? \[y\/N\]/);
    assert.deepEqual(emulator.state(REGION), before, 'nothing ran');
  });

  it('apply --yes runs and verifies, journal lists the run, backout restores the account', async () => {
    const id = await aFinding('AURSG-001');
    const original = emulator.state(REGION, { ruleIds: false });
    const journal = mkdtempSync(path.join(tmpdir(), 'aurora-sg-cli-journal-'));
    const apply = captureIo(env);
    assert.equal(await run(['apply', '--profile', PROFILE, '--endpoint-url', emulator.url, '--finding', id, '--fix', 'revoke', '--journal', journal, '--yes'], apply.io), 0, apply.err());
    assert.match(apply.out(), new RegExp(`Verified: finding ${id} is gone`));
    const runId = /undo with: aurora-sg backout (\S+)\)/.exec(apply.out())?.[1];
    assert.ok(runId, apply.out());

    const list = captureIo(env);
    assert.equal(await run(['journal', '--journal', journal], list.io), 0);
    assert.match(list.out(), new RegExp(`${runId}\\s+run\\s+completed\\s+1/1 steps\\s+demo / eu-west-1`));

    const back = captureIo(env, ['y']);
    assert.equal(await run(['backout', runId, '--journal', journal], back.io), 0, back.err());
    assert.match(back.out(), /as they were before it/);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);

    const detail = captureIo(env);
    assert.equal(await run(['journal', runId, '--journal', journal, '--format', 'json'], detail.io), 0);
    assert.equal((JSON.parse(detail.out()) as { backedOutBy: string[] }).backedOutBy.length, 1);
  });

  it('apply --plan runs a plan saved by "aurora-sg plan --format json"', async () => {
    const id = await aFinding('AURSG-001');
    const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-cli-plan-'));
    const plan = captureIo(env);
    assert.equal(await run(['plan', '--profile', PROFILE, '--endpoint-url', emulator.url, '--finding', id, '--fix', 'revoke', '--format', 'json'], plan.io), 0, plan.err());
    const planFile = path.join(dir, 'plan.json');
    writeFileSync(planFile, plan.out());
    const apply = captureIo(env);
    assert.equal(await run(['apply', '--plan', planFile, '--endpoint-url', emulator.url, '--journal', path.join(dir, 'journal'), '--yes'], apply.io), 0, apply.err());
    assert.match(apply.out(), new RegExp(`finding ${id} is gone`));
    writeFileSync(planFile, '{"steps": "no"}');
    const bad = captureIo(env);
    assert.equal(await run(['apply', '--plan', planFile, '--yes'], bad.io), 2);
    assert.match(bad.err(), /is not a plan as "aurora-sg plan --format json" writes it/);
  });

  it('apply --dry-run checks with DryRun and changes nothing', async () => {
    const id = await aFinding('AURSG-001');
    const before = emulator.state(REGION);
    const dry = captureIo(env);
    assert.equal(await run(['apply', '--profile', PROFILE, '--endpoint-url', emulator.url, '--finding', id, '--fix', 'revoke', '--dry-run', '--journal', mkdtempSync(path.join(tmpdir(), 'j-'))], dry.io), 0, dry.err());
    assert.match(dry.err(), /DryRunOperation/);
    assert.deepEqual(emulator.state(REGION), before);
  });

  it('collect writes an evidence folder that audits like the account', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'aurora-sg-cli-collect-'));
    const collect = captureIo(env);
    assert.equal(await run(['collect', '--profile', PROFILE, '--region', REGION, '--endpoint-url', emulator.url, '--out', out], collect.io), 0, collect.err());
    assert.match(collect.out(), /Wrote 11 files/);
    assert.deepEqual(findingKeys(await evidenceFindings(out)), findingKeys(await evidenceFindings()));
  });

  it('says what is wrong with a bad journal id, a missing --out, and an unknown profile', async () => {
    const bad = captureIo(env);
    assert.equal(await run(['backout', '../x', '--journal', mkdtempSync(path.join(tmpdir(), 'j-'))], bad.io), 2);
    assert.match(bad.err(), /not a journal id/);
    const noOut = captureIo(env);
    assert.equal(await run(['collect', '--profile', PROFILE], noOut.io), 2);
    assert.match(noOut.err(), /--out DIR/);
    const ghost = captureIo(env);
    assert.equal(await run(['collect', '--profile', 'ghost', '--out', mkdtempSync(path.join(tmpdir(), 'c-'))], ghost.io), 2);
    assert.match(ghost.err(), /profile "ghost" is not in the AWS config/);
  });
});
