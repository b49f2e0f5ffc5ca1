import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { worstSeverity } from '../../src/rules';
import { engineLabel } from '../../src/extension/core/presentation';
import { auditInventory, RULES } from '../../src/rules';
import { loadEvidenceFolder } from '../../src/sources/evidence';
import { activateExtension, child, childrenOf, DEMO_DIR, stubWindow, useEmulator, waitFor } from './helpers';

const config = () => vscode.workspace.getConfiguration('auroraSg');

describe('tree: the demo account', () => {
  before(async () => {
    await activateExtension();
    await vscode.commands.executeCommand('auroraSg.openDemo');
  });

  it('shows every demo cluster with its worst severity first, then engine and port', async () => {
    const api = await activateExtension();
    const demo = await child(api, undefined, 'Demo account');
    const inventory = await loadEvidenceFolder(DEMO_DIR);
    const findings = auditInventory(inventory);
    const clusters = (await childrenOf(api, demo.node)).filter((c) => String(c.item.contextValue).startsWith('auroraSg.cluster.'));
    assert.deepEqual(clusters.map((c) => c.label).sort(), inventory.clusters.map((c) => c.clusterId).sort());
    for (const cluster of inventory.clusters) {
      const shown = clusters.find((c) => c.label === cluster.clusterId)!;
      const worst = worstSeverity(findings.filter((f) => f.clusterId === cluster.clusterId));
      assert.equal(shown.item.contextValue, `auroraSg.cluster.${worst ?? 'ok'}`, cluster.clusterId);
      const count = findings.filter((f) => f.clusterId === cluster.clusterId && !f.suppressed && f.severity === worst).length;
      assert.equal(shown.item.description, [...(worst ? [`${count} ${worst}`] : []), engineLabel(cluster), `port ${cluster.port}`].join(' · '), cluster.clusterId);
    }
    const analytics = clusters.find((c) => c.label === 'analytics-pg')!;
    assert.equal(analytics.item.contextValue, 'auroraSg.cluster.critical');
  });

  it('shows instances (public or not) and groups (name, id, shared badge) under a cluster', async () => {
    const api = await activateExtension();
    const demo = await child(api, undefined, 'Demo account');
    const analytics = await child(api, demo.node, 'analytics-pg');
    assert.deepEqual((await childrenOf(api, analytics.node)).map((c) => c.label), ['Instances', 'Security groups']);
    const instances = await childrenOf(api, (await child(api, analytics.node, 'Instances')).node);
    const inventory = await loadEvidenceFolder(DEMO_DIR);
    for (const shown of instances) {
      const instance = inventory.instances.find((i) => i.instanceId === shown.label)!;
      assert.ok(String(shown.item.description).startsWith(instance.publiclyAccessible ? 'public' : 'private'), shown.label);
      assert.match(String(shown.item.contextValue), instance.publiclyAccessible ? /^auroraSg\.instance\.public\./ : /^auroraSg\.instance\.private\./);
    }
    assert.ok(instances.some((i) => String(i.item.description).startsWith('public')), 'the demo has a public instance');
    const groups = await childrenOf(api, (await child(api, analytics.node, 'Security groups')).node);
    const shared = groups.find((g) => String(g.item.description).includes('sg-8dc4af19ce0c37454'))!;
    assert.equal(shared.item.description, 'sg-8dc4af19ce0c37454 · shared');
    assert.match(String(shared.item.contextValue), /^auroraSg\.group\.shared\./);
  });

  it('shows rules with direction, ports, source, a severity icon and a Markdown tooltip that explains the finding', async () => {
    const api = await activateExtension();
    const demo = await child(api, undefined, 'Demo account');
    const analytics = await child(api, demo.node, 'analytics-pg');
    const groups = await childrenOf(api, (await child(api, analytics.node, 'Security groups')).node);
    const risky = groups.find((g) => String(g.item.description).startsWith('sg-829a038dccef503e0'))!;
    const rules = await childrenOf(api, risky.node);
    const open = rules.find((r) => r.label === '← tcp 5432 from 0.0.0.0/0');
    assert.ok(open, `rules: ${rules.map((r) => r.label).join(' | ')}`);
    assert.equal(open.item.contextValue, 'auroraSg.rule.risky.ingress');
    assert.equal(open.item.description, 'critical · open to anywhere · AURSG-001 AURSG-009');
    assert.equal((open.item.iconPath as vscode.ThemeIcon).id, 'flame', 'critical has its own icon');
    const publicRange = rules.find((r) => r.label === '← tcp 5432 from 203.0.113.0/24')!;
    assert.equal(publicRange.item.description, 'high · public address range · AURSG-003');
    assert.notEqual((publicRange.item.iconPath as vscode.ThemeIcon).id, 'flame', 'high does not look like critical');
    assert.notDeepEqual((publicRange.item.iconPath as vscode.ThemeIcon).color, (open.item.iconPath as vscode.ThemeIcon).color);
    const tooltip = (open.item.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('AURSG-001'));
    assert.ok(!/sgr\\-/.test(tooltip), 'an sgr id in a code span is not backslash-escaped');
    assert.ok(tooltip.includes(RULES['AURSG-001'].why.slice(0, 40)), 'the tooltip says why it matters');
    assert.ok(tooltip.includes(RULES['AURSG-001'].references[0].url), 'the tooltip links the references');
    const egress = rules.find((r) => r.item.contextValue === 'auroraSg.rule.risky.egress');
    assert.ok(egress && egress.label.startsWith('→ all traffic to'), 'egress rules are shown and marked');
  });

  it('shows a public instance\'s way from the internet in its tooltip, one layer a line (issue 7)', async () => {
    const api = await activateExtension();
    const demo = await child(api, undefined, 'Demo account');
    for (const [clusterId, instanceId, ruleId] of [['analytics-pg', 'analytics-pg-1', 'AURSG-009'], ['legacy-orders', 'legacy-orders-2', 'AURSG-011']]) {
      const cluster = await child(api, demo.node, clusterId);
      const instance = await child(api, (await child(api, cluster.node, 'Instances')).node, instanceId);
      const tooltip = (instance.item.tooltip as vscode.MarkdownString).value;
      assert.ok(tooltip.includes(ruleId), `${instanceId}: ${tooltip}`);
      // As rendered: Markdown's escapes taken out.
      const steps = tooltip.split('\n').filter((line) => /^\d\. /.test(line)).map((line) => line.replace(/\\([\\`*_{}[\]()#+\-.!|~])/g, '$1'));
      assert.equal(steps.length, 5, `internet, route, ACL, groups, instance: ${tooltip}`);
      assert.match(steps[0]!, /^1\. the internet \(IPv4\)$/);
      assert.match(steps[1]!, /^2\. route table rtb-\w+ of subnet subnet-\w+ sends 0\.0\.0\.0\/0 to internet gateway igw-\w+$/);
      assert.match(steps[2]!, /^3\. network ACL acl-\w+/);
      assert.match(steps[4]!, new RegExp(`^5\\. instance ${instanceId} \\(publicly accessible`));
    }
  });
});

describe('source store: concurrent loads', () => {
  it('an inventory put while a load of the same source runs is not overwritten when that load lands', async () => {
    const api = await activateExtension();
    const descriptor = { id: 'evidence:race-test', kind: 'evidence' as const, label: 'race test', path: DEMO_DIR };
    try {
      const edited = { ...(await loadEvidenceFolder(DEMO_DIR)), clusters: [] };
      const fromDisk = api.store.load(descriptor, true);
      api.store.put(descriptor, edited); // before the read from disk can land
      await fromDisk;
      assert.equal(api.store.get(descriptor.id)?.inventory, edited, 'the newer (edited) inventory stays');
      await api.store.load(descriptor, true);
      assert.notEqual(api.store.get(descriptor.id)?.inventory, edited, 'a load started after it replaces it');
    } finally {
      api.store.forget(descriptor.id);
    }
  });
});

describe('tree: a live profile against the local AWS emulator', () => {
  const emulator = useEmulator({ failRegions: ['us-east-1'] });

  before(async () => {
    await config().update('regions', ['us-east-1'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('regions', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the test profile with its region and the setting\'s regions, and the broken profile with its reason', async () => {
    const api = await activateExtension();
    const profile = await waitFor('the emulator profile', async () => (await childrenOf(api)).find((c) => c.label === 'emulator'));
    assert.deepEqual((await childrenOf(api, profile.node)).map((c) => c.label), ['eu-west-1', 'us-east-1']);
    const broken = (await childrenOf(api)).find((c) => c.label.startsWith('broken:'));
    assert.ok(broken, 'the broken profile is shown');
    assert.equal(broken.item.contextValue, 'auroraSg.error.profile');
    assert.match(broken.label, /nowhere/, 'the reason names the missing source profile');
  });

  it('loads the clusters of eu-west-1 from the emulator, as the demo folder shows them', async () => {
    const api = await activateExtension();
    const profile = await child(api, undefined, 'emulator');
    const region = await child(api, profile.node, 'eu-west-1');
    const clusters = (await childrenOf(api, region.node)).filter((c) => String(c.item.contextValue).startsWith('auroraSg.cluster.'));
    const inventory = await loadEvidenceFolder(DEMO_DIR);
    assert.deepEqual(clusters.map((c) => c.label).sort(), inventory.clusters.map((c) => c.clusterId).sort());
    assert.equal(clusters.find((c) => c.label === 'analytics-pg')?.item.contextValue, 'auroraSg.cluster.critical');
    assert.ok(emulator().calls().some((c) => c.action === 'DescribeDBClusters'), 'the clusters came from the emulator');
  });

  it('explains an SSO profile that is not logged in with the command that logs it in', async () => {
    const api = await activateExtension();
    const profile = await child(api, undefined, 'sso-dev');
    const region = await child(api, profile.node, 'eu-west-1');
    const [hint] = await childrenOf(api, region.node);
    assert.equal(hint.item.contextValue, 'auroraSg.error.ssoExpired');
    assert.match(hint.label, /aws sso login --profile sso-dev/);
  });

  it('auditAll loads every target the tree shows and counts the ones that failed', async () => {
    const api = await activateExtension();
    const told = stubWindow('showInformationMessage', () => undefined);
    let result: { sources: number; findings: number; failures: number } | undefined;
    try {
      result = await vscode.commands.executeCommand('auroraSg.auditAll');
    } finally {
      told.restore();
    }
    assert.ok(api.store.get('live:eu-west-1:emulator'), 'the emulator region was loaded');
    assert.ok(result && result.findings > 0, JSON.stringify(result));
    assert.ok(result.failures >= 1, 'us-east-1 fails in the emulator');
    assert.match(String(told.calls[0]?.[0]), new RegExp(`${result.findings} finding\\(s\\), ${result.failures} target\\(s\\) failed`));
  });

  it('shows a failing region as an error node that says what failed and retries on click', async () => {
    const api = await activateExtension();
    const profile = await child(api, undefined, 'emulator');
    const region = await child(api, profile.node, 'us-east-1');
    const [error] = await childrenOf(api, region.node);
    assert.equal(error.item.contextValue, 'auroraSg.error');
    assert.ok(!error.label.startsWith('Failed to load'), `the cause comes first: ${error.label}`);
    assert.match(String(error.item.description), /failed to load · click to retry/);
    assert.equal(error.item.command?.command, 'auroraSg.refresh');
    assert.equal(error.item.command?.arguments?.[0], region.node, 'the retry refreshes the region');
  });
});
