// The audit engine's public surface. Pure: no vscode, no @aws-sdk, no I/O.

export { auditInventory, runAudit, compareFindings, completeSettings, suppressionMatches, worstSeverity, findingsFor, countBySeverity } from './audit';
export type { AuditResult } from './audit';
export { RULES, RULE_IDS, isRuleId } from './catalog';
export type { RuleInfo, RuleReference } from './catalog';
export { parseSettings, databasePortsFor, defaultSettings, isApprovedSourceSpelling } from './settings';
export {
  parseCidr, parseCidrCached, clearCidrCache, isAnywhere, isPublicCidr, isPrivateCidr, cidrContains, coversFamily,
} from './cidr';
export type { ParsedCidr, Family, Reach } from './cidr';
export { tcpKind, tcpRange, reachesPort, opensAllPorts, opensPortRange, describePorts, isValidPort } from './ports';
export { describeRule, describeSource, describeGroup, quote } from './describe';
export { findingId, scopeOf } from './findingId';
export { isRdsInterface } from './network';
