import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { buildPlan, renderCommandLine } from '../../src/remediation';
import { auditInventory } from '../../src/rules';
import { loadEvidenceFolder } from '../../src/sources/evidence';
import { activateExtension, closeEditors, DEMO_DIR, diagnosticsOf, codeOf, stubWindow, waitFor } from './helpers';
import { SCHEME, virtualDocPath } from '../../src/extension/core/uris';

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
    assert.deepEqual(titles, ['Aurora SG: copy the remediation CLI', 'Aurora SG: fix AURSG-001']);
  });

  it('generatePlan opens the plan for review and openPlanScript opens remediation and backout as a script', async () => {
    const { finding } = await demoFinding('AURSG-001', 'analytics-pg');
    await vscode.commands.executeCommand('auroraSg.generatePlan', { sourceId: 'demo', findingId: finding.id, fix: 'revoke' });
    const preview = vscode.window.activeTextEditor?.document;
    assert.equal(preview?.languageId, 'markdown');
    assert.match(preview!.getText(), /revoke-security-group-ingress/);
    const script = await vscode.commands.executeCommand<vscode.TextDocument>('auroraSg.openPlanScript', { sourceId: 'demo', findingId: finding.id, fix: 'revoke' });
    assert.equal(script.languageId, 'shellscript');
    assert.match(script.getText(), /aws ec2 revoke-security-group-ingress/);
    assert.match(script.getText(), /aws ec2 authorize-security-group-ingress/, 'the backout is in the script');
    await closeEditors();
  });

  it('suppress writes auroraSg.suppressions with the reason, and the finding leaves the Problems', async () => {
    const { finding } = await demoFinding('AURSG-001', 'analytics-pg');
    const uri = vscode.Uri.from({ scheme: SCHEME, path: virtualDocPath({ sourceId: 'demo', kind: 'group', id: finding.groupId! }) });
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

  it('configureProfile opens the AWS config file the profiles are read from', async () => {
    await vscode.commands.executeCommand('auroraSg.configureProfile');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, process.env.AWS_CONFIG_FILE);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /\[profile emulator\]/);
    await closeEditors();
  });

  it('exportReport writes the CLI\'s JSON and SARIF', async () => {
    const json = JSON.parse((await vscode.commands.executeCommand<string>('auroraSg.exportReport', 'json'))!);
    assert.equal(json.version, 1);
    assert.ok(json.findings.some((f: { ruleId: string; clusterId: string }) => f.ruleId === 'AURSG-001' && f.clusterId === 'analytics-pg'));
    const sarif = JSON.parse((await vscode.commands.executeCommand<string>('auroraSg.exportReport', 'sarif'))!);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length > 0);
    await closeEditors();
  });
});
