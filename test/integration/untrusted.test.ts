// Runs in a separate host session with workspace trust on and the folder untrusted.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, loadedEmulatorRegion, stubWindow, useEmulator } from './helpers';

describe('an untrusted workspace', () => {
  before(() => assert.equal(vscode.workspace.isTrusted, false, 'this suite runs in Restricted Mode'));
  const emulator = useEmulator();

  it('browses the live account and copies its CLI, but cannot run a plan or a backout', async () => {
    const api = await activateExtension();
    const { sourceId, clusters } = await loadedEmulatorRegion(api);
    assert.ok(clusters.length >= 4, 'the tree still shows the account');
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001')!;

    const copied = await vscode.commands.executeCommand<string>('auroraSg.copyCli', { sourceId, findingId: finding.id, fix: 'revoke' });
    assert.match(copied ?? '', /^aws ec2 revoke-security-group-ingress/);

    const warnings = stubWindow('showWarningMessage', () => 'Run');
    try {
      assert.equal(await vscode.commands.executeCommand('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' }), undefined);
      assert.equal(await vscode.commands.executeCommand('auroraSg.runBackout', 'any-journal-id'), undefined);
    } finally {
      warnings.restore();
    }
    assert.ok(warnings.calls.every((c) => /untrusted workspace/.test(String(c[0]))), 'the user is told why');
    assert.equal(warnings.calls.length, 2);
    assert.deepEqual(emulator().calls().filter((c) => /^(Revoke|Authorize|Create|Delete|Modify)/.test(c.action)), [], 'nothing was changed');
  });
});
