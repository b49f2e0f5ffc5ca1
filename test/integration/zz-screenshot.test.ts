// Last: leaves the workbench showing the tree, a group document with its squiggles and the
// Problems panel, and saves that as a test artifact (test-results/tree-and-problems.png).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SCHEME, virtualDocPath } from '../../src/extension/core/uris';
import { activateExtension, diagnosticsOf, REPO_ROOT, waitFor } from './helpers';

describe('workbench screenshot', () => {
  it('shows the Aurora SG tree, a group with its diagnostics and the Problems panel', async function () {
    this.timeout(60000);
    await activateExtension();
    await vscode.commands.executeCommand('auroraSg.openDemo');
    await vscode.commands.executeCommand('auroraSg.explorer.focus');
    const uri = vscode.Uri.from({ scheme: SCHEME, path: virtualDocPath({ sourceId: 'demo', kind: 'group', id: 'sg-829a038dccef503e0' }) });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('diagnostics on the group', () => diagnosticsOf(uri).length > 0);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requestScreenshot } = require(path.join(REPO_ROOT, 'test', 'host', 'screenshot.cjs')) as { requestScreenshot: (name: string) => Promise<string | undefined> };
    const file = await requestScreenshot('tree-and-problems');
    if (process.env.VSCODE_HOST_RESULTS_DIR) assert.ok(file, 'the host saved the screenshot');
  });
});
