// Small text helpers shared by the reports. Names, descriptions and messages come from AWS
// or from files: before they reach a terminal or a Markdown table, control characters
// (which could move the cursor, recolour or hide text) and line breaks are made visible.

import type { Finding, Rule, SecurityGroup, Severity } from '../../model/types';
import { describeRule } from '../../rules';

// C0 and C1 controls, DEL, line/paragraph separators, bidi overrides and isolates, BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One line, every control character shown as an escape (\n, \u{1b}). */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}

/** "ingress tcp 5432 from 0.0.0.0/0": the rules layer's wording, with the direction; a group reference names its account unless it is `contextOwnerId`. */
export function ruleSummary(rule: Rule, contextOwnerId?: string): string {
  return oneLine(`${rule.direction} ${describeRule(rule, contextOwnerId)}`);
}

/** What a finding is about: "instance analytics-pg-1 / analytics-db (sg-0123) / ingress tcp 5432 from 0.0.0.0/0". */
export function findingSubject(finding: Finding, group?: Pick<SecurityGroup, 'groupName' | 'ownerId'>): string {
  const parts: string[] = [];
  if (finding.instanceId) parts.push(`instance ${finding.instanceId}`);
  if (finding.groupId) parts.push(group?.groupName && group.groupName !== finding.groupId ? `${group.groupName} (${finding.groupId})` : finding.groupId);
  if (finding.rule) parts.push(ruleSummary(finding.rule, group?.ownerId));
  return oneLine(parts.join(' / '));
}

const ANSI: Record<Severity, string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
};

export function paintSeverity(severity: Severity, text: string, colour: boolean): string {
  return colour ? `${ANSI[severity]}${text}\u001b[0m` : text;
}

export function bold(text: string, colour: boolean): string {
  return colour ? `\u001b[1m${text}\u001b[0m` : text;
}

export function dim(text: string, colour: boolean): string {
  return colour ? `\u001b[2m${text}\u001b[0m` : text;
}

export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}
