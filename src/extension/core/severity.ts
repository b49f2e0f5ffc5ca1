// How a severity looks everywhere the extension shows one (tree icons, pickers, tooltips, the
// status bar, the view's badge), and how counts of findings read. Critical and high must never
// look alike: they differ in shape and in colour. Pure (no vscode): the tree and the tests
// both read these.

import { SEVERITIES, type Finding, type Severity } from '../../model/types';

export interface SeverityLook {
  /** Codicon id. */
  icon: string;
  /** Theme colour id for ThemeColor (tree icons). */
  color: string;
  /** The same colour as a CSS variable, for Markdown tooltips (`<span style="color:...">`). */
  cssColor: string;
}

const LOOKS: Record<Severity, SeverityLook> = {
  critical: { icon: 'flame', color: 'charts.red', cssColor: 'var(--vscode-charts-red)' },
  high: { icon: 'error', color: 'charts.orange', cssColor: 'var(--vscode-charts-orange)' },
  medium: { icon: 'warning', color: 'charts.yellow', cssColor: 'var(--vscode-charts-yellow)' },
  low: { icon: 'info', color: 'charts.blue', cssColor: 'var(--vscode-charts-blue)' },
  info: { icon: 'lightbulb', color: 'descriptionForeground', cssColor: 'var(--vscode-descriptionForeground)' },
};

export function severityLook(severity: Severity): SeverityLook {
  return LOOKS[severity];
}

/** Codicon and theme colour for a node; `undefined` severity means "nothing risky" (a green pass). */
export function severityIcon(severity: Severity | undefined): { id: string; color?: string } {
  if (!severity) return { id: 'pass', color: 'testing.iconPassed' };
  return { id: LOOKS[severity].icon, color: LOOKS[severity].color };
}

/** `$(flame) critical` in the severity's colour, for Markdown with supportHtml and supportThemeIcons. */
export function severityBadgeMarkdown(severity: Severity): string {
  const look = LOOKS[severity];
  return `<span style="color:${look.cssColor};">$(${look.icon})</span> ${severity}`;
}

/** A short name per rule id, for rows that must stay short ("open to anywhere"). */
const SHORT_TITLES: Record<string, string> = {
  'AURSG-001': 'open to anywhere',
  'AURSG-002': 'all traffic from anywhere',
  'AURSG-003': 'public address range',
  'AURSG-004': 'broad private range',
  'AURSG-005': 'opens extra ports',
  'AURSG-006': 'not an approved source',
  'AURSG-007': 'VPC default group',
  'AURSG-008': 'open egress',
  'AURSG-009': 'reachable from the internet',
  'AURSG-010': 'shared group',
  'AURSG-011': 'only a network ACL in the way',
};

export function shortTitle(finding: Pick<Finding, 'ruleId' | 'title'>): string {
  return SHORT_TITLES[finding.ruleId] ?? finding.title;
}

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** Active (not suppressed) findings by severity. */
export function countFindings(findings: readonly Finding[], into: SeverityCounts = emptyCounts()): SeverityCounts {
  for (const finding of findings) if (!finding.suppressed) into[finding.severity]++;
  return into;
}

export function addCounts(a: SeverityCounts, b: SeverityCounts): SeverityCounts {
  const sum = emptyCounts();
  for (const severity of SEVERITIES) sum[severity] = a[severity] + b[severity];
  return sum;
}

export function totalOf(counts: SeverityCounts): number {
  return SEVERITIES.reduce((n, s) => n + counts[s], 0);
}

/**
 * The severities worth a headline: critical and high when there are any (they are the
 * errors), otherwise the worst one present. Empty when nothing is found.
 */
export function headlineSeverities(counts: SeverityCounts): Severity[] {
  const errors = (['critical', 'high'] as const).filter((s) => counts[s] > 0);
  if (errors.length) return errors;
  const worst = SEVERITIES.find((s) => counts[s] > 0);
  return worst ? [worst] : [];
}

/** "5 critical, 2 high"; "3 low"; "no findings". */
export function headline(counts: SeverityCounts): string {
  const shown = headlineSeverities(counts);
  return shown.length ? shown.map((s) => `${counts[s]} ${s}`).join(', ') : 'no findings';
}

/** How many findings the headline counts (the view's badge number). */
export function headlineTotal(counts: SeverityCounts): number {
  return headlineSeverities(counts).reduce((n, s) => n + counts[s], 0);
}

/** Every non-zero severity: "5 critical, 3 high, 2 medium, 10 low, 1 info". */
export function fullCounts(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(', ') : 'no findings';
}

export interface SourceCounts {
  label: string;
  counts: SeverityCounts;
}

/** Counts per source (in the given order) and in all. */
export function summarise(sources: readonly { descriptor: { label: string }; findings: readonly Finding[] }[]): { total: SeverityCounts; perSource: SourceCounts[] } {
  const perSource = sources.map((s) => ({ label: s.descriptor.label, counts: countFindings(s.findings) }));
  const total = perSource.reduce((sum, s) => addCounts(sum, s.counts), emptyCounts());
  return { total, perSource };
}
