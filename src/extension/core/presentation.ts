// What the tree and the diagnostics show for each model object: labels, descriptions,
// contextValues and severities. Pure (no vscode), so it is unit-tested directly.

import { SEVERITIES, type Cluster, type Finding, type Instance, type Rule, type SecurityGroup, type Severity } from '../../model/types';
import { describeRule, worstSeverity } from '../../rules';

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

/** Codicon and theme colour per severity; `undefined` severity means "nothing risky". */
export function severityIcon(severity: Severity | undefined): { id: string; color?: string } {
  switch (severity) {
    case 'critical':
    case 'high':
      return { id: 'error', color: 'problemsErrorIcon.foreground' };
    case 'medium':
      return { id: 'warning', color: 'problemsWarningIcon.foreground' };
    case 'low':
      return { id: 'info', color: 'problemsInfoIcon.foreground' };
    case 'info':
      return { id: 'lightbulb' };
    default:
      return { id: 'pass', color: 'testing.iconPassed' };
  }
}

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

export function clusterDescription(cluster: Cluster, findings: readonly Finding[]): string {
  const worst = worstSeverity(findings);
  const engine = cluster.engine + (cluster.engineVersion ? ` ${cluster.engineVersion}` : '');
  const parts = [engine, `port ${cluster.port}`, cluster.status];
  if (worst) parts.push(worst);
  return parts.join(' · ');
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

/** Markdown-escapes text read from AWS (names, descriptions are hostile input). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
