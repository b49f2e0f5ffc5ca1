// Selftest tests module that must pass: proves the host gives a real VS Code API, loads the
// extension under development, applies settings and environment, and takes screenshots.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const vscode = require('vscode');
const { requestScreenshot } = require('../screenshot.cjs');
const { driver, hasDriver } = require('../driver.cjs');

async function run() {
  assert.match(vscode.version, /^1\.\d+\.\d+/, 'vscode.version');
  assert.equal(vscode.env.uiKind, vscode.UIKind.Web, 'code-server runs the web workbench');
  assert.ok(vscode.env.remoteName, 'the extension host is a remote one');

  assert.equal(await vscode.commands.executeCommand('auroraHostFixture.ping', 'hi'), 'pong: hi');
  const fixture = vscode.extensions.getExtension('aurora-sg.aurora-sg-host-fixture');
  assert.ok(fixture?.isActive, 'fixture extension active after its command ran');

  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.deepEqual(folders.map((f) => f.uri.fsPath), [process.env.HOST_SELFTEST_WORKSPACE], 'opened folder');
  assert.equal(vscode.workspace.isTrusted, true, 'trust is off, so the folder counts as trusted');

  assert.equal(vscode.workspace.getConfiguration('telemetry').get('telemetryLevel'), 'off', 'default user settings');
  assert.equal(vscode.workspace.getConfiguration('editor').get('tabSize'), 7, '--settings reached the user settings');

  // Tests check "copy CLI" commands through the clipboard: it must round-trip in headless Chromium.
  await vscode.env.clipboard.writeText('aws ec2 describe-security-groups --group-ids sg-0123');
  assert.equal(await vscode.env.clipboard.readText(), 'aws ec2 describe-security-groups --group-ids sg-0123', 'clipboard');

  const doc = await vscode.workspace.openTextDocument({ content: 'selftest', language: 'plaintext' });
  await vscode.window.showTextDocument(doc);
  const shot = await requestScreenshot('host-selftest');
  assert.ok(shot && fs.statSync(shot).size > 10000, `screenshot ${shot} saved`);

  // The driver endpoint: tests read and use the workbench as a user does.
  assert.ok(hasDriver(), 'VSCODE_HOST_DRIVER is set for the tests');
  await vscode.window.setStatusBarMessage('selftest status text', 20000);
  const status = await driver.text('.part.statusbar');
  assert.match(status, /selftest status text/, 'the driver reads what the workbench shows');
  assert.equal(await driver.count('.part.statusbar'), 1);
  const part = await driver.screenshot('host-selftest-driver', { selector: '.part.statusbar' });
  assert.ok(fs.statSync(part).size > 100, `element screenshot ${part} saved`);
  await assert.rejects(driver.text('.no-such-element', 500), /no-such-element/, 'a missing element is an error naming it');

  console.log('selftest pass: every check held');
}

module.exports = { run };
