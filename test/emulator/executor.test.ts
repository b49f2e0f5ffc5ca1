// The executor and the backout against the emulator: every fix kind round-trips to the
// original state, drift stops a run, a dry run changes nothing, and a run killed with
// SIGKILL between (or during) steps is backed out from its journal.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RevokeSecurityGroupIngressCommand, EC2Client } from '@aws-sdk/client-ec2';
import { backoutRun, listRuns, readRun, runPlan, type RunEvent } from '../../src/aws';
import type { Plan } from '../../src/model/plan';
import { FIX_KINDS, type FixKind } from '../../src/model/types';
import { auditInventory } from '../../src/rules';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { DEMO, REGION, isolatedProfileEnv, liveInventory, planPerFix } from './support/live';

describe('executor and backout against the emulator', () => {
  let emulator: EmulatorHandle;
  const env = isolatedProfileEnv();
  const newJournal = () => mkdtempSync(path.join(tmpdir(), 'aurora-sg-journal-'));

  before(async () => { emulator = await startEmulator({ seedDir: DEMO }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  const planFor = (fix: FixKind): Promise<Plan> => planPerFix(emulator.url, env, fix);

  for (const fix of FIX_KINDS) {
    it(`${fix}: the finding is gone after the run; after the backout the account equals the original`, async () => {
      const original = emulator.state(REGION, { ruleIds: false });
      const plan = await planFor(fix);
      const journalDir = newJournal();
      const events: RunEvent['type'][] = [];
      const result = await runPlan(plan, { journalDir, endpointUrl: emulator.url, env, onStep: (e) => { events.push(e.type); } });
      assert.equal(result.status, 'completed', result.message);
      assert.equal(result.verification?.ok, true, result.verification?.message);
      const after = auditInventory(await liveInventory(emulator.url, env));
      assert.equal(after.find((f) => f.id === plan.findingId), undefined, 'the finding is gone');
      assert.notDeepEqual(emulator.state(REGION, { ruleIds: false }), original, 'the run changed the account');
      assert.ok(events.includes('step-done') && events.includes('verify'));

      const journal = await readRun(journalDir, result.journalId!);
      assert.equal(journal.status, 'completed');
      assert.ok(journal.steps.every((s) => s.status === 'done'));
      assert.ok(journal.before.securityGroups.length > 0, 'the state before is journaled');

      const back = await backoutRun(result.journalId!, { journalDir, endpointUrl: emulator.url, env });
      assert.equal(back.status, 'completed', back.message);
      assert.equal(back.verification?.ok, true, `${back.verification?.message} ${back.verification?.details?.join('; ')}`);
      assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);
      const runs = await listRuns(journalDir);
      assert.deepEqual(runs.map((r) => r.kind).sort(), ['backout', 'run']);
      assert.equal(runs.find((r) => r.kind === 'backout')!.backoutOf, result.journalId);
    });
  }

  it('stops on drift before the step and says exactly what changed', async () => {
    const plan = await planFor('revoke');
    const rule = plan.steps[0]!.preconditions.find((p) => p.kind === 'ruleExists');
    assert.ok(rule && rule.kind === 'ruleExists');
    // Someone else revokes the rule between planning and running.
    const ec2 = new EC2Client({ endpoint: emulator.url, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: rule.rule.groupId, SecurityGroupRuleIds: [rule.rule.ruleId!] }));
    ec2.destroy();
    const changed = emulator.state(REGION);
    const journalDir = newJournal();
    const result = await runPlan(plan, { journalDir, endpointUrl: emulator.url, env });
    assert.equal(result.status, 'drift');
    assert.match(result.drift!.join(' '), new RegExp(`is no longer on ${rule.rule.groupId}`));
    assert.match(result.message, /account changed/);
    assert.deepEqual(emulator.state(REGION), changed, 'nothing was run');
    const journal = await readRun(journalDir, result.journalId!);
    assert.equal(journal.status, 'drift');
    assert.equal(journal.steps[0]!.status, 'skipped');
  });

  for (const fix of ['dedicated-sg', 'restrict'] as FixKind[]) {
    it(`dry run (${fix}) checks every EC2 step with DryRun and changes nothing`, async () => {
      const plan = await planFor(fix);
      const before = emulator.state(REGION);
      const journalDir = newJournal();
      const result = await runPlan(plan, { journalDir, endpointUrl: emulator.url, env, dryRun: true });
      assert.equal(result.status, 'dry-run-ok', result.message);
      assert.deepEqual(emulator.state(REGION), before);
      assert.deepEqual(readdirSync(journalDir), [], 'a dry run writes no journal');
      const checked = result.steps.filter((s) => /DryRunOperation/.test(s.message ?? '')).length;
      assert.ok(checked >= 1, 'at least one EC2 step was dry-run');
    });
  }

  it('a dry run reports a step AWS would refuse', async () => {
    const plan = await planFor('restrict');
    const authorize = plan.steps.find((s) => s.sdkCommand === 'AuthorizeSecurityGroupIngressCommand')!;
    authorize.sdkInput = { ...authorize.sdkInput, GroupId: 'sg-0000000000000dead' };
    authorize.preconditions = [];
    const result = await runPlan(plan, { journalDir: newJournal(), endpointUrl: emulator.url, env, dryRun: true });
    assert.equal(result.status, 'dry-run-failed');
    assert.match(result.message, /sg-0000000000000dead/);
  });

  it('cancels between steps; the cancelled run backs out to the original', async () => {
    const original = emulator.state(REGION, { ruleIds: false });
    const plan = await planFor('dedicated-sg');
    const controller = new AbortController();
    const journalDir = newJournal();
    const result = await runPlan(plan, { journalDir, endpointUrl: emulator.url, env, signal: controller.signal, onStep: (e) => { if (e.type === 'step-done' && e.index === 0) controller.abort(); } });
    assert.equal(result.status, 'cancelled');
    assert.equal(result.steps.filter((s) => s.status === 'done').length, 1);
    const back = await backoutRun(result.journalId!, { journalDir, endpointUrl: emulator.url, env });
    assert.equal(back.status, 'completed', back.message);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);
  });

  for (const pause of ['step-done:1', 'step-start:2']) {
    it(`a run killed with SIGKILL (${pause}) is backed out from its journal to the original state`, async function () {
      this.timeout(120_000);
      const original = emulator.state(REGION, { ruleIds: false });
      const plan = await planFor('dedicated-sg');
      assert.ok(plan.steps.length >= 3, 'a plan with at least three steps');
      const work = mkdtempSync(path.join(tmpdir(), 'aurora-sg-kill-'));
      const journalDir = path.join(work, 'journal');
      const planFile = path.join(work, 'plan.json');
      const ready = path.join(work, 'ready');
      writeFileSync(planFile, JSON.stringify(plan));
      const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'support', 'run-plan-child.ts'), planFile, journalDir, emulator.url, pause, ready], {
        env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      const deadline = Date.now() + 90_000;
      while (!existsSync(ready)) {
        if (child.exitCode !== null || Date.now() > deadline) assert.fail(`the child never paused: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');

      const [summary] = await listRuns(journalDir);
      assert.ok(summary, 'the killed run left its journal');
      assert.equal(summary.status, 'running', 'the journal shows the run never finished');
      assert.equal(summary.interrupted, true, 'and that its process is gone');
      const journal = await readRun(journalDir, summary.id);
      if (pause.startsWith('step-start')) assert.equal(journal.steps[2]!.status, 'running');
      assert.notDeepEqual(emulator.state(REGION, { ruleIds: false }), original, 'the killed run had changed the account');

      const back = await backoutRun(summary.id, { journalDir, endpointUrl: emulator.url, env });
      assert.equal(back.status, 'completed', back.message);
      assert.deepEqual(emulator.state(REGION, { ruleIds: false }), original);
    });
  }

  it('refuses to back out a run whose process is still alive', async () => {
    const plan = await planFor('revoke');
    const journalDir = newJournal();
    const result = await runPlan(plan, { journalDir, endpointUrl: emulator.url, env, verify: false });
    const journal = await readRun(journalDir, result.journalId!);
    journal.status = 'running';
    journal.owner = { pid: process.ppid, host: journal.owner!.host };
    writeFileSync(path.join(journalDir, `${journal.id}.json`), JSON.stringify(journal));
    await assert.rejects(backoutRun(journal.id, { journalDir, endpointUrl: emulator.url, env }), /is still running \(process \d+/);
  });
});
