import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

const COMMANDS = [
  'auroraSg.refresh', 'auroraSg.auditAll', 'auroraSg.generatePlan', 'auroraSg.runPlan', 'auroraSg.runBackout',
  'auroraSg.copyCli', 'auroraSg.showJournal', 'auroraSg.exportReport', 'auroraSg.openDemo',
];

describe('activation', () => {
  it('activates and registers every Aurora SG command', async () => {
    const api = await activateExtension();
    assert.ok(api.explorer && api.store && api.diagnostics, 'activate() returns the extension objects');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(registered.has(id), `${id} is registered`);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } };
    for (const { command } of manifest.contributes.commands) assert.ok(registered.has(command), `${command} (in package.json) has a handler`);
  });

  it('has not loaded the AWS SDK just by activating', async () => {
    await activateExtension();
    const sdk = Object.keys(require.cache).filter((m) => /[\\/]dist[\\/]aws\.js$/.test(m));
    // This file runs first and the Aurora SG view is not open yet, so nothing live has been asked for.
    assert.deepEqual(sdk, [], 'dist/aws.js (the AWS SDK bundle) is not loaded');
  });

  it('declares the view, its container and the welcome view', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { views: Record<string, { id: string }[]>; viewsWelcome: { view: string; contents: string }[]; commands: { command: string; category: string }[] };
      capabilities: { untrustedWorkspaces: { supported: string } };
    };
    assert.ok(manifest.contributes.views.auroraSg.some((v) => v.id === 'auroraSg.explorer'));
    const welcome = manifest.contributes.viewsWelcome.find((w) => w.view === 'auroraSg.explorer');
    assert.match(welcome?.contents ?? '', /command:auroraSg\.openDemo/);
    assert.ok(manifest.contributes.commands.filter((c) => COMMANDS.includes(c.command)).every((c) => c.category === 'Aurora SG'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
});
