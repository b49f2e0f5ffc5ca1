import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/extension/commands/runCommands';
import { activateExtension, loadedEmulatorRegion, stubWindow, useEmulator, waitFor } from './helpers';

const config = () => vscode.workspace.getConfiguration('auroraSg');
const MUTATING = /^(Revoke|Authorize|Create|Delete|Modify)/;

describe('running a plan against the local AWS emulator', () => {
  const emulator = useEmulator();

  it('runPlan (after a confirmation listing the exact steps) removes the finding, and runBackout restores the group exactly', async () => {
    const api = await activateExtension();
    const { sourceId } = await loadedEmulatorRegion(api);
    const source = api.store.get(sourceId)!;
    const finding = source.findings.find((f) => f.ruleId === 'AURSG-001' && f.clusterId === 'analytics-pg' && f.rule?.source.value === '0.0.0.0/0');
    assert.ok(finding, 'the emulator account has the demo\'s open analytics-pg rule');
    // Re-authorized rules get new sgr- ids, as on AWS: compare the rules themselves.
    const original = emulator().state(undefined, { ruleIds: false });

    const confirm = stubWindow('showWarningMessage', (_message, _options, button) => button);
    let outcome: RunOutcome;
    try {
      outcome = (await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' }))!;
    } finally {
      confirm.restore();
    }
    assert.equal(confirm.calls.length, 1, 'one confirmation');
    const [title, options] = confirm.calls[0] as [string, { modal: boolean; detail: string }];
    assert.match(title, /^Run 1 step\(s\) against emulator \/ eu-west-1/);
    assert.equal(options.modal, true);
    assert.match(options.detail, /^1\. aws ec2 revoke-security-group-ingress .*sg-829a038dccef503e0/m, 'the exact command is shown first');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.ok(outcome.journalId);
    assert.notDeepEqual(emulator().state(undefined, { ruleIds: false }), original, 'the account changed');
    const after = api.store.get(sourceId)!;
    assert.ok(!after.findings.some((f) => f.id === finding.id), 'the finding is gone from the refreshed source');

    const confirmBackout = stubWindow('showWarningMessage', (_message, _options, button) => button);
    let backout: RunOutcome;
    try {
      backout = (await vscode.commands.executeCommand<RunOutcome>('auroraSg.runBackout', outcome.journalId))!;
    } finally {
      confirmBackout.restore();
    }
    assert.equal(confirmBackout.calls.length, 1, 'one confirmation');
    const [backoutTitle, backoutOptions] = confirmBackout.calls[0] as [string, { modal: boolean; detail: string }];
    assert.match(backoutTitle, /^Back out run .*: 1 step\(s\) against emulator \/ eu-west-1/);
    assert.match(backoutOptions.detail, /^1\. aws ec2 authorize-security-group-ingress .*sg-829a038dccef503e0/m, 'the exact backout command is shown first');
    assert.equal(backout.ok, true, JSON.stringify(backout));
    assert.deepEqual(emulator().state(undefined, { ruleIds: false }), original, 'the backout restored the group exactly');
    await waitFor('the finding to be back', () => api.store.get(sourceId)?.findings.some((f) => f.id === finding.id));
  });

  it('runs the plan with the AWS CLI in a terminal when auroraSg.runMode is terminal, reading its exit code', async function () {
    this.timeout(90000);
    const api = await activateExtension();
    emulator().reset();
    const { sourceId } = await loadedEmulatorRegion(api);
    await api.store.reload(sourceId);
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001' && f.clusterId === 'analytics-pg' && f.rule?.source.value === '0.0.0.0/0')!;
    await config().update('runMode', 'terminal', vscode.ConfigurationTarget.Global);
    const confirm = stubWindow('showWarningMessage', (_message, _options, button) => button);
    try {
      const outcome = await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' });
      assert.equal(outcome?.mode, 'terminal');
      if (outcome?.exitCode !== undefined) assert.equal(outcome.exitCode, 0, 'the AWS CLI script exited 0 (read through shell integration)');
      // Without shell integration (it can start late on a loaded machine) the line is only sent: wait for its effect.
      else await waitFor('the CLI to revoke the rule', () => emulator().calls().some((c) => c.action === 'RevokeSecurityGroupIngress'), 60000);
    } finally {
      confirm.restore();
      await config().update('runMode', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(emulator().calls().some((c) => c.action === 'RevokeSecurityGroupIngress' && c.outcome === 'ok'), 'the CLI revoked the rule');
    await api.store.reload(sourceId);
    assert.ok(!api.store.get(sourceId)!.findings.some((f) => f.id === finding.id), 'the finding is gone after the refresh');
    emulator().reset();
    await api.store.reload(sourceId);
  });

  it('Dry Run (beside Run in the confirmation) checks the steps with EC2 DryRun and changes nothing', async () => {
    const api = await activateExtension();
    const { sourceId } = await loadedEmulatorRegion(api);
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001')!;
    const original = emulator().state(undefined, { ruleIds: false });
    const callsBefore = emulator().calls().length;
    const confirm = stubWindow('showWarningMessage', (_message, _options, ...buttons) => buttons.find((b) => b === 'Dry Run'));
    let outcome: RunOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' });
    } finally {
      confirm.restore();
    }
    assert.deepEqual(confirm.calls[0]?.slice(2), ['Run', 'Dry Run'], 'the SDK route offers a dry run beside Run');
    assert.equal(outcome?.status, 'dry-run-ok', JSON.stringify(outcome));
    assert.equal(outcome.ok, true);
    assert.equal(outcome.journalId, undefined, 'a dry run keeps no journal');
    const mutating = emulator().calls().slice(callsBefore).filter((c) => MUTATING.test(c.action));
    assert.ok(mutating.length > 0, 'the mutating step was sent');
    assert.ok(mutating.every((c) => c.outcome === 'DryRunOperation'), JSON.stringify(mutating));
    assert.deepEqual(emulator().state(undefined, { ruleIds: false }), original, 'nothing changed');
  });

  it('does nothing when the confirmation is dismissed', async () => {
    const api = await activateExtension();
    const { sourceId } = await loadedEmulatorRegion(api);
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001')!;
    const before = emulator().calls().filter((c) => MUTATING.test(c.action)).length;
    const dismiss = stubWindow('showWarningMessage', () => undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' }), undefined);
    } finally {
      dismiss.restore();
    }
    assert.equal(emulator().calls().filter((c) => MUTATING.test(c.action)).length, before);
  });
});
