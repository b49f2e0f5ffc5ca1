import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, child, childrenOf, EXTENSION_ID, REPO_ROOT, stubWindow, useEmulator, waitFor } from './helpers';
import type { AuroraSgApi } from '../../src/extension/main';
import type { OrganizationAudit } from '../../src/extension/commands/orgCommands';
import type { RunOutcome } from '../../src/extension/commands/runCommands';

const config = () => vscode.workspace.getConfiguration('auroraSg');
const ORG_FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'org', 'organization.json');
const PROFILE = 'org-admin';

/** For one suite: the emulated organization of test/fixtures/org, and auroraSg.organizations naming its management profile. */
function useOrganization() {
  const emulator = useEmulator({ organization: ORG_FILE });
  before(async () => {
    await activateExtension();
    await config().update('organizations', [{ profile: PROFILE, regions: ['eu-west-1', 'us-east-1'] }], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('organizations', undefined, vscode.ConfigurationTarget.Global);
  });
  return emulator;
}

describe('tree: an AWS organization against the local AWS emulator', () => {
  const emulator = useOrganization();

  async function organization() {
    const api = await activateExtension();
    const node = await waitFor('the organization node', async () => (await childrenOf(api)).find((c) => c.item.contextValue === 'auroraSg.organization' && c.label === PROFILE));
    return { api, node };
  }

  it('the organization node lists its accounts by name and id; the suspended one is shown as not audited', async () => {
    const { api, node } = await organization();
    const accounts = await childrenOf(api, node.node);
    assert.deepEqual(accounts.map((a) => a.label), ['Management', 'Payments', 'Shop', 'Sandbox', 'Old project']);
    const payments = accounts.find((a) => a.label === 'Payments')!;
    assert.equal(payments.item.description, '222222222222');
    assert.equal(payments.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'regions load when the account is expanded');
    const suspended = accounts.find((a) => a.label === 'Old project')!;
    assert.equal(suspended.item.description, '555555555555 · SUSPENDED · not audited');
    assert.equal(suspended.item.contextValue, 'auroraSg.account.skipped');
    assert.equal(suspended.item.collapsibleState, vscode.TreeItemCollapsibleState.None);
  });

  it('a member account\'s region shows its clusters, read through the account\'s role, assumed once for both regions', async () => {
    const { api, node } = await organization();
    const payments = await child(api, node.node, 'Payments');
    const regions = await childrenOf(api, payments.node);
    assert.deepEqual(regions.map((r) => r.label), ['eu-west-1', 'us-east-1']);
    for (const region of regions) {
      const clusters = (await childrenOf(api, region.node)).filter((c) => String(c.item.contextValue).startsWith('auroraSg.cluster.'));
      assert.deepEqual(clusters.map((c) => c.label).sort(), ['analytics-pg', 'ledger-pg', 'legacy-orders', 'payments-aurora'], region.label);
    }
    const calls = emulator().calls();
    assert.equal(calls.filter((c) => c.action === 'AssumeRole' && c.account === '222222222222').length, 1);
    assert.ok(calls.some((c) => c.action === 'DescribeDBClusters' && c.account === '222222222222' && c.region === 'us-east-1'));
    const shown = await child(api, node.node, 'Payments');
    assert.match(String(shown.item.description), /^222222222222 · \d+ critical$/, 'the account shows its worst severity once read');
    assert.equal(shown.item.contextValue, 'auroraSg.account.critical');
  });

  it('an account whose role cannot be assumed is an error node with AWS\'s reason, and a click retries that account', async () => {
    const { api, node } = await organization();
    const sandbox = await child(api, node.node, 'Sandbox');
    const [error] = await childrenOf(api, sandbox.node);
    assert.equal(error!.item.contextValue, 'auroraSg.error.account');
    assert.match(error!.label, /^Sandbox \(444444444444\): Cannot assume role arn:aws:iam::444444444444:role\/OrganizationAccountAccessRole/);
    const tooltip = (error!.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /is not authorized to perform: sts:AssumeRole/);
    assert.equal(error!.item.command?.command, 'auroraSg.refresh');
    assert.equal(error!.item.command?.arguments?.[0], sandbox.node, 'the retry is the account\'s');
    const before = emulator().calls().filter((c) => c.action === 'AssumeRole' && c.account === '444444444444').length;
    await vscode.commands.executeCommand('auroraSg.refresh', sandbox.node);
    const [again] = await childrenOf(api, sandbox.node);
    assert.equal(again!.item.contextValue, 'auroraSg.error.account');
    assert.equal(emulator().calls().filter((c) => c.action === 'AssumeRole' && c.account === '444444444444').length, before + 1, 'the retry tried the role again');
    const shown = await child(api, node.node, 'Sandbox');
    assert.equal(shown.item.contextValue, 'auroraSg.account.failed');
  });

  it('Run Remediation on a member account\'s finding runs under its role, and Run Backout restores that account', async () => {
    const { api, node } = await organization();
    const payments = await child(api, node.node, 'Payments');
    const region = await child(api, payments.node, 'us-east-1');
    await childrenOf(api, region.node);
    const sourceId = (region.node as unknown as { sourceId: string }).sourceId;
    const finding = api.store.get(sourceId)!.findings.find((f) => f.ruleId === 'AURSG-001' && f.rule?.source.value === '0.0.0.0/0')!;
    assert.equal(finding.target.accountId, '222222222222');
    const original = emulator().state('us-east-1', { ruleIds: false, account: '222222222222' });
    const confirm = stubWindow('showWarningMessage', (_message, _options, button) => button);
    let outcome: RunOutcome;
    try {
      outcome = (await vscode.commands.executeCommand<RunOutcome>('auroraSg.runPlan', { sourceId, findingId: finding.id, fix: 'revoke' }))!;
    } finally {
      confirm.restore();
    }
    assert.match(String(confirm.calls[0]?.[0]), /against Payments \(222222222222\) through arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole \/ us-east-1/);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(emulator().calls().filter((c) => c.action.startsWith('Revoke')).map((c) => c.account), ['222222222222']);
    const confirmBackout = stubWindow('showWarningMessage', (_message, _options, button) => button);
    try {
      const backout = (await vscode.commands.executeCommand<RunOutcome>('auroraSg.runBackout', outcome.journalId))!;
      assert.equal(backout.ok, true, JSON.stringify(backout));
    } finally {
      confirmBackout.restore();
    }
    assert.match(String(confirmBackout.calls[0]?.[0]), /against Payments \(222222222222\) \/ us-east-1/);
    assert.deepEqual(emulator().state('us-east-1', { ruleIds: false, account: '222222222222' }), original);
  });

  it('Audit Organization reads every account, fills the store as it goes, and leaves the failed account as an error node', async () => {
    const { api, node } = await organization();
    const warned = stubWindow('showWarningMessage', () => undefined);
    let audit: OrganizationAudit | undefined;
    try {
      audit = await vscode.commands.executeCommand<OrganizationAudit>('auroraSg.auditOrganization', PROFILE);
    } finally {
      warned.restore();
    }
    assert.ok(audit);
    assert.equal(audit.line, '3 of 4 accounts audited (1 failed); 1 skipped (not ACTIVE, or excluded)');
    assert.equal(audit.cancelled, false);
    assert.ok(audit.findings > 0);
    assert.match(String(warned.calls[0]?.[0]), /organization org-admin: 3 of 4 accounts audited \(1 failed\)/);
    const shop = api.store.all().filter((s) => s.inventory.target.accountId === '333333333333');
    assert.deepEqual(shop.map((s) => s.inventory.target.region).sort(), ['eu-west-1', 'us-east-1']);
    assert.ok(shop.every((s) => s.inventory.target.accountName === 'Shop' && s.findings.length > 0));
    const sandbox = await child(api, node.node, 'Sandbox');
    const [error] = await childrenOf(api, sandbox.node);
    assert.equal(error!.item.contextValue, 'auroraSg.error.account');
    const management = await child(api, node.node, 'Management');
    assert.equal(management.item.description, '111111111111 · no findings');
    // Export Report carries it too, as the CLI's JSON does.
    const exported = JSON.parse((await vscode.commands.executeCommand<string>('auroraSg.exportReport', 'json', vscode.Uri.file(path.join(mkdtempSync(path.join(tmpdir(), 'aurora-sg-org-report-')), 'org.json'))))!) as {
      organization?: { line: string }; errors: { accountId?: string; message: string }[]; findings: { accountName: string | null }[];
    };
    assert.equal(exported.organization?.line, audit.line);
    assert.match(exported.errors.find((e) => e.accountId === '444444444444')!.message, /Cannot assume role/);
    assert.ok(exported.findings.some((f) => f.accountName === 'Shop'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('workbench screenshot: an organization in the tree', () => {
  const emulator = useOrganization();
  // The screenshot at the end of the suite shows the view as others left it.
  after(() => vscode.commands.executeCommand('workbench.actions.treeView.auroraSg.explorer.collapseAll'));

  it('shows the organization with its accounts, member accounts\' regions and the failed account (test-results/organization-tree.png)', async function () {
    this.timeout(60000);
    const api = await activateExtension();
    await vscode.commands.executeCommand('auroraSg.explorer.focus');
    const org = await waitFor('the organization node', async () => (await childrenOf(api)).find((c) => c.item.contextValue === 'auroraSg.organization'));
    const extension = vscode.extensions.getExtension<AuroraSgApi>(EXTENSION_ID)!;
    // reveal() needs the view to have drawn its roots first.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // Three levels deep: the accounts, their regions (each account's role assumed), a region's clusters.
    await extension.exports.reveal(org.node, 3);
    await waitFor('the view to expand Payments (its role assumed)', () => emulator().calls().some((c) => c.action === 'AssumeRole' && c.account === '222222222222'));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { requestScreenshot } = require(path.join(REPO_ROOT, 'test', 'host', 'screenshot.cjs')) as { requestScreenshot: (name: string) => Promise<string | undefined> };
    const file = await requestScreenshot('organization-tree');
    if (process.env.VSCODE_HOST_RESULTS_DIR) assert.ok(file, 'the host saved the screenshot');
  });
});
