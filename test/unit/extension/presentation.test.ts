import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding, Rule } from '../../../src/model/types';
import { auditInventory, worstSeverity } from '../../../src/rules';
import { loadEvidenceFolder } from '../../../src/sources/evidence';
import { FindingIndex, isSharedGroup } from '../../../src/extension/core/findingIndex';
import { describeLiveFailure } from '../../../src/extension/core/liveErrors';
import {
  clusterDescription, codeSpan, contextValues, diagnosticLevel, engineLabel, escapeMarkdown, ruleDescription, ruleLabel, severityIcon, stateOf,
} from '../../../src/extension/core/presentation';
import { parsePlanDoc, parseVirtualDoc, planDocAddress, virtualDocAddress } from '../../../src/extension/core/uris';
import { KeyedDebouncer } from '../../../src/extension/core/debounce';
import { looksAudited } from '../../../src/extension/core/documentKinds';
import { redact } from '../../../src/extension/core/redact';
import { descriptorFromId, evidenceDescriptor, liveDescriptor, sourceIds } from '../../../src/extension/core/sources';

const DEMO = path.join(__dirname, '../../../samples/demo-account');
/** The viewItem regex of a command's entry in package.json's tree context menu. */
function menuViewItemPattern(command: string): RegExp {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
  const when = manifest.contributes.menus['view/item/context']!.find((m) => m.command === command)?.when ?? '';
  const body = /viewItem =~ \/(.*?)\/(?= |$)/.exec(when)?.[1];
  assert.ok(body, `${command} has a viewItem regex in package.json`);
  return new RegExp(body);
}

const rule = (over: Partial<Rule>): Rule => ({ groupId: 'sg-1', direction: 'ingress', protocol: 'tcp', fromPort: 3306, toPort: 3306, source: { kind: 'cidr4', value: '0.0.0.0/0' }, ...over });

describe('extension: presentation', () => {
  it('labels rules by direction, protocol, ports and source', () => {
    assert.equal(ruleLabel(rule({})), 'inbound tcp 3306 from 0.0.0.0/0');
    assert.equal(ruleLabel(rule({ direction: 'egress', protocol: 'all', fromPort: undefined, toPort: undefined })), 'outbound all traffic to 0.0.0.0/0');
    assert.equal(ruleLabel(rule({ fromPort: 0, toPort: 65535, source: { kind: 'group', value: 'sg-2', ownerId: '111122223333' } })), 'inbound tcp 0-65535 from sg-2 (account 111122223333)');
    assert.equal(ruleLabel(rule({ protocol: 'icmp', fromPort: 8, toPort: -1 })), 'inbound icmp type 8 from 0.0.0.0/0');
    assert.equal(ruleLabel(rule({ protocol: '50', fromPort: undefined, toPort: undefined })), 'inbound protocol 50 (all ports) from 0.0.0.0/0');
  });

  it('maps severities to diagnostic levels as design.md section 3 says', () => {
    assert.deepEqual(
      (['critical', 'high', 'medium', 'low', 'info'] as const).map(diagnosticLevel),
      ['error', 'error', 'warning', 'information', 'hint'],
    );
    assert.equal(severityIcon(undefined).id, 'pass');
  });

  it('never draws critical and high alike: each severity has its own icon and colour', () => {
    const looks = (['critical', 'high', 'medium', 'low', 'info'] as const).map(severityIcon);
    assert.equal(new Set(looks.map((l) => l.id)).size, 5, JSON.stringify(looks));
    assert.equal(new Set(looks.map((l) => l.color)).size, 5, JSON.stringify(looks));
    assert.notEqual(severityIcon('critical').id, severityIcon('high').id);
  });

  it('reads a rule row by its worst severity and short title before the rule ids', () => {
    const f = (ruleId: string, severity: Finding['severity'], suppressed = false) => ({ ruleId, severity, title: 't', suppressed: suppressed ? { reason: 'r' } : undefined }) as Finding;
    assert.equal(ruleDescription(rule({}), [f('AURSG-005', 'low'), f('AURSG-009', 'critical'), f('AURSG-001', 'critical')]), 'critical · open to anywhere · AURSG-001 AURSG-005 AURSG-009');
    assert.equal(ruleDescription(rule({}), [f('AURSG-003', 'high', true)]), 'suppressed · AURSG-003');
    assert.equal(ruleDescription(rule({ description: 'office VPN' }), []), 'office VPN');
  });

  it('puts a cluster\'s worst severity first and keeps its description short', () => {
    const cluster = { clusterId: 'c', engine: 'aurora-mysql', engineVersion: '5.7.mysql_aurora.2.12.1', status: 'available', port: 3307, securityGroupIds: [], memberInstanceIds: [] };
    const f = (severity: Finding['severity']) => ({ ruleId: 'AURSG-001', severity }) as Finding;
    assert.equal(clusterDescription(cluster, [f('low'), f('critical'), f('critical')]), '2 critical · MySQL 5.7 · port 3307');
    assert.equal(clusterDescription({ ...cluster, status: 'stopped' }, []), 'MySQL 5.7 · port 3307 · stopped');
    assert.equal(engineLabel({ engine: 'aurora-postgresql', engineVersion: '16.2' }), 'PostgreSQL 16.2');
  });

  it('encodes kind and state in contextValues, ignoring suppressed findings for the state', () => {
    const f = (severity: Finding['severity'], suppressed = false) => ({ severity, suppressed: suppressed ? { reason: 'r' } : undefined }) as Finding;
    assert.equal(contextValues.rule(rule({}), [f('critical')]), 'auroraSg.rule.risky.ingress');
    assert.equal(contextValues.rule(rule({ direction: 'egress' }), []), 'auroraSg.rule.ok.egress');
    assert.equal(contextValues.rule(rule({}), [f('high', true)]), 'auroraSg.rule.suppressed.ingress');
    assert.equal(contextValues.cluster([f('low'), f('critical', true), f('medium')]), 'auroraSg.cluster.medium');
    assert.equal(stateOf([]), 'ok');
    assert.equal(worstSeverity([f('info'), f('high')]), 'high');
    // The menus' regexes in package.json must keep matching these shapes.
    const fixable = menuViewItemPattern('auroraSg.generatePlan');
    assert.ok(fixable.test(contextValues.rule(rule({}), [f('critical')])));
    assert.ok(!fixable.test(contextValues.rule(rule({}), [f('high', true)])), 'a suppressed rule offers no fix');
    assert.ok(menuViewItemPattern('auroraSg.suppress').test(contextValues.rule(rule({}), [f('critical')])));
    assert.ok(fixable.test(contextValues.cluster([f('critical')])));
    assert.ok(!fixable.test(contextValues.cluster([])));
    assert.ok(fixable.test(contextValues.group(true, [f('info')])));
  });

  it('escapes Markdown in names read from AWS, and leaves code spans as they are', () => {
    assert.equal(escapeMarkdown('[x](javascript:alert(1))'), '\\[x\\]\\(javascript:alert\\(1\\)\\)');
    assert.equal(escapeMarkdown('<img src=x>\n# h'), '&lt;img src=x&gt; \\# h');
    // A code span shows backslashes as they are: an escaped sgr-… id would read sgr\-….
    assert.equal(codeSpan('sgr-0abc'), '`sgr-0abc`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
  });
});

describe('extension: finding index on the demo account', () => {
  it('finds each rule finding under its rule, group and cluster', async () => {
    const inventory = await loadEvidenceFolder(DEMO);
    const findings = auditInventory(inventory);
    const index = new FindingIndex(findings);
    const open = findings.find((f) => f.ruleId === 'AURSG-001' && f.rule);
    assert.ok(open?.rule && open.clusterId && open.groupId);
    assert.ok(index.forRule(open.rule).includes(open));
    assert.ok(index.forRule(open.rule, open.clusterId).includes(open));
    assert.ok(!index.forRule(open.rule, 'another-cluster').includes(open));
    assert.ok(index.forCluster(open.clusterId).includes(open));
    assert.ok(index.forGroup(open.groupId).includes(open));
    assert.equal(index.get(open.id), open);
    const shared = findings.find((f) => f.ruleId === 'AURSG-010');
    const group = inventory.securityGroups.find((g) => g.groupId === shared?.groupId);
    assert.ok(group && isSharedGroup(group, inventory, index));
    const dedicated = inventory.securityGroups.find((g) => !findings.some((f) => f.groupId === g.groupId && f.ruleId === 'AURSG-010') && inventory.clusters.filter((c) => c.securityGroupIds.includes(g.groupId)).length === 1);
    assert.ok(dedicated && !isSharedGroup(dedicated, inventory, index));
  });
});

describe('extension: live failures', () => {
  it('tells an expired SSO session to log in, with the profile quoted', () => {
    const view = describeLiveFailure({ profile: 'prod sso', region: 'eu-west-1', message: 'The SSO session associated with this profile has expired or is otherwise invalid.', code: 'TokenExpired' }, 'sso');
    assert.equal(view.loginCommand, "aws sso login --profile 'prod sso'");
    assert.match(view.label, /^SSO session expired: run aws sso login --profile 'prod sso'$/);
  });

  it('puts the cause first for other failures, and names the target in the detail', () => {
    const view = describeLiveFailure({ profile: 'dev', region: 'us-east-1', message: 'connect ECONNREFUSED 127.0.0.1:1\nstack', code: 'NetworkError' }, 'static');
    assert.equal(view.loginCommand, undefined);
    assert.equal(view.label, 'NetworkError: connect ECONNREFUSED 127.0.0.1:1');
    assert.match(view.detail, /^Failed to load dev \/ us-east-1: NetworkError: connect ECONNREFUSED/);
  });
});

describe('extension: virtual document paths and debouncing', () => {
  it('names documents for people and round-trips source ids with slashes and colons through the query', () => {
    const ref = { sourceId: 'live:eu-west-1:team:prod', kind: 'group' as const, id: 'sg-0123' };
    const address = virtualDocAddress(ref, { source: 'team:prod / eu-west-1', name: 'db/"main"\n' });
    assert.equal(address.path, '/team:prod/eu-west-1/db\u2215"main" (sg-0123).json');
    assert.deepEqual(parseVirtualDoc(address.path, address.query), ref);
    const cluster = { sourceId: 'evidence:/home/me/a b/demo', kind: 'cluster' as const, id: 'orders' };
    assert.deepEqual(parseVirtualDoc(virtualDocAddress(cluster, { source: 'a b/demo' }).path, virtualDocAddress(cluster).query), cluster);
    // Documents restored from before the query named them.
    assert.deepEqual(parseVirtualDoc('/demo/group/sg-1.json', ''), { sourceId: 'demo', kind: 'group', id: 'sg-1' });
    assert.equal(parseVirtualDoc('/x/unknown/sg-1.json', ''), undefined);
  });

  it('addresses plans by what rebuilds them, under a name for people', () => {
    const ref = { sourceId: 'demo', findingId: 'AURSG-001-1a40', fix: 'restrict', allow: ['10.0.0.0/16', 'sg-0123'], view: 'plan' as const };
    const address = planDocAddress(ref, { source: 'Demo account', title: 'Revoke ingress tcp 5432 from 0.0.0.0/0 on sg-1' });
    assert.equal(address.path, '/Demo account/Revoke ingress tcp 5432 from 0.0.0.0\u22150 on sg-1.md');
    assert.deepEqual(parsePlanDoc(address.query), ref);
    const script = planDocAddress({ ...ref, view: 'script', shell: 'powershell' }, { source: 'prod / eu-west-1', title: 't' });
    assert.equal(script.path, '/prod/eu-west-1/t.ps1');
    assert.equal(parsePlanDoc('source=demo&fix=revoke&view=plan'), undefined, 'a finding is required');
  });

  it('runs only the last call per key after the quiet period', async () => {
    const debouncer = new KeyedDebouncer<string>(20);
    const ran: string[] = [];
    debouncer.schedule('a', () => ran.push('a1'));
    debouncer.schedule('a', () => ran.push('a2'));
    debouncer.schedule('b', () => ran.push('b1'));
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(ran.sort(), ['a2', 'b1']);
    debouncer.schedule('c', () => ran.push('c'));
    debouncer.dispose();
    await new Promise((r) => setTimeout(r, 40));
    assert.ok(!ran.includes('c'));
  });
});

describe('extension: which documents start the runtime', () => {
  const never = () => { throw new Error('the text is not read for this name'); };

  it('takes evidence files by name, without reading them', () => {
    assert.ok(looksAudited('file', '/x/describe-security-groups.json', never));
    assert.ok(looksAudited('file', 'C:\\x\\get-managed-prefix-list-entries.pl-0a1b.json', never));
    assert.ok(looksAudited('aurora-sg', '/demo/group/sg-1.json', never));
    assert.ok(!looksAudited('untitled', 'describe-security-groups.json', never));
  });

  it('takes CloudFormation and Terraform that declare groups or clusters, and nothing else', () => {
    assert.ok(looksAudited('file', '/x/stack.yaml', () => 'Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n'));
    assert.ok(looksAudited('file', '/x/main.tf', () => 'resource "aws_security_group" "db" {}'));
    assert.ok(!looksAudited('file', '/x/package.json', () => '{"name":"x"}'));
    assert.ok(!looksAudited('file', '/x/notes.md', () => 'AWS::RDS::DBCluster'));
  });
});

describe('extension: source ids', () => {
  it('rebuilds every fetchable source from its id, profile names with colons included', () => {
    for (const descriptor of [liveDescriptor('team:prod', 'eu-west-1'), evidenceDescriptor('/tmp/a:b/evidence')]) {
      assert.deepEqual(descriptorFromId(descriptor.id, '/ext/demo'), descriptor);
    }
    assert.deepEqual(descriptorFromId(sourceIds.demo, '/ext/demo'), { id: 'demo', kind: 'demo', label: 'Demo account', path: '/ext/demo' });
    assert.equal(descriptorFromId(sourceIds.iac('/x/main.tf'), '/ext/demo'), undefined, 'IaC is read from the editor, never fetched');
  });
});

describe('extension: the log never carries credentials', () => {
  it('redacts access key ids, secret keys and session tokens, and nothing else', () => {
    assert.equal(redact('using AKIAIOSFODNN7EXAMPLE for prod'), 'using AKIA…[redacted] for prod');
    assert.equal(redact('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG'), 'aws_secret_access_key = [redacted]');
    assert.equal(redact('SessionToken: IQoJb3JpZ2luX2VjEJr'), 'SessionToken: [redacted]');
    const plain = 'aws ec2 revoke-security-group-ingress --group-id sg-0123 --security-group-rule-ids sgr-0abc';
    assert.equal(redact(plain), plain);
  });
});

describe('extension: settings as the Settings editor shows them', () => {
  it('are titled "Aurora SG" and describe every value of their enums', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { title: string; properties: Record<string, unknown> } } };
    assert.equal(manifest.contributes.configuration.title, 'Aurora SG');
    const enums: { where: string; values: unknown[]; descriptions?: unknown[] }[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as { enum?: unknown[]; enumDescriptions?: unknown[] };
      if (Array.isArray(n.enum)) enums.push({ where, values: n.enum, descriptions: n.enumDescriptions });
      for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
    };
    walk(manifest.contributes.configuration.properties, 'properties');
    assert.ok(enums.length >= 5, 'the rule ids, severities, shells and run modes are enums');
    for (const e of enums) assert.equal(e.descriptions?.length, e.values.length, `${e.where}: one description per value`);
  });
});
