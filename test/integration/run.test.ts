import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/extension/commands/runCommands';
import { headline, summarise } from '../../src/extension/core/severity';
import { activateExtension, closeEditors, loadedEmulatorRegion, stubWindow, UI, useEmulator, waitFor, workbench } from './helpers';

const config = () => vscode.workspace.getConfiguration('auroraSg');
const MUTATING = /^(Revoke|Authorize|Create|Delete|Modify)/;

describe('running a plan against the local AWS emulator', () => {
  const emulator = useEmulator();

  /** The emulator as seeded, read afresh: its open analytics-pg rule's AURSG-001 and the account's state. */
  async function freshOpenRule() {
    const api = await activateExtension();
    emulator().reset();
    const { sourceId } = await loadedEmulatorRegion(api);
    await api.store.reload(sourceId);
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001' && f.clusterId === 'analytics-pg' && f.rule?.source.value === '0.0.0.0/0')!;
    assert.ok(finding, 'the emulator account has the demo\'s open analytics-pg rule');
    return { api, sourceId, finding, original: emulator().state(undefined, { ruleIds: false }) };
  }

  it('runPlan (after a confirmation listing the exact steps) removes the finding, and runBackout restores the group exactly', async () => {
    const api = await activateExtension();
    const { sourceId } = await loadedEmulatorRegion(api);
    const source = api.store.get(sourceId)!;
    const finding = source.findings.find((f) => f.ruleId === 'AURSG-001' && f.clusterId === 'analytics-pg' && f.rule?.source.value === '0.0.0.0/0');
    assert.ok(finding, 'the emulator account has the demo\'s open analytics-pg rule');
    // Re-authorized rules get new sgr- ids, as on AWS: compare the rules themselves.
    const original = emulator().state(undefined, { ruleIds: false });

    const confirm = stubWindow('showWarningMessage', (_message, _options, button) => button);
    let outcome: RunOutcome;
    try {
      outcome = (await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' }))!;
    } finally {
      confirm.restore();
    }
    assert.equal(confirm.calls.length, 1, 'one confirmation');
    const [title, options] = confirm.calls[0] as [string, { modal: boolean; detail: string }];
    assert.match(title, /^Run 1 step\(s\) against emulator \/ eu-west-1/);
    assert.equal(options.modal, true);
    assert.match(options.detail, /^1\. aws ec2 revoke-security-group-ingress .*sg-829a038dccef503e0/m, 'the exact command is shown first');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.ok(outcome.journalId);
    assert.notDeepEqual(emulator().state(undefined, { ruleIds: false }), original, 'the account changed');
    const after = api.store.get(sourceId)!;
    assert.ok(!after.findings.some((f) => f.id === finding.id), 'the finding is gone from the refreshed source');

    const confirmBackout = stubWindow('showWarningMessage', (_message, _options, button) => button);
    let backout: RunOutcome;
    try {
      backout = (await vscode.commands.executeCommand<RunOutcome>('auroraSg.runBackout', outcome.journalId))!;
    } finally {
      confirmBackout.restore();
    }
    assert.equal(confirmBackout.calls.length, 1, 'one confirmation');
    const [backoutTitle, backoutOptions] = confirmBackout.calls[0] as [string, { modal: boolean; detail: string }];
    assert.match(backoutTitle, /^Back out run .*: 1 step\(s\) against emulator \/ eu-west-1/);
    assert.match(backoutOptions.detail, /^1\. aws ec2 authorize-security-group-ingress .*sg-829a038dccef503e0/m, 'the exact backout command is shown first');
    assert.equal(backout.ok, true, JSON.stringify(backout));
    assert.deepEqual(emulator().state(undefined, { ruleIds: false }), original, 'the backout restored the group exactly');
    await waitFor('the finding to be back', () => api.store.get(sourceId)?.findings.some((f) => f.id === finding.id));
  });

  it('opens the plan read-only; its Run CodeLens runs it; the progress closes; the message\'s Back Out undoes it', async function () {
    this.timeout(90000);
    const ui = workbench(this);
    const { api, sourceId, finding, original } = await freshOpenRule();
    await closeEditors();
    await vscode.commands.executeCommand('auroraSg.generatePlan', { sourceId, findingId: finding.id, fix: 'revoke' });
    const plan = vscode.window.activeTextEditor!.document;
    assert.equal(plan.uri.scheme, 'aurora-sg-plan');
    assert.match(plan.uri.path, /^\/emulator\/eu-west-1\/Revoke ingress tcp 5432 from 0\.0\.0\.0\u22150 on sg-829a038dccef503e0\.md$/);
    assert.match(plan.getText(), /^> From emulator \/ eu-west-1\. \*\*Run\*\* asks before it changes anything/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plan.uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['$(play) Run', '$(beaker) Dry Run', '$(copy) Copy', '$(file-code) Open as Script']);
    const before = (await ui.text(UI.statusItem)).trim();
    assert.equal(before, `Aurora SG: ${headline(summarise(api.store.all()).total)}`);

    const confirm = stubWindow('showWarningMessage', (_message, _options, ...buttons) => buttons[0]);
    try {
      await ui.click(UI.codeLens('play'));
      await vscode.commands.executeCommand('notifications.showList');
      let shown: string[] = [];
      const message = await waitFor('the completion message', async () => (shown = await ui.texts(UI.notifications)).find((t) => t.includes('Remediation completed')), 30000)
        .catch((error) => { throw new Error(`${error instanceof Error ? error.message : error}; notifications: ${JSON.stringify(shown)}; confirmations: ${JSON.stringify(confirm.calls.map((c) => c[0]))}`); });
      assert.match(message, /Back Out/);
      assert.match(message, /Show Log/);
      // VS Code keeps a progress notification up for a moment at least; then it must go.
      await waitFor('the progress notification to close', async () => (await ui.count(UI.notificationWithProgress)) === 0
        && !(await ui.texts(UI.notifications)).some((t) => /Aurora SG: Revoke ingress/.test(t)), 5000);
      assert.match(String(confirm.calls[0]?.[0]), /^Run 1 step\(s\) against emulator \/ eu-west-1( at \S+)? through the AWS SDK/);
      assert.notDeepEqual(emulator().state(undefined, { ruleIds: false }), original, 'the account changed');
      await waitFor('the counts to follow the fix', async () => (await ui.text(UI.statusItem)).trim() !== before);
      assert.equal((await ui.text(UI.statusItem)).trim(), `Aurora SG: ${headline(summarise(api.store.all()).total)}`);
      // The plan stays on show, saying it ran and how to undo it.
      await waitFor('the plan to say it ran', () => /^> \*\*Ran\*\* \(journal `[^`]+`\), and the finding is gone from emulator \/ eu-west-1\. \*\*Back Out\*\* undoes it\./.test(plan.getText()));
      assert.match(plan.getText(), /revoke-security-group-ingress/);
      const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', plan.uri);
      assert.deepEqual(after.map((l) => l.command?.title), ['$(history) Back Out', '$(copy) Copy', '$(file-code) Open as Script']);
      await ui.wait(UI.codeLens('history'));
      await ui.screenshot('run-completed');
      // Back Out, from the message itself.
      await ui.click(UI.notificationButton('Remediation completed', 'Back Out'));
      await waitFor('the backout to restore the group', () => JSON.stringify(emulator().state(undefined, { ruleIds: false })) === JSON.stringify(original), 30000);
      assert.match(String(confirm.calls[1]?.[0]), /^Back out run .*: 1 step\(s\) against emulator \/ eu-west-1/);
      await waitFor('the counts to be back', async () => (await ui.text(UI.statusItem)).trim() === before, 20000);
      await waitFor('the plan to be runnable again', () => plan.getText().startsWith('> From emulator / eu-west-1.'));
    } finally {
      confirm.restore();
      await closeEditors();
    }
  });

  it('runs the plan with the AWS CLI in a terminal when auroraSg.runMode is terminal, says when it ends, and backs it out from the journal', async function () {
    this.timeout(120000);
    const { api, sourceId, finding, original } = await freshOpenRule();
    await config().update('runMode', 'terminal', vscode.ConfigurationTarget.Global);
    const confirm = stubWindow('showWarningMessage', (_message, _options, button) => button);
    const told = stubWindow('showInformationMessage', () => undefined);
    let outcome: RunOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' });
      assert.equal(outcome?.mode, 'terminal');
      if (outcome?.exitCode !== undefined) assert.equal(outcome.exitCode, 0, 'the AWS CLI script exited 0 (read through shell integration)');
      // Without shell integration (it can start late on a loaded machine) the line is only sent: wait for its effect.
      else await waitFor('the CLI to revoke the rule', () => emulator().calls().some((c) => c.action === 'RevokeSecurityGroupIngress'), 60000);
      assert.match(outcome!.message ?? '', outcome?.exitCode === 0 ? /completed in the terminal \(journal .*terminal-revoke/ : /sent to the terminal/);
      assert.ok(told.calls.some((c) => String(c[0]).includes(outcome!.message!) && c.includes('Back Out') && c.includes('Show Log')), 'the end is reported, with Back Out and Show Log');
    } finally {
      confirm.restore();
      told.restore();
    }
    assert.ok(emulator().calls().some((c) => c.action === 'RevokeSecurityGroupIngress' && c.outcome === 'ok'), 'the CLI revoked the rule');
    await api.store.reload(sourceId);
    assert.ok(!api.store.get(sourceId)!.findings.some((f) => f.id === finding.id), 'the finding is gone after the refresh');

    // The journal lists the terminal run; Back Out runs the plan's backout script in a terminal.
    const offered: string[][] = [];
    const pick = stubWindow('showQuickPick', (items) => {
      const list = items as { id: string; label: string }[];
      offered.push(list.map((i) => i.id));
      return list.find((i) => i.id === outcome!.journalId);
    });
    const confirmBackout = stubWindow('showWarningMessage', (_message, _options, button) => button);
    const toldBackout = stubWindow('showInformationMessage', () => undefined);
    try {
      await vscode.commands.executeCommand('auroraSg.runBackout');
      await waitFor('the backout script to restore the group', () => JSON.stringify(emulator().state(undefined, { ruleIds: false })) === JSON.stringify(original), 60000);
      assert.ok(offered[0]?.includes(outcome!.journalId!), 'the picker offers the terminal run');
      assert.match(String(confirmBackout.calls[0]?.[0]), /^Back out run .*terminal-revoke.*: 1 step\(s\) against emulator \/ eu-west-1( at \S+)? in a terminal with the AWS CLI\?$/);
      assert.match((confirmBackout.calls[0]?.[1] as { detail: string }).detail, /^1\. aws ec2 authorize-security-group-ingress .*sg-829a038dccef503e0/m);
      // A run backed out is not offered again.
      const again = await vscode.commands.executeCommand('auroraSg.runBackout');
      assert.equal(again, undefined);
      assert.ok(!(offered[1] ?? []).includes(outcome!.journalId!), `a run already backed out is not offered: ${offered[1]?.join(', ')}`);
    } finally {
      pick.restore();
      confirmBackout.restore();
      toldBackout.restore();
      await config().update('runMode', undefined, vscode.ConfigurationTarget.Global);
    }
    emulator().reset();
    await api.store.reload(sourceId);
  });

  it('logs what ran once, with its commands quoted so they can be pasted', async () => {
    const api = await activateExtension();
    const lines = api.log.recent();
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
    console.log(`LOGDUMP ${JSON.stringify([...counts].filter(([, n]) => n > 1))}`);
    const start = lines.findIndex((l) => /^info Running "Revoke ingress tcp 5432 from 0\.0\.0\.0\/0 on sg-829a038dccef503e0" on emulator \/ eu-west-1/.test(l));
    assert.ok(start >= 0, 'the run is logged');
    const run = lines.slice(start, start + 12);
    assert.match(run[0]!, /\n1\. aws ec2 revoke-security-group-ingress --group-id 'sg-829a038dccef503e0' --security-group-rule-ids 'sgr-[0-9a-f]+' --region 'eu-west-1'/, 'the command, quoted as a shell takes it');
    assert.equal(run.filter((l) => l.includes('revoke-security-group-ingress')).length, 1, `the command once: ${run.join('\n')}`);
    const end = run.findIndex((l) => /Remediation completed/.test(l));
    assert.ok(end > 0, run.join('\n'));
    const section = run.slice(0, end + 1);
    assert.equal(new Set(section).size, section.length, `no line twice: ${section.join('\n')}`);
  });

  it('shows the journal as a readable document: runs with their steps, local times, what backed them out', async () => {
    await activateExtension();
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('auroraSg.showJournal');
    assert.equal(doc.uri.scheme, 'aurora-sg-journal');
    const text = doc.getText();
    assert.match(text, /^# Aurora SG journal\n/);
    assert.ok(!/^\s*[{[]/m.test(text), 'no raw JSON');
    assert.match(text, /## Revoke ingress tcp 5432 from 0\.0\.0\.0\/0 on sg-829a038dccef503e0\n\n\*\*completed\*\* · AWS SDK · emulator \/ eu-west-1/);
    assert.match(text, /terminal, AWS CLI · emulator \/ eu-west-1/);
    assert.match(text, /Backed out by `/);
    assert.match(text, /1\. ✓ Revoke ingress tcp 5432 from 0\.0\.0\.0\/0/);
    const stamp = /· ([^·\n]+) {2}\nJournal `([^`]+)`/.exec(text);
    assert.ok(stamp, 'each run says when');
    assert.ok(!/\d{4}-\d\d-\d\dT/.test(stamp[1]!), `in local time, not ISO: ${stamp[1]}`);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(lenses.some((l) => l.command?.title === '$(json) Journal File'), 'the raw file is one click away');
    assert.ok(!lenses.some((l) => l.command?.title === '$(history) Back Out'), 'every run in this journal is backed out already');
    await closeEditors();
  });

  it('Dry Run (beside Run in the confirmation) checks the steps with EC2 DryRun and changes nothing', async () => {
    const api = await activateExtension();
    const { sourceId } = await loadedEmulatorRegion(api);
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001')!;
    const original = emulator().state(undefined, { ruleIds: false });
    const callsBefore = emulator().calls().length;
    const confirm = stubWindow('showWarningMessage', (_message, _options, ...buttons) => buttons.find((b) => b === 'Dry Run'));
    let outcome: RunOutcome | undefined;
    try {
      outcome = await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' });
    } finally {
      confirm.restore();
    }
    assert.deepEqual(confirm.calls[0]?.slice(2), ['Run', 'Dry Run'], 'the SDK route offers a dry run beside Run');
    assert.equal(outcome?.status, 'dry-run-ok', JSON.stringify(outcome));
    assert.equal(outcome.ok, true);
    assert.equal(outcome.journalId, undefined, 'a dry run keeps no journal');
    const mutating = emulator().calls().slice(callsBefore).filter((c) => MUTATING.test(c.action));
    assert.ok(mutating.length > 0, 'the mutating step was sent');
    assert.ok(mutating.every((c) => c.outcome === 'DryRunOperation'), JSON.stringify(mutating));
    assert.deepEqual(emulator().state(undefined, { ruleIds: false }), original, 'nothing changed');
  });

  it('does nothing when the confirmation is dismissed', async () => {
    const api = await activateExtension();
    const { sourceId } = await loadedEmulatorRegion(api);
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001')!;
    const before = emulator().calls().filter((c) => MUTATING.test(c.action)).length;
    const dismiss = stubWindow('showWarningMessage', () => undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' }), undefined);
    } finally {
      dismiss.restore();
    }
    assert.equal(emulator().calls().filter((c) => MUTATING.test(c.action)).length, before);
  });
});
