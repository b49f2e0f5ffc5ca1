// Compact Markdown tooltips for tree rows (and the text of a finding's hover): a headline, one
// line per finding with its severity in its own icon and colour, and one sentence on why it
// matters per rule id with a link to read more. Short, so the hover does not cover the row's
// inline actions.

import * as vscode from 'vscode';
import { RULES } from '../../rules';
import type { Finding, Rule, Severity } from '../../model/types';
import { byWorstFirst, codeSpan, escapeMarkdown, ruleLabel } from '../core/presentation';
import { countFindings, severityBadgeMarkdown, severityLook, type SeverityCounts } from '../core/severity';
import { SEVERITIES } from '../../model/types';

/** A MarkdownString that may show theme icons and coloured spans (and nothing else of HTML). */
export function tooltipMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportHtml = true;
  return md;
}

/** "$(flame) 3 critical · $(error) 1 high", each icon in its severity's colour; empty when nothing. */
export function countsMarkdown(counts: SeverityCounts): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `<span style="color:${severityLook(s).cssColor};">$(${severityLook(s).icon})</span> ${counts[s]} ${s}`)
    .join(' · ');
}

/** The first sentence of a rule's "why" (the catalog's paragraph is for the README). */
function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/.exec(text);
  return match ? match[1] : text;
}

/**
 * A finding's message; for one that carries its reachability path (AURSG-009, AURSG-011), the
 * sentence before the path, then the path one layer a line: internet, route, ACL, groups, instance.
 */
function messageMarkdown(finding: Finding): string {
  const path = finding.path;
  const at = path?.length ? finding.message.indexOf(path[0]!.text) : -1;
  if (!path || at <= 0) return escapeMarkdown(finding.message);
  const lead = finding.message.slice(0, at).replace(/[\s:]+$/, '');
  return `${escapeMarkdown(lead)}:\n\n${path.map((hop, i) => `${i + 1}. ${escapeMarkdown(hop.text)}`).join('\n')}`;
}

/** One line per finding, worst first, then why each rule matters once. */
export function appendFindings(md: vscode.MarkdownString, findings: readonly Finding[]): void {
  const seen = new Set<string>();
  for (const finding of [...findings].sort(byWorstFirst)) {
    const state = finding.suppressed ? ` · suppressed: ${escapeMarkdown(finding.suppressed.reason)}` : '';
    md.appendMarkdown(`\n\n${severityBadgeMarkdown(finding.severity as Severity)} · **${escapeMarkdown(finding.title)}** ${codeSpan(finding.ruleId)}${state}  \n`);
    md.appendMarkdown(messageMarkdown(finding));
    seen.add(finding.ruleId);
  }
  for (const ruleId of seen) {
    const info = RULES[ruleId as keyof typeof RULES];
    if (!info) continue;
    const more = info.references[0] ? ` [Read more](${encodeURI(info.references[0].url)})` : '';
    md.appendMarkdown(`\n\n_${codeSpan(ruleId)}: ${firstSentence(info.why)}_${more}`);
  }
}

/** The tooltip of a rule row: the rule (and its sgr id, description), then its findings. */
export function findingMarkdown(findings: readonly Finding[], rule?: Rule): vscode.MarkdownString {
  const md = tooltipMarkdown();
  if (rule) {
    md.appendMarkdown(`**${escapeMarkdown(ruleLabel(rule))}**`);
    if (rule.ruleId) md.appendMarkdown(` ${codeSpan(rule.ruleId)}`);
    if (rule.description) md.appendMarkdown(`  \n_${escapeMarkdown(rule.description)}_`);
  }
  if (!findings.length) {
    md.appendMarkdown(`${rule ? '\n\n' : ''}$(pass) No finding.`);
    return md;
  }
  appendFindings(md, findings);
  return md;
}

/** A header line and the counts of these findings: the tooltip of a cluster, group or instance row. */
export function summaryMarkdown(header: string, findings: readonly Finding[]): vscode.MarkdownString {
  const md = tooltipMarkdown();
  md.appendMarkdown(header);
  const counts = countsMarkdown(countFindings(findings));
  md.appendMarkdown(`\n\n${counts || '$(pass) No findings.'}`);
  const suppressed = findings.filter((f) => f.suppressed).length;
  if (suppressed) md.appendMarkdown(` · ${suppressed} suppressed`);
  return md;
}
