// Run by the selftest through test/host/mocha-runner.cjs: a suite that sees the real vscode API.
const assert = require('node:assert/strict');
const vscode = require('vscode');

describe('mocha inside the extension host', () => {
  it('sees the vscode API', () => {
    assert.match(vscode.version, /^1\./);
  });

  it('runs a built-in command', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: '{"a": 1}', language: 'json' });
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(vscode.window.activeTextEditor, undefined);
  });
});
