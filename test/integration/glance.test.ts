// At a glance, as a user sees it in the workbench: the status bar's counts, the view's badge,
// the Problems panel filled without opening a document, the quick-fix menu of a line where
// several findings share a rule, an input box that keeps a wrong CIDR with its message.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fullCounts, headline, headlineTotal, summarise } from '../../src/extension/core/severity';
import { auditInventory } from '../../src/rules';
import { loadEvidenceFolder } from '../../src/sources/evidence';
import { activateExtension, closeEditors, codeOf, DEMO_DIR, diagnosticsOf, groupUri, UI, waitFor, workbench } from './helpers';

const DEMO_GROUP = 'sg-829a038dccef503e0';

describe('at a glance: the demo account in the workbench', () => {
  before(async () => {
    await activateExtension();
    await closeEditors();
    await vscode.commands.executeCommand('auroraSg.openDemo');
  });

  it('counts everything loaded by severity in the status bar, with a tooltip per source, and in the view\'s badge and description', async function () {
    const ui = workbench(this);
    const api = await activateExtension();
    assert.ok(api.store.get('demo'), 'opening the demo loaded it');
    const expected = () => summarise(api.store.all());
    const text = await waitFor('the status bar to show the counts', async () => {
      const shown = await ui.text(UI.statusItem);
      return shown.trim() === `Aurora SG: ${headline(expected().total)}` && shown;
    });
    assert.match(text.trim(), /^Aurora SG: \d+ critical, \d+ high$/);
    const badge = await waitFor('the view badge', async () => (await ui.text(UI.viewBadge)).trim() === String(headlineTotal(expected().total)));
    assert.ok(badge);
    // Counted at one moment: sources come and go (an IaC file another test closed).
    await waitFor('the view\'s description to say the same', async () => (await ui.text(UI.viewDescription)).trim() === headline(expected().total) && (await ui.text(UI.statusItem)).trim() === `Aurora SG: ${headline(expected().total)}`);
    const spoken = () => `Aurora SG: ${fullCounts(expected().total)} in ${api.store.all().length} source${api.store.all().length === 1 ? '' : 's'}`;
    await waitFor('a screen reader to hear every count', async () => (await ui.attribute(UI.statusItem, 'aria-label')) === spoken());
    await ui.hover(UI.statusItem);
    const tooltip = await waitFor('the status bar tooltip', async () => {
      const hovers = await ui.texts(UI.hover);
      return hovers.find((h) => h.includes('Click to show the Aurora SG view'));
    });
    const demoCounts = summarise([api.store.get('demo')!]).total;
    assert.match(tooltip, /Demo account: /, 'one line per source');
    for (const [severity, count] of Object.entries(demoCounts)) if (count) assert.ok(tooltip.includes(`${count} ${severity}`), `${count} ${severity} in ${tooltip}`);
    await ui.press('Escape');
    await ui.screenshot('status-bar', { selector: '.part.statusbar' });
    // A click reveals the view.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await ui.click(UI.statusItem);
    await waitFor('the Aurora SG view to be shown', async () => (await ui.count('.part.sidebar .title-label h2:text-is("Aurora SG")')) === 1);
  });

  it('lists the demo\'s findings in the Problems panel without opening any document', async function () {
    const ui = workbench(this);
    const api = await activateExtension();
    await closeEditors();
    // No test opens shared-services' document: its findings are in Problems all the same.
    const shared = groupUri(api, 'demo', 'sg-8dc4af19ce0c37454');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === shared.toString()), 'shared-services\' document was never opened');
    assert.deepEqual(diagnosticsOf(shared).map(codeOf).sort(), ['AURSG-008', 'AURSG-008', 'AURSG-010']);
    const demo = api.store.get('demo')!;
    const active = demo.findings.filter((f) => !f.suppressed);
    const uris = [...new Set(active.map((f) => groupUri(api, 'demo', (f.rule?.groupId ?? f.groupId)!).toString()))];
    const published = await waitFor('the demo\'s diagnostics', () => {
      const count = uris.reduce((n, uri) => n + diagnosticsOf(vscode.Uri.parse(uri)).length, 0);
      return count === active.length && count;
    });
    assert.equal(published, auditInventory(await loadEvidenceFolder(DEMO_DIR)).filter((f) => !f.suppressed).length, 'every finding the CLI reports for the demo');
    const ids = uris.flatMap((uri) => diagnosticsOf(vscode.Uri.parse(uri)).map(codeOf)).sort();
    assert.deepEqual(ids, active.map((f) => f.ruleId).sort());
    await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
    // The panel lists errors, warnings and information; hints (info findings, design.md section 3) show only in the editor.
    const listed = () => vscode.languages.getDiagnostics().reduce((n, [, list]) => n + list.filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint).length, 0);
    let badge = '';
    await waitFor('the Problems badge to count them', async () => {
      badge = (await ui.text(UI.problemsBadge)).trim();
      return Number(badge) === listed();
    }).catch((error) => { throw new Error(`${error instanceof Error ? error.message : error}: the badge says ${badge}, ${listed()} are listed`); });
    assert.ok(Number(badge) >= active.filter((f) => f.severity !== 'info').length, 'the demo\'s findings are among them');
    // The list draws what fits: filter it to the group, as a user would, and find it by its name.
    await vscode.commands.executeCommand('problems.action.focusFilter');
    await ui.press('Control+A');
    await ui.type('"shared-services" (sg-8dc4af19ce0c37454)');
    const row = await waitFor('the group in the Problems panel', async () => (await ui.texts('.markers-panel .monaco-list-row')).find((r) => r.includes('shared-services (sg-8dc4af19ce0c37454).json')));
    assert.match(row, /Demo account/, 'listed under the source that holds it');
    await vscode.commands.executeCommand('problems.action.focusFilter');
    await ui.press('Control+A');
    await ui.press('Delete');
  });

  it('offers each fix once in the quick-fix menu of a rule with two findings', async function () {
    const ui = workbench(this);
    const api = await activateExtension();
    const uri = groupUri(api, 'demo', DEMO_GROUP);
    // tcp 5432 from 0.0.0.0/0: AURSG-001 (the group) and AURSG-009 (the public instance) on one value.
    const onValue = await waitFor('two findings on the open rule', () => {
      const list = diagnosticsOf(uri).filter((d) => d.range.start.line === 11);
      return list.length === 2 && list;
    });
    assert.deepEqual(onValue.map(codeOf).sort(), ['AURSG-001', 'AURSG-009']);
    // VS Code offers no code actions in a read-only editor (its CodeActionModel skips them), so a
    // group document's light bulb is not to be relied on: the Problems panel's "Show fixes" is.
    await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
    // The list shows what fits: filter it to this rule, as a user would.
    await vscode.commands.executeCommand('problems.action.focusFilter');
    await ui.press('Control+A');
    await ui.type('(sg-829a038dccef503e0) allows tcp 5432 from 0.0.0.0/0');
    const row = `${UI.problemRow('AURSG-001')}:has-text("[Ln 12, Col 39]")`;
    await ui.click(row).catch(async (error) => {
      await ui.screenshot('quick-fix-debug');
      throw new Error(`${error instanceof Error ? error.message : error}; rows: ${JSON.stringify(await ui.texts('.markers-panel .monaco-list-row'))}`);
    });
    await ui.click(`${row} ${UI.showFixes}`);
    await ui.wait(UI.menuItems);
    const entries = (await ui.texts(UI.menuItems)).map((t) => t.trim()).filter(Boolean);
    await ui.screenshot('quick-fix-menu');
    await ui.press('Escape');
    await vscode.commands.executeCommand('problems.action.focusFilter');
    await ui.press('Control+A');
    await ui.press('Delete');
    assert.equal(new Set(entries).size, entries.length, `no duplicate: ${entries.join(' | ')}`);
    assert.equal(entries[0], 'Revoke the rule', entries.join(' | '));
    assert.equal(entries.filter((e) => e.startsWith('Revoke')).length, 1, 'one revoke for the rule, though two findings share it');
    assert.ok(entries.includes('Make analytics-pg-1 private'), entries.join(' | '));
    assert.deepEqual(entries.slice(-2), ['Suppress "open to anywhere" with a reason…', 'Suppress "reachable from the internet" with a reason…'], 'suppress comes last');
    assert.ok(entries.every((e) => !/AURSG-\d|preview plan/.test(e)), entries.join(' | '));
  });

  it('keeps the input open with a message when a source is not a CIDR, and plans once it is', async function () {
    const ui = workbench(this);
    const api = await activateExtension();
    await closeEditors();
    const finding = api.store.get('demo')!.findings.find((f) => f.ruleId === 'AURSG-001' && f.groupId === DEMO_GROUP && f.rule?.source.value === '0.0.0.0/0')!;
    const planned = vscode.commands.executeCommand<unknown>('auroraSg.generatePlan', { sourceId: 'demo', findingId: finding.id, fix: 'restrict' });
    await ui.wait(`${UI.quickInput} input`);
    await ui.type('10.20.0.0/16, 10.0.0.0/33');
    const message = await waitFor('the message on the wrong entry', async () => {
      const text = (await ui.texts(UI.quickInputMessage)).join(' ');
      return text.includes('10.0.0.0/33 is not a CIDR') && text;
    });
    assert.match(message, /10\.0\.0\.0\/33 is not a CIDR/);
    await ui.screenshot('invalid-cidr');
    await ui.press('Enter');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ui.wait(`${UI.quickInput} input`, 'visible', 2000);
    assert.equal(await ui.count(`${UI.quickInput}:visible`), 1, 'Enter on a wrong entry leaves the box open, the text kept');
    // Fix the mistake where it is: the rest of what was typed stays.
    for (let i = 0; i < '33'.length; i++) await ui.press('Backspace');
    await ui.type('24');
    await ui.press('Enter');
    await planned;
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'aurora-sg-plan');
    assert.match(doc!.getText(), /10\.20\.0\.0\/16/);
    assert.match(doc!.getText(), /10\.0\.0\.0\/24/);
    await closeEditors();
  });
});

describe('at a glance: sources come and go', () => {
  it('clears a source\'s problems when it goes, and the view title\'s Refresh loads everything again', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('auroraSg.openDemo');
    // A second evidence source read from the demo's files: its diagnostics are on those files.
    const copy = { id: 'evidence:glance-copy', kind: 'evidence' as const, label: 'glance copy', path: DEMO_DIR };
    await api.store.load(copy);
    const file = vscode.Uri.file(path.join(DEMO_DIR, 'describe-security-groups.json'));
    await waitFor('the copy\'s problems on its file', () => diagnosticsOf(file).length > 0);
    api.store.forget(copy.id);
    await waitFor('the copy\'s problems to go with it', () => diagnosticsOf(file).length === 0);

    const before = api.store.get('demo')!;
    const uri = groupUri(api, 'demo', DEMO_GROUP);
    await vscode.commands.executeCommand('auroraSg.refresh');
    const after = api.store.get('demo');
    assert.ok(after && after !== before, 'the demo was read again');
    assert.ok(diagnosticsOf(uri).length > 0, 'its problems stayed in the Problems panel through the refresh');

    // A node's Refresh (its context menu) reads that node's source again.
    const demo = (await api.explorer.getChildren()).find((n) => n.id === 'demo')!;
    const cluster = (await api.explorer.getChildren(demo)).find((n) => n.id.endsWith('cluster:analytics-pg'))!;
    await vscode.commands.executeCommand('auroraSg.refresh', cluster);
    assert.notEqual(api.store.get('demo'), after, 'refreshing a cluster read its source again');
  });
});
