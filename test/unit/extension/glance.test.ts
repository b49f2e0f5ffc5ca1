import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ruleKey } from '../../../src/model/fromAws';
import type { Finding } from '../../../src/model/types';
import { applicableFixes } from '../../../src/remediation';
import { auditInventory, countBySeverity } from '../../../src/rules';
import { SEVERITIES } from '../../../src/model/types';
import { loadEvidenceFolder } from '../../../src/sources/evidence';
import { renderGroupDocument } from '../../../src/extension/core/groupDocument';
import { createFocuser } from '../../../src/extension/core/focus';
import { quickFixes } from '../../../src/extension/core/quickFixes';
import { countFindings, fullCounts, headline, headlineTotal, shortTitle, summarise } from '../../../src/extension/core/severity';
import { RULES } from '../../../src/rules';

const DEMO = path.join(__dirname, '../../../samples/demo-account');

async function demo() {
  const inventory = await loadEvidenceFolder(DEMO);
  return { inventory, findings: auditInventory(inventory) };
}

/** The text a span covers. */
function textAt(text: string, span: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (span.start.line === span.end.line) return lines[span.start.line]!.slice(span.start.character, span.end.character);
  return [lines[span.start.line]!.slice(span.start.character), ...lines.slice(span.start.line + 1, span.end.line), lines[span.end.line]!.slice(0, span.end.character)].join('\n');
}

describe('extension: counts at a glance', () => {
  it('headlines critical and high, counts everything in full, and ignores suppressed findings', () => {
    const f = (severity: Finding['severity'], suppressed = false) => ({ severity, suppressed: suppressed ? { reason: 'r' } : undefined }) as Finding;
    const counts = countFindings([f('critical'), f('critical'), f('high'), f('low'), f('critical', true)]);
    assert.equal(headline(counts), '2 critical, 1 high');
    assert.equal(headlineTotal(counts), 3);
    assert.equal(fullCounts(counts), '2 critical, 1 high, 1 low');
    assert.equal(headline(countFindings([f('medium'), f('low')])), '1 medium', 'without errors, the worst severity present');
    assert.equal(headline(countFindings([])), 'no findings');
  });

  it('sums the demo account per source and in all, as the CLI counts it', async () => {
    const { findings } = await demo();
    const { total, perSource } = summarise([{ descriptor: { label: 'Demo account' }, findings }, { descriptor: { label: 'copy' }, findings }]);
    assert.deepEqual(perSource.map((s) => s.label), ['Demo account', 'copy']);
    // The CLI's own count (`aurora-sg audit --evidence samples/demo-account` prints it the same way).
    const cli = countBySeverity(findings);
    assert.deepEqual(perSource[0]!.counts, cli);
    assert.equal(fullCounts(perSource[0]!.counts), SEVERITIES.filter((s) => cli[s]).map((s) => `${cli[s]} ${s}`).join(', '));
    assert.equal(headline(total), `${2 * cli.critical} critical, ${2 * cli.high} high`);
  });

  it('has a short title for every rule of the catalog', () => {
    for (const info of Object.values(RULES)) {
      const short = shortTitle({ ruleId: info.id, title: info.title });
      assert.notEqual(short, info.title, `${info.id} has its own short title`);
      assert.ok(short.length <= 30, `${info.id}: "${short}" is short`);
    }
  });
});

describe('extension: squiggles on the value that is wrong', () => {
  it('in a group document: the CIDR for an open source, the protocol for all traffic, the ports for a range, the name of a default group', async () => {
    const { inventory, findings } = await demo();
    const cases: [string, string, string][] = [
      ['AURSG-001', 'sg-829a038dccef503e0', '"0.0.0.0/0"'],
      ['AURSG-003', 'sg-829a038dccef503e0', '"203.0.113.0/24"'],
      ['AURSG-002', 'sg-f54f4b3781d452ea8', '"-1"'],
      ['AURSG-004', 'sg-f54f4b3781d452ea8', '"10.0.0.0/8"'],
      ['AURSG-008', 'sg-829a038dccef503e0', '"0.0.0.0/0"'],
    ];
    for (const [ruleId, groupId, wrong] of cases) {
      const group = inventory.securityGroups.find((g) => g.groupId === groupId)!;
      const rendered = renderGroupDocument(group);
      const focus = createFocuser(rendered.text);
      const finding = findings.find((f) => f.ruleId === ruleId && f.rule?.groupId === groupId && (ruleId !== 'AURSG-008' || f.rule.source.value === '0.0.0.0/0'))!;
      const span = focus(rendered.ruleRanges.get(ruleKey(finding.rule!))!, finding);
      assert.equal(textAt(rendered.text, span), wrong, ruleId);
    }
    const ranged = findings.find((f) => f.ruleId === 'AURSG-005' && f.rule?.protocol === 'tcp')!;
    const rendered = renderGroupDocument(inventory.securityGroups.find((g) => g.groupId === ranged.rule!.groupId)!);
    assert.equal(textAt(rendered.text, createFocuser(rendered.text)(rendered.ruleRanges.get(ruleKey(ranged.rule!))!, ranged)), '3300', 'AURSG-005 on tcp 3300-3310 marks the port range');
    const defaultGroup = findings.find((f) => f.ruleId === 'AURSG-007')!;
    const groupDoc = renderGroupDocument(inventory.securityGroups.find((g) => g.groupId === defaultGroup.groupId)!);
    assert.equal(textAt(groupDoc.text, createFocuser(groupDoc.text)(groupDoc.groupRange, defaultGroup)), '"default"');
  });

  it('in evidence files: the CIDR of a rule, PubliclyAccessible of an instance, the group id in a cluster', async () => {
    const { findings } = await demo();
    const texts = new Map<string, string>();
    const at = (finding: Finding) => {
      const location = (finding.location ?? finding.rule?.location)!;
      if (!texts.has(location.file)) texts.set(location.file, readFileSync(location.file, 'utf8'));
      const text = texts.get(location.file)!;
      return textAt(text, createFocuser(text)(location, finding));
    };
    assert.equal(at(findings.find((f) => f.ruleId === 'AURSG-001' && f.rule?.source.value === '::/0')!), '"::/0"');
    assert.equal(at(findings.find((f) => f.ruleId === 'AURSG-009')!), 'true');
    const defaultGroup = findings.find((f) => f.ruleId === 'AURSG-007')!;
    assert.equal(at(defaultGroup), JSON.stringify(defaultGroup.groupId));
    assert.equal(at(findings.find((f) => f.ruleId === 'AURSG-010')!), JSON.stringify(findings.find((f) => f.ruleId === 'AURSG-010')!.groupId));
  });

  it('keeps the span it was given where the text holds no object there', () => {
    const span = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
    assert.deepEqual(createFocuser('not json')(span, { ruleId: 'AURSG-001' } as Finding), span);
  });
});

describe('extension: the quick-fix menu', () => {
  it('offers each fix once on a rule four findings share, preferred revoke first and suppress last', async () => {
    const { inventory, findings } = await demo();
    // legacy-orders-db's "all traffic from 0.0.0.0/0": AURSG-001, -002, -005 and -011 at once.
    const onRule = findings.filter((f) => f.rule?.groupId === 'sg-f54f4b3781d452ea8' && f.rule.protocol === 'all' && f.rule.direction === 'ingress');
    assert.deepEqual(onRule.map((f) => f.ruleId).sort(), ['AURSG-001', 'AURSG-002', 'AURSG-005', 'AURSG-011']);
    const menu = quickFixes(onRule.map((finding) => ({ sourceId: 'demo', finding, fixes: applicableFixes(finding, inventory) })), false);
    const titles = menu.map((m) => m.title);
    assert.equal(new Set(titles).size, titles.length, `no duplicate: ${titles.join(' | ')}`);
    assert.deepEqual(titles, [
      'Revoke the rule',
      'Restrict the rule to sources you choose…',
      'Make legacy-orders-2 private',
      'Move legacy-orders to a dedicated security group',
      'Suppress "open to anywhere" with a reason…',
      'Suppress "all traffic from anywhere" with a reason…',
      'Suppress "opens extra ports" with a reason…',
      'Suppress "only a network ACL in the way" with a reason…',
    ]);
    assert.deepEqual(menu.map((m) => m.preferred), [true, false, false, false, false, false, false, false]);
    assert.ok(titles.every((t) => !/AURSG-|preview plan/.test(t)), 'no rule ids, no "(preview plan)"');
    assert.deepEqual(menu[0]!.findingIds.sort(), onRule.map((f) => f.id).sort(), 'the revoke addresses all three diagnostics');
  });

  it('prefers restrict when approved sources are set, and names each instance a private fix acts on', async () => {
    const { inventory, findings } = await demo();
    const onRule = findings.filter((f) => f.rule?.groupId === 'sg-829a038dccef503e0' && f.rule.source.value === '0.0.0.0/0' && f.rule.direction === 'ingress');
    const menu = quickFixes(onRule.map((finding) => ({ sourceId: 'demo', finding, fixes: applicableFixes(finding, inventory) })), true);
    assert.equal(menu[0]!.title, 'Restrict the rule to the approved sources');
    assert.equal(menu[0]!.preferred, true);
    assert.ok(menu.some((m) => m.title === 'Make analytics-pg-1 private'), menu.map((m) => m.title).join(' | '));
    assert.equal(menu.filter((m) => m.title.startsWith('Revoke')).length, 1);
  });
});
