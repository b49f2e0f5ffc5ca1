// Runs in a separate host session with workspace trust on and the folder untrusted.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, loadedEmulatorRegion, stubWindow, useEmulator, waitFor } from './helpers';

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

  it('ignores an organization named in the workspace\'s settings (it would steer AWS calls and assume roles)', async () => {
    const api = await activateExtension();
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const file = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify({ 'auroraSg.organizations': [{ profile: 'org-admin' }], 'auroraSg.preferredShell': 'powershell' })));
    try {
      // The file is read (an unrestricted setting beside it takes effect); the organization is not.
      await waitFor('the workspace settings to be read', () => vscode.workspace.getConfiguration('auroraSg').get('preferredShell') === 'powershell');
      assert.deepEqual(vscode.workspace.getConfiguration('auroraSg').get('organizations'), []);
      const roots = await api.explorer.getChildren();
      assert.equal(roots.filter((n) => api.explorer.getTreeItem(n).contextValue === 'auroraSg.organization').length, 0);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });
});
