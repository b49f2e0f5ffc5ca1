// Network ACLs as AWS evaluates them (Amazon VPC user guide, "Network ACL rules"): stateless,
// one list of numbered entries per direction, evaluated in rule-number order, the first entry
// that matches decides, and traffic no entry matches is denied. A tcp connection to the
// database needs both directions: inbound from the client to the port, and outbound for the
// replies to the client's ephemeral port, which on the internet can be anything from 1024 to
// 65535 (clients behind NAT use the whole range), so the replies must be allowed on all of it.

import type { NetworkAcl, NetworkAclEntry } from '../model/types';
import { parseCidrCached, type Family } from './cidr';
import { type AddressSet, intersect, normalise, subtract, union, wholeFamily } from './intervals';

export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;

/** What an ACL does to tcp connections of one family to one port. */
export interface AclPassage {
  /** Clients whose connections to the port the inbound entries admit. */
  inbound: AddressSet;
  /** Clients to which the outbound entries let the replies out on every ephemeral port. */
  outbound: AddressSet;
  /** Both: the clients that can hold a connection through the ACL. */
  passing: AddressSet;
}

function portsOf(entry: NetworkAclEntry): { from: number; to: number } | undefined {
  if (entry.protocol === 'all') return { from: 0, to: 65535 };
  if (entry.protocol !== 'tcp') return undefined;
  const from = typeof entry.fromPort === 'number' ? entry.fromPort : 0;
  const to = typeof entry.toPort === 'number' ? entry.toPort : 65535;
  return from <= to ? { from, to } : { from: to, to: from };
}

interface Judged { entry: NetworkAclEntry; range: AddressSet; ports: { from: number; to: number } }

/** One direction's entries that can match tcp of the family, in evaluation order. */
function tcpEntries(acl: NetworkAcl, egress: boolean, family: Family): Judged[] {
  const out: Judged[] = [];
  for (const entry of Array.isArray(acl.entries) ? acl.entries : []) {
    if (!entry || entry.egress !== egress) continue;
    const ports = portsOf(entry);
    if (!ports) continue;
    const cidr = typeof entry.cidr === 'string' ? parseCidrCached(entry.cidr) : undefined;
    if (!cidr || cidr.family !== family) continue;
    out.push({ entry, range: [[cidr.lo, cidr.hi]], ports });
  }
  return out.sort((a, b) => a.entry.ruleNumber - b.entry.ruleNumber);
}

/** The addresses whose tcp traffic on `port` the entries allow: first match wins, the rest is denied. */
function admitted(entries: readonly Judged[], family: Family, port: number): AddressSet {
  let undecided = wholeFamily(family);
  let allowed: AddressSet = [];
  for (const { entry, range, ports } of entries) {
    if (port < ports.from || port > ports.to) continue;
    const matched = intersect(undecided, range);
    if (matched.length === 0) continue;
    if (entry.action === 'allow') allowed = union(allowed, matched);
    undecided = subtract(undecided, range);
    if (undecided.length === 0) break;
  }
  return allowed;
}

/**
 * The clients of `family` that can connect to `port` through the ACL and get their replies.
 * The outbound side is judged per run of ephemeral ports that every entry treats alike, and a
 * client passes only when every run lets its replies out.
 */
export function aclPassage(acl: NetworkAcl, family: Family, port: number): AclPassage {
  const inbound = admitted(tcpEntries(acl, false, family), family, port);
  const egress = tcpEntries(acl, true, family);
  const cuts = new Set<number>([EPHEMERAL_PORTS.from]);
  for (const { ports } of egress) {
    if (ports.from > EPHEMERAL_PORTS.from && ports.from <= EPHEMERAL_PORTS.to) cuts.add(ports.from);
    if (ports.to + 1 > EPHEMERAL_PORTS.from && ports.to + 1 <= EPHEMERAL_PORTS.to) cuts.add(ports.to + 1);
  }
  let outbound = wholeFamily(family);
  for (const start of [...cuts].sort((a, b) => a - b)) {
    outbound = intersect(outbound, admitted(egress, family, start));
    if (outbound.length === 0) break;
  }
  return { inbound, outbound, passing: normalise(intersect(inbound, outbound)) };
}
