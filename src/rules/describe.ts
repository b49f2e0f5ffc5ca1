// Human text for rules, sources and groups, used in finding messages. Names and
// descriptions come from AWS or files and are hostile: they are quoted and their control
// characters escaped, so a message is always one readable line.

import type { Rule, RuleSource, SecurityGroup } from '../model/types';
import { describePorts } from './ports';

/** A name in double quotes with control characters and quotes escaped (JSON string rules). */
export function quote(text: string): string {
  return JSON.stringify(String(text));
}

/** An identifier from input, shown bare when it looks like one, else quoted. */
const PLAIN_ID = /^[A-Za-z0-9._:/-]+$/;

export function showId(id: string): string {
  return id.length > 0 && id.length <= 200 && PLAIN_ID.test(id) ? id : quote(id);
}

/**
 * "0.0.0.0/0", "prefix list pl-0abc", "sg-0abc (account 210987654321)". The account of a
 * group reference is left out when it is `contextOwnerId` (the account of the rule's own group).
 */
export function describeSource(source: RuleSource, contextOwnerId?: string): string {
  const value = showId(source.value);
  if (source.kind === 'group' && source.ownerId && source.ownerId !== contextOwnerId) return `${value} (account ${showId(source.ownerId)})`;
  if (source.kind === 'prefixList') return `prefix list ${value}`;
  return value;
}

/** "tcp 3306 from 0.0.0.0/0", "all traffic to ::/0", "tcp 3300-3310 from sg-1 (account 2109...)". */
export function describeRule(rule: Pick<Rule, 'direction' | 'protocol' | 'fromPort' | 'toPort' | 'source'>, contextOwnerId?: string): string {
  const preposition = rule.direction === 'egress' ? 'to' : 'from';
  return `${describePorts(rule)} ${preposition} ${describeSource(rule.source, contextOwnerId)}`;
}

/** `"shop-db" (sg-0abc)`, or just the id when the name is the id. */
export function describeGroup(group: Pick<SecurityGroup, 'groupId' | 'groupName'>): string {
  if (!group.groupName || group.groupName === group.groupId) return `security group ${showId(group.groupId)}`;
  return `security group ${quote(group.groupName)} (${showId(group.groupId)})`;
}

/** `security groups "a" (sg-1), "b" (sg-2)`, or describeGroup for one. */
export function describeGroups(groups: readonly Pick<SecurityGroup, 'groupId' | 'groupName'>[]): string {
  if (groups.length === 1) return describeGroup(groups[0]!);
  return `security groups ${listSome(groups.map((g) => describeGroup(g).replace(/^security group /, '')))}`;
}

/** "port 3306" or "ports 3306, 5432". */
export function describePortList(ports: readonly number[]): string {
  return ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(', ')}`;
}

const MAX_LISTED = 5;

/** "a", "a, b, c", or the first five "and 3 more": a message stays readable however many items there are. */
export function listSome(items: readonly string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
}
