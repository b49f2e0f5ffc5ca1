// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one result per finding,
// located at the offending rule inside the evidence or IaC file, so code scanning and
// SARIF viewers open the exact line.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleId, Severity, SourceRange } from '../../model/types';
import { RULES } from '../../rules';
import type { AuditReport } from '../auditRun';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { fixesFor } from './json';
import { groupOf } from './table';
import { findingSubject } from './text';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note',
};

/** GitHub code scanning reads this property to rank security results (9+ critical, 7+ high, 4+ medium). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0',
};

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return LEVEL[severity];
}

export function sarifReport(report: AuditReport, cwd: string): object {
  const ruleIds = Object.keys(RULES).sort() as RuleId[];
  const rules = ruleIds.map((id) => {
    const info = RULES[id];
    const references = info.references.map((r) => `- [${r.title}](${r.url})`).join('\n');
    return {
      id,
      name: toPascalCase(info.title),
      shortDescription: { text: info.title },
      fullDescription: { text: info.summary },
      help: {
        text: `${info.summary}\n\n${stripMarkdown(info.why)}\n\nFixes: ${info.fixes.join(', ') || 'none'}.\n\n${info.references.map((r) => `${r.title}: ${r.url}`).join('\n')}`,
        markdown: `${info.summary}\n\n${info.why}\n\n**Fixes:** ${info.fixes.map((f) => `\`${f}\``).join(', ') || 'none'}\n\n${references}`,
      },
      ...(info.references[0] ? { helpUri: info.references[0].url } : {}),
      defaultConfiguration: { level: LEVEL[info.severity] },
      properties: { tags: ['security', 'aws', 'aurora'], precision: 'high', 'security-severity': SECURITY_SEVERITY[info.severity], severity: info.severity },
    };
  });
  const results = report.findings.map((finding) => sarifResult(finding, ruleIds.indexOf(finding.ruleId), report, cwd));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules } },
      originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      ...(report.organization ? { properties: { organization: report.organization.line, accounts: report.organization.summary } } : {}),
      invocations: [{
        executionSuccessful: report.errors.length === 0,
        toolExecutionNotifications: report.errors.map((e) => ({
          level: 'error',
          message: { text: `${e.target}: ${e.message}` },
          ...(e.file ? { locations: [{ physicalLocation: {
            artifactLocation: artifactLocation(path.resolve(cwd, e.file), cwd),
            ...(e.line ? { region: { startLine: e.line, startColumn: e.column ?? 1 } } : {}),
          } }] } : {}),
        })),
      }],
      results,
    }],
  };
}

function sarifResult(finding: Finding, ruleIndex: number, report: AuditReport, cwd: string): object {
  const location = finding.location ?? finding.rule?.location;
  const logical = {
    name: finding.rule?.ruleId ?? finding.groupId ?? finding.instanceId ?? finding.clusterId ?? finding.target.label,
    fullyQualifiedName: [finding.target.accountId, finding.target.region, finding.clusterId, finding.instanceId, finding.groupId, finding.rule?.ruleId]
      .filter((part): part is string => !!part).join('/'),
    kind: 'resource',
  };
  const result: Record<string, unknown> = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVEL[finding.severity],
    // A member account's finding names the account: the same group id means nothing across accounts.
    message: { text: finding.target.accountName && finding.target.accountId ? `${finding.message} (account ${finding.target.accountName}, ${finding.target.accountId}${finding.target.region ? `, ${finding.target.region}` : ''})` : finding.message },
    locations: [location ? { physicalLocation: physicalLocation(location, cwd), logicalLocations: [logical] } : { logicalLocations: [logical] }],
    partialFingerprints: { 'auroraSgFindingId/v1': finding.id },
    properties: {
      findingId: finding.id,
      severity: finding.severity,
      subject: findingSubject(finding, groupOf(report, finding)),
      target: finding.target.label,
      ...(finding.target.profile ? { profile: finding.target.profile } : {}),
      ...(finding.target.region ? { region: finding.target.region } : {}),
      ...(finding.target.accountId ? { accountId: finding.target.accountId } : {}),
      ...(finding.target.accountName ? { accountName: finding.target.accountName } : {}),
      ...(finding.clusterId ? { clusterId: finding.clusterId } : {}),
      ...(finding.instanceId ? { instanceId: finding.instanceId } : {}),
      ...(finding.groupId ? { groupId: finding.groupId } : {}),
      ...(finding.rule?.ruleId ? { securityGroupRuleId: finding.rule.ruleId } : {}),
      fixes: fixesFor(finding, report.inventoryOf.get(finding)),
    },
  };
  if (finding.suppressed) result.suppressions = [{ kind: 'external', status: 'accepted', justification: finding.suppressed.reason }];
  return result;
}

function physicalLocation(location: SourceRange, cwd: string): object {
  return {
    artifactLocation: artifactLocation(location.file, cwd),
    region: {
      startLine: location.start.line + 1,
      startColumn: location.start.character + 1,
      endLine: location.end.line + 1,
      // SARIF's endColumn is the column just past the region; the model's end is exclusive too.
      endColumn: location.end.character + 1,
    },
  };
}

/** Relative to the working folder (uriBaseId SRCROOT) when inside it, else an absolute file: URI. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(cwd, file);
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
  }
  return { uri: pathToFileURL(file).href };
}

function toPascalCase(title: string): string {
  return title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^./, (c) => c.toUpperCase());
}

function stripMarkdown(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
}
