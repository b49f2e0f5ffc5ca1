// Selftest tests module that must fail: proves a rejected run() makes the driver exit 1.
const assert = require('node:assert/strict');
const vscode = require('vscode');

async function run() {
  assert.equal(vscode.workspace.workspaceFolders?.length, 1, 'a folder is open');
  assert.equal(vscode.version, '0.0.0', 'deliberately false: this run must fail');
}

module.exports = { run };
