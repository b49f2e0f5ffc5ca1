import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ruleKey } from '../../src/model/fromAws';
import type { Finding, Inventory } from '../../src/model/types';
import { renderGroupDocument } from '../../src/extension/core/groupDocument';
import { createFocuser, declaredPart } from '../../src/extension/core/focus';
import { diagnosticLevel } from '../../src/extension/core/presentation';
import { auditInventory } from '../../src/rules';
import { loadEvidenceFolder } from '../../src/sources/evidence';
import { loadIacFile } from '../../src/sources/iac';
import { activateExtension, codeOf, DEMO_DIR, diagnosticsOf, groupUri, waitFor } from './helpers';

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function workspaceEvidence(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the integration run opens a workspace with an evidence/ copy of the demo account');
  return path.join(folder, 'evidence');
}

/**
 * What the diagnostics of one file must be: every active finding located in it, on the value
 * that is wrong in an evidence file (given its text), at the reader's position in IaC.
 */
/** Where each finding's squiggle belongs: the JSON value (evidence, `text`), or the part an IaC reader located (`iac`). */
function expectedIn(file: string, findings: Finding[], text?: string, iac?: Inventory) {
  const focus = text === undefined ? undefined : createFocuser(text);
  return findings
    .filter((f) => !f.suppressed && (f.location ?? f.rule?.location)?.file === file)
    .map((f) => {
      const location = (f.location ?? f.rule?.location)!;
      const part = iac && declaredPart(f, f.rule, iac.instances.find((i) => i.instanceId === f.instanceId));
      const at = part ?? (focus ? focus(location, f) : location);
      return `${f.ruleId} ${at.start.line}:${at.start.character}-${at.end.line}:${at.end.character} ${SEVERITY[diagnosticLevel(f.severity)]}`;
    })
    .sort();
}

function shown(diagnostics: vscode.Diagnostic[]) {
  return diagnostics
    .map((d) => `${codeOf(d)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity}`)
    .sort();
}

describe('diagnostics: an evidence file in the workspace', () => {
  let uri: vscode.Uri;

  before(async () => {
    await activateExtension();
    uri = vscode.Uri.file(path.join(workspaceEvidence(), 'describe-security-groups.json'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('puts one diagnostic per finding on the value that is wrong, with rule id, severity and README link', async () => {
    const findings = auditInventory(await loadEvidenceFolder(workspaceEvidence()));
    const expected = expectedIn(uri.fsPath, findings, readFileSync(uri.fsPath, 'utf8'));
    assert.ok(expected.length >= 10, 'the demo copy has many findings in its groups file');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await waitFor('diagnostics on describe-security-groups.json', () => {
      const list = diagnosticsOf(uri);
      return list.length === expected.length && list;
    });
    assert.deepEqual(shown(diagnostics), expected);
    const critical = diagnostics.find((d) => codeOf(d) === 'AURSG-001')!;
    const code = critical.code as { value: string; target: vscode.Uri };
    assert.equal(code.target.fragment, 'aursg-001');
    assert.ok(code.target.path.endsWith('/README.md'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(critical.range), '"0.0.0.0/0"', 'the squiggle covers the CIDR, not the whole entry');
    // The message names the cluster already: a related line saying it again would add nothing.
    assert.match(critical.message, /of cluster analytics-pg/);
    assert.equal(critical.relatedInformation?.length ?? 0, 0);
  });

  it('follows an unsaved edit: the opened rule narrowed to a private /24 loses its AURSG-001', async () => {
    const editor = await vscode.window.showTextDocument(uri);
    const before = diagnosticsOf(uri);
    const open = before.find((d) => codeOf(d) === 'AURSG-001' && editor.document.getText(d.range).includes('"0.0.0.0/0"'))!;
    assert.ok(open, 'an AURSG-001 on a 0.0.0.0/0 line');
    const text = editor.document.getText(open.range);
    const at = editor.document.offsetAt(open.range.start) + text.indexOf('0.0.0.0/0');
    const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + '0.0.0.0/0'.length));
    assert.ok(await editor.edit((edit) => edit.replace(range, '10.9.8.0/24')));
    const after = await waitFor('the diagnostics to follow the edit', () => {
      const list = diagnosticsOf(uri);
      return !list.some((d) => codeOf(d) === 'AURSG-001' && d.range.isEqual(open.range)) && list;
    }, 10000);
    assert.ok(after.length < before.length, 'fewer diagnostics after narrowing the rule');
    assert.ok(editor.document.isDirty, 'judged from the unsaved text');
    const expected = expectedIn(uri.fsPath, auditInventory(await loadEvidenceFolder(workspaceEvidence(), { overrides: new Map([[uri.fsPath, editor.document.getText()]]) })), editor.document.getText());
    assert.deepEqual(shown(after), expected, 'exactly what the engine says of the edited text');
  });

  it('offers each fix once, the preferred one first, and suppress last, as quick fixes on a diagnostic', async () => {
    await vscode.window.showTextDocument(uri);
    const diagnostic = diagnosticsOf(uri).find((d) => codeOf(d) === 'AURSG-001')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const ours = actions.filter((a) => a.command?.command.startsWith('auroraSg.'));
    const titles = ours.map((a) => a.title);
    assert.equal(titles[0], 'Revoke the rule', titles.join(' | '));
    assert.equal(ours[0]!.isPreferred, true, 'without approved sources, revoke is the preferred fix');
    assert.match(titles[titles.length - 1]!, /^Suppress.*with a reason…$/);
    assert.equal(new Set(titles).size, titles.length, `no duplicate: ${titles.join(' | ')}`);
    assert.ok(titles.every((t) => !/AURSG-\d|preview plan/.test(t)), titles.join(' | '));
    assert.ok(ours.every((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value));
  });
});

describe('diagnostics: a security group virtual document', () => {
  const groupId = 'sg-829a038dccef503e0';
  let uri: vscode.Uri;

  before(async () => {
    const api = await activateExtension();
    // Opening the demo loads it, as the tree would.
    await vscode.commands.executeCommand('auroraSg.openDemo');
    uri = groupUri(api, 'demo', groupId);
  });

  it('is named for people: the source and the group\'s name, in the tab and in Problems', () => {
    assert.equal(uri.path, '/Demo account/analytics-db (sg-829a038dccef503e0).json');
  });

  it('shows the group as describe-security-groups prints it, read-only', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    const inventory = await loadEvidenceFolder(DEMO_DIR);
    const group = inventory.securityGroups.find((g) => g.groupId === groupId)!;
    assert.equal(doc.getText(), renderGroupDocument(group).text);
    assert.equal(JSON.parse(doc.getText()).SecurityGroups[0].GroupId, groupId);
    await vscode.window.showTextDocument(doc);
  });

  it('marks each risky rule on its lines, with the engine\'s rule ids and severities', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const inventory = await loadEvidenceFolder(DEMO_DIR);
    const group = inventory.securityGroups.find((g) => g.groupId === groupId)!;
    const rendered = renderGroupDocument(group);
    const findings = auditInventory(inventory).filter((f) => !f.suppressed && f.rule && (f.groupId === groupId || f.rule.groupId === groupId));
    const focus = createFocuser(rendered.text);
    const expected = findings.map((f) => {
      const span = focus(rendered.ruleRanges.get(ruleKey(f.rule!))!, f);
      return `${f.ruleId} ${span.start.line}:${span.start.character}-${span.end.line}:${span.end.character} ${SEVERITY[diagnosticLevel(f.severity)]}`;
    }).sort();
    const diagnostics = await waitFor('diagnostics on the group document', () => {
      const list = diagnosticsOf(uri);
      return list.length === expected.length && list;
    });
    assert.deepEqual(shown(diagnostics), expected);
    for (const d of diagnostics.filter((x) => codeOf(x) === 'AURSG-001')) {
      assert.match(doc.getText(d.range), /^"(0\.0\.0\.0|::)\/0"$/, 'AURSG-001 sits on the anywhere CIDR itself');
    }
  });
});

describe('diagnostics: IaC files in the workspace', () => {
  const iacFile = (name: string) => vscode.Uri.file(path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'iac', name));

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const name of ['aurora-cloudformation.yaml', 'aurora.tf']) {
    it(`marks the engine's findings on ${name}, at their declared positions`, async () => {
      const uri = iacFile(name);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const inventory = loadIacFile(uri.fsPath, doc.getText());
      const expected = expectedIn(uri.fsPath, auditInventory(inventory), undefined, inventory);
      assert.ok(expected.length > 0, `${name} declares risky rules`);
      // Counted after the audit, which adds its own notes (e.g. what it could not resolve).
      const notes = inventory.notes.filter((n) => n.level !== 'info' && n.location?.file === uri.fsPath).length;
      // Findings carry their rule id as code; problems reading the file are shown too, without one.
      const all = await waitFor(`diagnostics on ${name}`, () => {
        const list = diagnosticsOf(uri);
        return list.length === expected.length + notes && list;
      }).catch(() => diagnosticsOf(uri));
      const diagnostics = all.filter((d) => codeOf(d) !== undefined);
      assert.deepEqual(shown(diagnostics), expected);
      assert.equal(all.length - diagnostics.length, notes, 'each reading problem is shown where it is');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostics[0].range, vscode.CodeActionKind.QuickFix.value);
      assert.ok(actions.some((a) => /^Suppress.*with a reason…$/.test(a.title)), `quick fixes on ${name}`);
    });
  }

  it('follows an edit of the CloudFormation template', async () => {
    const uri = iacFile('aurora-cloudformation.yaml');
    const editor = await vscode.window.showTextDocument(uri);
    const count = () => diagnosticsOf(uri).filter((d) => codeOf(d) === 'AURSG-001').length;
    const before = await waitFor('AURSG-001 on the template', () => count() > 0 && count());
    const open = diagnosticsOf(uri).find((d) => codeOf(d) === 'AURSG-001' && editor.document.getText(d.range).includes('0.0.0.0/0'))!;
    assert.ok(open, 'an AURSG-001 on a 0.0.0.0/0 rule');
    const at = editor.document.offsetAt(open.range.start) + editor.document.getText(open.range).indexOf('0.0.0.0/0');
    await editor.edit((e) => e.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + '0.0.0.0/0'.length)), '10.1.0.0/24'));
    await waitFor('one AURSG-001 fewer after the edit', () => count() < before, 10000);
  });
});
