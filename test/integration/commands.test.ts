import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildPlan, renderCommandLine } from '../../src/remediation';
import { auditInventory } from '../../src/rules';
import { loadEvidenceFolder } from '../../src/sources/evidence';
import { activateExtension, closeEditors, DEMO_DIR, diagnosticsOf, codeOf, groupUri, stubWindow, waitFor } from './helpers';

async function demoFinding(ruleId: string, clusterId: string) {
  const inventory = await loadEvidenceFolder(DEMO_DIR);
  const finding = auditInventory(inventory).find((f) => f.ruleId === ruleId && f.clusterId === clusterId && f.rule?.source.value === '0.0.0.0/0');
  if (!finding) throw new Error(`the demo has no ${ruleId} on ${clusterId} from 0.0.0.0/0`);
  return { inventory, finding };
}

describe('commands on the demo account', () => {
  before(async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('auroraSg.openDemo');
    await api.store.load({ id: 'demo', kind: 'demo', label: 'Demo account', path: DEMO_DIR });
  });

  it('copyCli puts the exact remediation CLI on the clipboard', async () => {
    const { inventory, finding } = await demoFinding('AURSG-001', 'analytics-pg');
    const plan = buildPlan({ finding, inventory, fix: 'revoke' });
    const expected = plan.steps.map((s) => renderCommandLine(s.cli, 'bash')).join('\n') + '\n';
    assert.match(expected, /^aws ec2 revoke-security-group-ingress --group-id 'sg-829a038dccef503e0' --security-group-rule-ids 'sgr-[0-9a-f]+'/);
    await vscode.env.clipboard.writeText('');
    const copied = await vscode.commands.executeCommand<string>('auroraSg.copyCli', { sourceId: 'demo', findingId: finding.id, fix: 'revoke' });
    assert.equal(copied, expected);
    assert.equal(await vscode.env.clipboard.readText(), expected);
  });

  it('copyCli from the palette asks for the finding and the fix with quick picks', async () => {
    const { inventory, finding } = await demoFinding('AURSG-001', 'analytics-pg');
    const expected = buildPlan({ finding, inventory, fix: 'revoke' }).steps.map((s) => renderCommandLine(s.cli, 'bash')).join('\n') + '\n';
    const titles: string[] = [];
    const picks = stubWindow('showQuickPick', (items, options) => {
      titles.push(String((options as vscode.QuickPickOptions).title));
      const list = items as { label: string; description?: string; candidate?: { finding: { id: string } }; fix?: string }[];
      return list.find((i) => i.candidate?.finding.id === finding.id) ?? list.find((i) => i.fix === 'revoke');
    });
    try {
      assert.equal(await vscode.commands.executeCommand<string>('auroraSg.copyCli'), expected);
    } finally {
      picks.restore();
    }
    assert.deepEqual(titles, ['Aurora SG: copy the remediation CLI', 'Aurora SG: fix Database port open to anywhere']);
  });

  it('generatePlan opens the plan as a read-only document named for people, and openPlanScript the same plan as a script', async () => {
    const { finding } = await demoFinding('AURSG-001', 'analytics-pg');
    await vscode.commands.executeCommand('auroraSg.generatePlan', { sourceId: 'demo', findingId: finding.id, fix: 'revoke' });
    const preview = vscode.window.activeTextEditor?.document;
    assert.equal(preview?.uri.scheme, 'aurora-sg-plan', 'a read-only document, not an untitled editor');
    assert.equal(preview.isUntitled, false);
    assert.equal(preview.languageId, 'markdown');
    assert.match(preview.uri.path, /^\/Demo account\/Revoke ingress tcp 5432 from 0\.0\.0\.0\u22150 on sg-829a038dccef503e0\.md$/);
    const text = preview.getText();
    assert.match(text, /revoke-security-group-ingress/);
    assert.match(text, /^> From Demo account, saved evidence/, 'the source is named for people');
    assert.ok(!text.includes(DEMO_DIR), 'never by the folder the extension is installed in');
    assert.ok(!/aurora-sg (apply|plan|backout)/.test(text), 'no advice to use a CLI the extension does not ship');
    const edited = await vscode.window.activeTextEditor!.edit((e) => e.insert(new vscode.Position(0, 0), 'x'));
    assert.equal(edited && preview.getText().startsWith('x'), false, 'the plan cannot be changed');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', preview.uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['$(copy) Copy', '$(file-code) Open as Script'], 'evidence plans are copied or scripted, not run');
    const script = await vscode.commands.executeCommand<vscode.TextDocument>('auroraSg.openPlanScript', preview.uri);
    assert.equal(script.uri.scheme, 'aurora-sg-plan');
    assert.equal(script.languageId, 'shellscript');
    assert.match(script.getText(), /aws ec2 revoke-security-group-ingress/);
    assert.match(script.getText(), /aws ec2 authorize-security-group-ingress/, 'the backout is in the script');
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, 0, 'no unsaved editor was opened');
    await closeEditors();
  });

  it('suppress writes auroraSg.suppressions with the reason, and the finding leaves the Problems', async () => {
    const { finding } = await demoFinding('AURSG-001', 'analytics-pg');
    const uri = groupUri(await activateExtension(), 'demo', finding.groupId!);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const count = () => diagnosticsOf(uri).filter((d) => codeOf(d) === 'AURSG-001').length;
    const before = await waitFor('AURSG-001 diagnostics on the group', () => count() > 0 && count());
    const config = vscode.workspace.getConfiguration('auroraSg');
    try {
      await vscode.commands.executeCommand('auroraSg.suppress', { sourceId: 'demo', findingId: finding.id }, 'fronted by a WAF for the test');
      const written = vscode.workspace.getConfiguration('auroraSg').get<{ ruleId: string; reason: string; findingId: string }[]>('suppressions')!;
      assert.deepEqual(written.map((s) => [s.ruleId, s.reason, s.findingId]), [['AURSG-001', 'fronted by a WAF for the test', finding.id]]);
      await waitFor('one AURSG-001 fewer', () => count() === before - 1);
    } finally {
      await config.update('suppressions', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('suppressions', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the suppression to be lifted', () => count() === before);
    await closeEditors();
  });

  it('configureProfile leaves the AWS config file unchanged until the user confirms what it shows', async () => {
    const configFile = process.env.AWS_CONFIG_FILE!;
    const credentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE!;
    const before = { config: readFileSync(configFile, 'utf8'), credentials: readFileSync(credentialsFile, 'utf8') };
    const answers = ['audit-keys', 'eu-west-1', 'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];
    const wizard = () => {
      let next = 0;
      const picks = stubWindow('showQuickPick', (items) => (items as { signIn?: string }[]).find((i) => i.signIn === 'keys'));
      const inputs = stubWindow('showInputBox', (options) => {
        const answer = answers[next++];
        // Each answer passes the check the box runs as the user types.
        const check = (options as vscode.InputBoxOptions).validateInput?.(answer!);
        assert.equal(check, undefined, `"${answer}" is accepted`);
        return answer;
      });
      return { restore: () => { picks.restore(); inputs.restore(); }, inputs };
    };
    try {
      // Declined at the confirmation: nothing is written.
      let steps = wizard();
      const shown = stubWindow('showWarningMessage', () => undefined);
      try {
        await vscode.commands.executeCommand('auroraSg.configureProfile');
      } finally {
        steps.restore();
        shown.restore();
      }
      const [question, options] = shown.calls[0] as [string, { modal: boolean; detail: string }];
      assert.match(question, /^Add the profile audit-keys\?/);
      assert.equal(options.modal, true);
      assert.match(options.detail, /\[profile audit-keys\]\nregion = eu-west-1/);
      assert.match(options.detail, /aws_secret_access_key = \*{8}/, 'the secret is masked in what is shown');
      assert.ok(!options.detail.includes('wJalrXUtnFEMI'));
      assert.deepEqual({ config: readFileSync(configFile, 'utf8'), credentials: readFileSync(credentialsFile, 'utf8') }, before, 'unchanged until confirmed');

      // A wrong answer keeps the box open with a message (validateInput returns one).
      const keyBox = steps.inputs.calls.map((c) => c[0] as vscode.InputBoxOptions).find((o) => o.prompt === 'Access key id')!;
      assert.match(String((keyBox.validateInput!('AKIA123') as vscode.InputBoxValidationMessage)?.message), /20 characters/);

      // Confirmed: exactly what was shown is appended.
      steps = wizard();
      const confirmed = stubWindow('showWarningMessage', (_q, _o, button) => button);
      const told = stubWindow('showInformationMessage', () => undefined);
      try {
        await vscode.commands.executeCommand('auroraSg.configureProfile');
      } finally {
        steps.restore();
        confirmed.restore();
        told.restore();
      }
      assert.equal(readFileSync(configFile, 'utf8'), `${before.config.replace(/\s*$/, '')}\n\n[profile audit-keys]\nregion = eu-west-1\n`);
      assert.match(readFileSync(credentialsFile, 'utf8'), /\n\[audit-keys\]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY\n$/);
      assert.equal(statSync(credentialsFile).mode & 0o777, 0o600, 'the credentials file stays readable by its owner only');
    } finally {
      writeFileSync(configFile, before.config);
      writeFileSync(credentialsFile, before.credentials);
      await vscode.commands.executeCommand('auroraSg.refresh');
    }
  });

  it('configureProfile "edit the file myself" opens the config file with a template, unsaved', async () => {
    const configFile = process.env.AWS_CONFIG_FILE!;
    const before = readFileSync(configFile, 'utf8');
    const picks = stubWindow('showQuickPick', (items) => (items as { signIn?: string }[]).find((i) => i.signIn === 'edit'));
    try {
      await vscode.commands.executeCommand('auroraSg.configureProfile');
    } finally {
      picks.restore();
    }
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.uri.fsPath, configFile);
    assert.equal(doc.isDirty, true, 'the template is in the editor, not on disk');
    assert.match(doc.getText(), /\[profile emulator\][\s\S]*\[profile name\]\nregion = eu-west-1/);
    assert.equal(readFileSync(configFile, 'utf8'), before, 'the file is unchanged until the user saves');
    await closeEditors();
    assert.equal(readFileSync(configFile, 'utf8'), before);
  });

  it('exportReport writes the CLI\'s JSON and SARIF to the file chosen and opens it, saved', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-report-'));
    const target = vscode.Uri.file(path.join(dir, 'report.json'));
    const returned = await vscode.commands.executeCommand<string>('auroraSg.exportReport', 'json', target);
    const json = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    assert.equal(readFileSync(target.fsPath, 'utf8'), returned, 'the file holds the report');
    const shown = vscode.window.activeTextEditor!.document;
    assert.equal(shown.uri.fsPath, target.fsPath, 'the written file is opened');
    assert.equal(shown.isDirty, false, 'nothing to save: no unsaved editor');
    assert.equal(json.version, 1);
    assert.ok(json.findings.some((f: { ruleId: string; clusterId: string }) => f.ruleId === 'AURSG-001' && f.clusterId === 'analytics-pg'));
    const sarif = JSON.parse((await vscode.commands.executeCommand<string>('auroraSg.exportReport', 'sarif', vscode.Uri.file(path.join(dir, 'report.sarif'))))!);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length > 0);
    await closeEditors();
  });
});
