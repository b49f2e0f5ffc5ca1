// Port maths for rules: which ports a rule opens and whether it reaches a database port.
// Only tcp and "all" can reach a database; udp never does; ICMP's numbers are type and
// code, never ports; other IP protocols (e.g. 50) carry no tcp traffic.

import { normaliseProtocol } from '../model/protocol';
import type { Protocol, Rule } from '../model/types';

export const MIN_PORT = 0;
export const MAX_PORT = 65535;

/** Whether a value is a usable TCP/UDP port number for settings (1..65535). */
export function isValidPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PORT;
}

/**
 * How a protocol carries tcp: all of it, by port, or not at all. Accepts the raw AWS
 * spellings too (`-1`, `6`) for rules built without the model's normalisation.
 */
export function tcpKind(protocol: unknown): 'all' | 'ports' | 'none' {
  if (protocol === 'tcp') return 'ports';
  if (protocol === 'all') return 'all';
  if (typeof protocol !== 'string' && typeof protocol !== 'number') return 'none';
  const normalised = normaliseProtocol(protocol);
  return normalised === 'tcp' ? 'ports' : normalised === 'all' ? 'all' : 'none';
}

/** A rule's port bound as the rules read it; `fallback` (the open end) when missing or out of range. */
export function portBound(value: unknown, fallback: number): number {
  // A missing or out-of-range bound is read as open: a security tool must not assume a
  // narrower rule than the text could mean (IaC and hand-edited evidence are not validated by AWS).
  if (typeof value !== 'number' || !Number.isFinite(value) || value < MIN_PORT || value > MAX_PORT) return fallback;
  return Math.floor(value);
}

/**
 * The tcp port range of a rule, or undefined when the rule carries no tcp traffic.
 * Protocol `all` is 0-65535. Reversed bounds are read as the range between them.
 */
export function tcpRange(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): { from: number; to: number } | undefined {
  const kind = tcpKind(rule.protocol);
  if (kind === 'all') return { from: MIN_PORT, to: MAX_PORT };
  if (kind === 'none') return undefined;
  const from = portBound(rule.fromPort, MIN_PORT);
  const to = portBound(rule.toPort, MAX_PORT);
  return from <= to ? { from, to } : { from: to, to: from };
}

/** A rule reaches the database when its protocol is tcp or all and its range contains the port. */
export function reachesPort(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>, port: number): boolean {
  const range = tcpRange(rule);
  return range !== undefined && range.from <= port && port <= range.to;
}

/** Every tcp port: protocol all, or tcp 0-65535 or 1-65535 (port 0 is not a real port). */
export function opensAllPorts(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): boolean {
  const range = tcpRange(rule);
  return range !== undefined && range.from <= 1 && range.to === MAX_PORT;
}

/** Opens more than one tcp port (a range, or all). */
export function opensPortRange(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): boolean {
  const range = tcpRange(rule);
  return range !== undefined && range.from < range.to;
}

/** Human text for the protocol and ports: "tcp 3306", "tcp 3300-3310", "all traffic", "icmp type 8 code 0". */
export function describePorts(rule: Pick<Rule, 'protocol' | 'fromPort' | 'toPort'>): string {
  const kind = tcpKind(rule.protocol);
  if (kind === 'all') return 'all traffic';
  const protocol: Protocol | string = kind === 'ports' ? 'tcp' : String(rule.protocol);
  const from = rule.fromPort;
  const to = rule.toPort;
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    if (from === undefined || from === -1) return `${protocol} (all types)`;
    return to === undefined || to === -1 ? `${protocol} type ${from}` : `${protocol} type ${from} code ${to}`;
  }
  if (protocol !== 'tcp' && protocol !== 'udp') return `protocol ${protocol} (all ports)`;
  if (from === undefined && to === undefined) return `${protocol} (no ports given)`;
  if (from === to) return `${protocol} ${from}`;
  return `${protocol} ${from ?? '?'}-${to ?? '?'}`;
}
