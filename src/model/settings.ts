// The audit settings: one schema for VS Code settings (auroraSg.*) and the CLI's --config JSON.

import type { RuleId, Severity } from './types';

export interface Suppression {
  ruleId: RuleId;
  /** Narrow to one group, cluster, rule, finding or IaC resource; with none of these the whole rule id is suppressed. */
  groupId?: string;
  clusterId?: string;
  securityGroupRuleId?: string;
  findingId?: string;
  /** An IaC resource address (aws_security_group.db) or CloudFormation logical id: findings declared in that resource, or about it. */
  resource?: string;
  /** Required: a suppression says why. */
  reason: string;
}

export interface AuditSettings {
  /** CIDRs (v4 or v6), security group ids (sg-...) and prefix list ids (pl-...) allowed to reach the database. */
  approvedSources: string[];
  /** AURSG-004: private CIDRs with a prefix shorter than these are "broader than one VPC". */
  broadCidrThresholds: { ipv4: number; ipv6: number };
  /** Ports that files without clusters (evidence, IaC) are judged against, beside any cluster ports found. */
  databasePorts: number[];
  severityOverrides: Partial<Record<RuleId, Severity>>;
  suppressions: Suppression[];
}

export const DEFAULT_SETTINGS: Readonly<AuditSettings> = Object.freeze({
  approvedSources: [],
  broadCidrThresholds: { ipv4: 16, ipv6: 56 },
  databasePorts: [3306, 5432],
  severityOverrides: {},
  suppressions: [],
});
