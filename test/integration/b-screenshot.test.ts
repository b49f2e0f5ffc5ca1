// Early (right after activation.test), while the workspace is as a user opens it: the workbench as
// a first-time user sees the demo, saved as test artifacts:
// test-results/tree-and-problems.png (the README's picture: the tree down to a group's rules, the
// group's document with its squiggles, the Problems panel and the status bar's counts) and
// test-results/tree.png (the view alone).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuroraSgApi } from '../../src/extension/main';
import { activateExtension, child, closeEditors, diagnosticsOf, EXTENSION_ID, groupUri, REPO_ROOT, UI, waitFor, workbench } from './helpers';

describe('workbench screenshot', () => {
  it('shows the Aurora SG tree, a group with its diagnostics, the Problems panel and the counts', async function () {
    this.timeout(60000);
    const ui = workbench(this);
    const api = await activateExtension();
    await closeEditors();
    await vscode.commands.executeCommand('auroraSg.openDemo');
    await vscode.commands.executeCommand('workbench.actions.treeView.auroraSg.explorer.collapseAll');
    // A sidebar wider than the default, so the rows' descriptions read: drag its edge, as a user does.
    await vscode.commands.executeCommand('auroraSg.explorer.focus');
    const sidebar = await ui.box('.part.sidebar');
    if (sidebar && sidebar.width < 560) {
      const edge = { x: sidebar.x + sidebar.width + 1, y: sidebar.y + sidebar.height / 2 };
      await ui.drag(edge, { x: sidebar.x + 580, y: edge.y });
      await ui.hover('.part.statusbar');
    }
    const demo = await waitFor('the demo in the tree', async () => (await api.explorer.getChildren()).find((n) => n.id === 'demo'));
    const analytics = await child(api, demo, 'analytics-pg');
    const groups = await child(api, analytics.node, 'Security groups');
    const group = await child(api, groups.node, 'analytics-db');
    const exports = vscode.extensions.getExtension<AuroraSgApi>(EXTENSION_ID)!.exports;
    await exports.reveal(group.node, 1);
    const uri = groupUri(api, 'demo', 'sg-829a038dccef503e0');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('diagnostics on the group', () => diagnosticsOf(uri).length > 0);
    editor.revealRange(new vscode.Range(8, 0, 30, 0), vscode.TextEditorRevealType.AtTop);
    await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
    await ui.wait('.markers-panel .monaco-list-row:has-text("analytics-db (sg-829a038dccef503e0).json")');
    await vscode.window.showTextDocument(editor.document);
    await ui.wait(UI.statusItem);
    await ui.wait('.part.sidebar .monaco-list-row:has-text("from 0.0.0.0/0")');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await ui.screenshot('tree', { selector: '.part.sidebar' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requestScreenshot } = require(path.join(REPO_ROOT, 'test', 'host', 'screenshot.cjs')) as { requestScreenshot: (name: string) => Promise<string | undefined> };
    const file = await requestScreenshot('tree-and-problems');
    assert.ok(file, 'the host saved the screenshot');
    await closeEditors();
  });
});
