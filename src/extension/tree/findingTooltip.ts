// The Markdown tooltip of a rule (and the hover text of a finding): what was found, why it
// matters (RULES[id].why) and where to read more.

import * as vscode from 'vscode';
import { RULES } from '../../rules';
import type { Finding, Rule } from '../../model/types';
import { escapeMarkdown, ruleLabel } from '../core/presentation';

export function findingMarkdown(findings: readonly Finding[], rule?: Rule): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  if (rule) {
    md.appendMarkdown(`**${escapeMarkdown(ruleLabel(rule))}**`);
    if (rule.ruleId) md.appendMarkdown(` \`${escapeMarkdown(rule.ruleId)}\``);
    if (rule.description) md.appendMarkdown(`\n\n_${escapeMarkdown(rule.description)}_`);
  }
  if (!findings.length) {
    md.appendMarkdown(`${rule ? '\n\n' : ''}$(pass) No finding.`);
    return md;
  }
  const seen = new Set<string>();
  for (const finding of findings) {
    md.appendMarkdown('\n\n---\n\n');
    md.appendMarkdown(`**${finding.ruleId}** · ${finding.severity}${finding.suppressed ? ' · suppressed' : ''} · ${escapeMarkdown(finding.title)}\n\n`);
    md.appendMarkdown(escapeMarkdown(finding.message));
    if (finding.suppressed) md.appendMarkdown(`\n\nSuppressed: ${escapeMarkdown(finding.suppressed.reason)}`);
    // The explanation and references are per rule id: show them once.
    if (seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    const info = RULES[finding.ruleId];
    if (!info) continue;
    md.appendMarkdown(`\n\n**Why it matters.** ${info.why}`);
    if (info.references.length) {
      md.appendMarkdown('\n\n' + info.references.map((r) => `[${escapeMarkdown(r.title)}](${encodeURI(r.url)})`).join(' · '));
    }
  }
  return md;
}
