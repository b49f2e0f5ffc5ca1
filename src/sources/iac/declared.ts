// Turns one declared rule (CloudFormation or Terraform, already resolved to plain values)
// into model rules, one per source, and holds the Aurora defaults both formats share.

import { normaliseProtocol } from '../../model/protocol';
import type { Direction, Inventory, NetworkAcl, NetworkAclEntry, Rule, RuleSource, SourceRange } from '../../model/types';

/** Status given to clusters and instances read from IaC: they are declared, not observed. */
export const DECLARED_STATUS = 'declared';

export { isAuroraEngine } from '../../model/fromAws';

/** The port RDS gives an Aurora cluster (of an engine isAuroraEngine accepts) that declares none. */
export function defaultAuroraPort(engine: string): number {
  return engine === 'aurora-postgresql' ? 5432 : 3306;
}

/**
 * The port a declared Aurora cluster listens on: the declared one (already resolved, or why it
 * could not be), else the engine's default. A declared value that is not a port (0, -1, 70000)
 * is refused: judged against it, the cluster would pass with no rule reaching it.
 */
export function declaredClusterPort(
  engine: string, declared: { ok: true; value: string } | { ok: false; why: string } | undefined,
): { ok: true; port: number } | { ok: false; why: string } {
  if (!declared) return { ok: true, port: defaultAuroraPort(engine) };
  if (!declared.ok) return declared;
  const port = portNumber(declared.value);
  if (port === undefined || port < 1 || port > 65535) return { ok: false, why: `${JSON.stringify(declared.value)} is not a port` };
  return { ok: true, port };
}

export interface DeclaredRule {
  groupId: string;
  direction: Direction;
  protocol: string | number;
  fromPort?: number;
  toPort?: number;
  sources: RuleSource[];
  description?: string;
  location: SourceRange;
}

export type RuleBuild = { ok: true; rules: Rule[] } | { ok: false; why: string };

export function buildRules(declared: DeclaredRule): RuleBuild {
  const protocol = normaliseProtocol(declared.protocol);
  if (!protocol) return { ok: false, why: `unknown protocol ${JSON.stringify(String(declared.protocol))}` };
  if (declared.sources.length === 0) return { ok: false, why: 'it names no source or destination' };
  const ports: { fromPort?: number; toPort?: number } = {};
  // Protocol all covers every port whatever the file says; other protocols keep what is declared.
  if (protocol !== 'all') {
    if (protocol === 'tcp' || protocol === 'udp') {
      if (declared.fromPort === undefined || declared.toPort === undefined) {
        return { ok: false, why: `${protocol} needs both a from port and a to port` };
      }
    }
    if (declared.fromPort !== undefined) ports.fromPort = declared.fromPort;
    if (declared.toPort !== undefined) ports.toPort = declared.toPort;
  }
  const rules = declared.sources.map((source): Rule => {
    const rule: Rule = { groupId: declared.groupId, direction: declared.direction, protocol, ...ports, source, location: declared.location };
    if (declared.description !== undefined) rule.description = declared.description;
    return rule;
  });
  return { ok: true, rules };
}

/** A port written as a number or a numeric string ("3306"); undefined for anything else. */
export function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * The rules of a VPC's default network ACL as AWS creates it: everything allowed both ways at
 * rule 100 (then the final deny), for IPv4 and for IPv6, whose rules AWS adds once the VPC has an
 * IPv6 block (a generated one cannot be seen in the file, so they are always there).
 */
export function awsDefaultAclEntries(): NetworkAclEntry[] {
  return (['0.0.0.0/0', '::/0'] as const).flatMap((cidr) => [false, true].map((egress) => ({ ruleNumber: 100, egress, protocol: 'all' as const, action: 'allow' as const, cidr })));
}

/** The network ACLs a file declares, judged from now on (AURSG-009 against AURSG-011). */
export function putNetworkAcls(inventory: Inventory, acls: readonly NetworkAcl[]): void {
  inventory.networkAcls.push(...acls);
  inventory.coverage.networkAcls = acls.length > 0;
}
