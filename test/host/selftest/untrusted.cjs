// Selftest tests module for --trust: the opened folder must be in Restricted Mode.
const assert = require('node:assert/strict');
const vscode = require('vscode');

async function run() {
  assert.equal(vscode.workspace.getConfiguration('security.workspace.trust').get('enabled'), true, 'trust enabled');
  assert.equal(vscode.workspace.isTrusted, false, 'a fresh profile does not trust the opened folder');
  // An extension that declares untrustedWorkspaces support still runs in Restricted Mode.
  assert.equal(await vscode.commands.executeCommand('auroraHostFixture.ping', 'x'), 'pong: x');
  console.log('selftest untrusted: folder is in Restricted Mode');
}

module.exports = { run };
