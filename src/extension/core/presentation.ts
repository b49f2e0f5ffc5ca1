// What the tree and the diagnostics show for each model object: labels, descriptions,
// contextValues and severities. Pure (no vscode), so it is unit-tested directly.

import { SEVERITIES, type Cluster, type Finding, type Instance, type Rule, type SecurityGroup, type Severity } from '../../model/types';
import { describeRule, worstSeverity } from '../../rules';
import { shortTitle } from './severity';

/** "inbound tcp 3306 from 0.0.0.0/0" */
export function ruleLabel(rule: Rule): string {
  const direction = rule.direction === 'ingress' ? 'inbound' : 'outbound';
  return `${direction} ${describeRule(rule)}`;
}

export type DiagnosticLevel = 'error' | 'warning' | 'information' | 'hint';

/** design.md section 3: critical and high are errors, medium warnings, low information, info hints. */
export function diagnosticLevel(severity: Severity): DiagnosticLevel {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    case 'low':
      return 'information';
    default:
      return 'hint';
  }
}

export { severityIcon } from './severity';

/** The state word used in contextValues: the worst severity, "suppressed", or "ok". */
export function stateOf(findings: readonly Finding[]): Severity | 'suppressed' | 'ok' {
  const worst = worstSeverity(findings);
  if (worst) return worst;
  return findings.length ? 'suppressed' : 'ok';
}

/**
 * contextValues carry kind and state so menus can match them with `viewItem =~ /.../`:
 * auroraSg.rule.risky.ingress, auroraSg.rule.ok.egress, auroraSg.cluster.critical, ...
 */
export const contextValues = {
  rule(rule: Rule, findings: readonly Finding[]): string {
    const active = findings.filter((f) => !f.suppressed);
    const state = active.length ? 'risky' : findings.length ? 'suppressed' : 'ok';
    return `auroraSg.rule.${state}.${rule.direction}`;
  },
  cluster(findings: readonly Finding[]): string {
    return `auroraSg.cluster.${stateOf(findings)}`;
  },
  instance(instance: Instance, findings: readonly Finding[]): string {
    return `auroraSg.instance.${instance.publiclyAccessible ? 'public' : 'private'}.${stateOf(findings)}`;
  },
  group(shared: boolean, findings: readonly Finding[]): string {
    return `auroraSg.group.${shared ? 'shared' : 'dedicated'}.${stateOf(findings)}`;
  },
};

/** "PostgreSQL 15.4", "MySQL 8.0": the engine a person recognises, without Aurora's build suffix. */
export function engineLabel(cluster: Pick<Cluster, 'engine' | 'engineVersion'>): string {
  const name = /postgres/i.test(cluster.engine) ? 'PostgreSQL' : /mysql|^aurora$/i.test(cluster.engine) ? 'MySQL' : cluster.engine;
  // Aurora MySQL spells its versions "8.0.mysql_aurora.3.05.2": the MySQL version is the part before.
  const version = cluster.engineVersion?.split('.mysql_aurora.')[0];
  return version ? `${name} ${version}` : name;
}

/** Worst severity first ("3 critical"), then engine and port; the status only when it is not "available". */
export function clusterDescription(cluster: Cluster, findings: readonly Finding[]): string {
  const worst = worstSeverity(findings);
  const parts: string[] = [];
  if (worst) parts.push(`${findings.filter((f) => !f.suppressed && f.severity === worst).length} ${worst}`);
  parts.push(engineLabel(cluster), `port ${cluster.port}`);
  if (cluster.status !== 'available') parts.push(cluster.status);
  return parts.join(' · ');
}

/**
 * A rule row's description: the worst severity and its short title before the rule ids
 * ("critical · open to anywhere · AURSG-001 AURSG-009"); "suppressed · AURSG-…" when all are
 * suppressed; the rule's own AWS description when nothing is found.
 */
export function ruleDescription(rule: Rule, findings: readonly Finding[]): string | undefined {
  const active = findings.filter((f) => !f.suppressed);
  const ids = (list: readonly Finding[]) => [...new Set(list.map((f) => f.ruleId))].sort().join(' ');
  if (active.length) {
    const worst = [...active].sort(byWorstFirst)[0];
    return `${worst.severity} · ${shortTitle(worst)} · ${ids(active)}`;
  }
  if (findings.length) return `suppressed · ${ids(findings)}`;
  return rule.description;
}

export function instanceDescription(instance: Instance): string {
  const parts = [instance.publiclyAccessible ? 'public' : 'private'];
  if (instance.isWriter !== undefined) parts.push(instance.isWriter ? 'writer' : 'reader');
  if (instance.instanceClass) parts.push(instance.instanceClass);
  parts.push(instance.status);
  return parts.join(' · ');
}

export function groupDescription(group: SecurityGroup, shared: boolean): string {
  return shared ? `${group.groupId} · shared` : group.groupId;
}

/** Sort: worst first, then by rule id; used for quick picks and exports. */
export function byWorstFirst(a: Finding, b: Finding): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId);
}

/**
 * Markdown-escapes text read from AWS (names, descriptions are hostile input), as one line:
 * markup characters are backslash-escaped, `&` and `<` cannot start an entity or a tag.
 * Never use it inside a code span (there a backslash shows as itself): use codeSpan.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text as an inline code span that nothing inside can close (CommonMark: a longer backtick run), on one line. */
export function codeSpan(text: string): string {
  const line = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}
