// Validation of the audit settings (VS Code settings or the CLI's --config JSON). Bad
// entries are dropped one by one, each with a problem naming the field and where it came
// from; the valid rest is kept, so one typo never disables the whole configuration.

import { DEFAULT_SETTINGS, type AuditSettings, type Suppression } from '../model/settings';
import { SEVERITIES, type Inventory, type RuleId, type Severity } from '../model/types';
import { isRuleId } from './catalog';
import { parseCidr } from './cidr';
import { isValidPort } from './ports';

const KNOWN_KEYS = ['approvedSources', 'broadCidrThresholds', 'databasePorts', 'severityOverrides', 'suppressions'] as const;

const SG_ID = /^sg-[0-9a-zA-Z]{1,64}$/;
const PL_ID = /^pl-[0-9a-zA-Z]{1,64}$/;
const SGR_ID = /^sgr-[0-9a-zA-Z]{1,64}$/;
/**
 * An IaC resource: a Terraform address (aws_security_group.db, module.net.aws_security_group.db[0],
 * aws_security_group.db["a"]) or a CloudFormation logical id (DbSecurityGroup).
 */
const IAC_RESOURCE = /^((module\.[A-Za-z_][\w-]*(\[[^\]]+\])?\.)*(data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(\[[^\]]+\])?|[A-Za-z0-9]{1,255})$/;
const SG_OR_IAC = new RegExp(`${SG_ID.source}|${IAC_RESOURCE.source}`);

export function defaultSettings(): AuditSettings {
  return {
    approvedSources: [...DEFAULT_SETTINGS.approvedSources],
    broadCidrThresholds: { ...DEFAULT_SETTINGS.broadCidrThresholds },
    databasePorts: [...DEFAULT_SETTINGS.databasePorts],
    severityOverrides: { ...DEFAULT_SETTINGS.severityOverrides },
    suppressions: [...DEFAULT_SETTINGS.suppressions],
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Whether a value is an approved-source spelling: a CIDR, sg-... or pl-.... */
export function isApprovedSourceSpelling(value: string): boolean {
  return SG_ID.test(value) || PL_ID.test(value) || parseCidr(value) !== undefined;
}

/**
 * Reads settings from untrusted input. Keys may be bare (`approvedSources`) or prefixed as
 * in settings.json (`auroraSg.approvedSources`). Missing keys take their defaults.
 */
export function parseSettings(raw: unknown, origin: string): { settings: AuditSettings; problems: string[] } {
  const settings = defaultSettings();
  const problems: string[] = [];
  const problem = (field: string, text: string) => problems.push(`${origin}: ${field}: ${text}`);
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isPlainObject(raw)) {
    problems.push(`${origin}: settings must be a JSON object, got ${show(raw)}; defaults used.`);
    return { settings, problems };
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const bare = key.startsWith('auroraSg.') ? key.slice('auroraSg.'.length) : key;
    if ((KNOWN_KEYS as readonly string[]).includes(bare)) values[bare] = value;
    else if (!key.startsWith('$')) problem(key, `unknown setting (ignored); known settings are ${KNOWN_KEYS.join(', ')}.`);
  }

  if (values.approvedSources !== undefined) {
    if (!Array.isArray(values.approvedSources)) problem('approvedSources', `must be a list of CIDRs, sg- or pl- ids, got ${show(values.approvedSources)}.`);
    else {
      settings.approvedSources = [];
      values.approvedSources.forEach((entry, i) => {
        const text = typeof entry === 'string' ? entry.trim() : undefined;
        if (text && isApprovedSourceSpelling(text)) settings.approvedSources.push(text);
        else problem(`approvedSources[${i}]`, `${show(entry)} is not a CIDR (e.g. 203.0.113.0/24, 2001:db8::/32), a security group id (sg-...) or a prefix list id (pl-...); ignored.`);
      });
    }
  }

  if (values.broadCidrThresholds !== undefined) {
    const thresholds = values.broadCidrThresholds;
    if (!isPlainObject(thresholds)) problem('broadCidrThresholds', `must be an object like {"ipv4": 16, "ipv6": 56}, got ${show(thresholds)}.`);
    else {
      for (const [family, max] of [['ipv4', 32], ['ipv6', 128]] as const) {
        const value = thresholds[family];
        if (value === undefined) continue;
        if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) settings.broadCidrThresholds[family] = value;
        else problem(`broadCidrThresholds.${family}`, `must be a whole number from 0 to ${max}, got ${show(value)}; default ${DEFAULT_SETTINGS.broadCidrThresholds[family]} used.`);
      }
      for (const key of Object.keys(thresholds)) {
        if (key !== 'ipv4' && key !== 'ipv6') problem(`broadCidrThresholds.${key}`, 'unknown key (ignored); use ipv4 and ipv6.');
      }
    }
  }

  if (values.databasePorts !== undefined) {
    if (!Array.isArray(values.databasePorts)) problem('databasePorts', `must be a list of ports, got ${show(values.databasePorts)}.`);
    else {
      const ports = new Set<number>();
      values.databasePorts.forEach((port, i) => {
        if (isValidPort(port)) ports.add(port);
        else problem(`databasePorts[${i}]`, `${show(port)} is not a port (a whole number from 1 to 65535); ignored.`);
      });
      settings.databasePorts = [...ports].sort((a, b) => a - b);
    }
  }

  if (values.severityOverrides !== undefined) {
    if (!isPlainObject(values.severityOverrides)) problem('severityOverrides', `must be an object like {"AURSG-008": "info"}, got ${show(values.severityOverrides)}.`);
    else {
      settings.severityOverrides = {};
      for (const [key, value] of Object.entries(values.severityOverrides)) {
        if (!isRuleId(key)) problem(`severityOverrides.${key}`, 'not a rule id (AURSG-001 to AURSG-010); ignored.');
        else if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) {
          problem(`severityOverrides.${key}`, `${show(value)} is not a severity (${SEVERITIES.join(', ')}); ignored.`);
        } else settings.severityOverrides[key] = value as Severity;
      }
    }
  }

  if (values.suppressions !== undefined) {
    if (!Array.isArray(values.suppressions)) problem('suppressions', `must be a list, got ${show(values.suppressions)}.`);
    else {
      settings.suppressions = [];
      values.suppressions.forEach((entry, i) => {
        const suppression = parseSuppression(entry, (text) => problem(`suppressions[${i}]`, text));
        if (suppression) settings.suppressions.push(suppression);
      });
    }
  }
  return { settings, problems };
}

function parseSuppression(entry: unknown, problem: (text: string) => void): Suppression | undefined {
  if (!isPlainObject(entry)) {
    problem(`must be an object like {"ruleId": "AURSG-008", "groupId": "sg-...", "reason": "..."}, got ${show(entry)}; ignored.`);
    return undefined;
  }
  if (!isRuleId(entry.ruleId)) {
    problem(`ruleId ${show(entry.ruleId)} is not a rule id (AURSG-001 to AURSG-010); suppression ignored.`);
    return undefined;
  }
  const reason = typeof entry.reason === 'string' ? entry.reason.trim() : '';
  if (!reason) {
    problem(`a suppression must give a reason (a non-empty "reason" text); suppression of ${entry.ruleId} ignored.`);
    return undefined;
  }
  const suppression: Suppression = { ruleId: entry.ruleId as RuleId, reason };
  const optional: [keyof Suppression, RegExp | undefined, string][] = [
    ['groupId', SG_OR_IAC, 'a security group id (sg-...), an IaC resource address (aws_security_group.db) or a CloudFormation logical id'],
    ['clusterId', undefined, 'a cluster identifier'],
    ['securityGroupRuleId', SGR_ID, 'a security group rule id (sgr-...)'],
    ['findingId', undefined, 'a finding id'],
    ['resource', IAC_RESOURCE, 'an IaC resource address (aws_security_group.db) or a CloudFormation logical id'],
  ];
  for (const [key, pattern, what] of optional) {
    const value = entry[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.trim() || (pattern && !pattern.test(value.trim()))) {
      problem(`${key} ${show(value)} is not ${what}; suppression of ${entry.ruleId} ignored.`);
      return undefined;
    }
    (suppression as unknown as Record<string, string>)[key] = value.trim();
  }
  for (const key of Object.keys(entry)) {
    if (!['ruleId', 'reason', 'groupId', 'clusterId', 'securityGroupRuleId', 'findingId', 'resource'].includes(key)) {
      problem(`unknown key ${show(key)} (ignored).`);
    }
  }
  return suppression;
}

/** The ports that groups without a cluster are judged against: the setting plus every cluster port, sorted. */
export function databasePortsFor(inventory: Inventory, settings: AuditSettings): number[] {
  const ports = new Set<number>();
  for (const port of settings.databasePorts) if (isValidPort(port)) ports.add(port);
  for (const cluster of inventory.clusters) if (isValidPort(cluster.port)) ports.add(cluster.port);
  return [...ports].sort((a, b) => a - b);
}
