// Small helpers for the IaC tests: where a piece of text sits, and compact views of rules.

import type { Inventory, Rule } from '../../../../src/model/types';

/** Zero-based line of the first line containing `needle` (after `after`, when given). */
export function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  if (from < 0) throw new Error(`test text has no line with ${after}`);
  const index = lines.findIndex((l, i) => i >= from && l.includes(needle));
  if (index < 0) throw new Error(`test text has no line with ${needle}`);
  return index;
}

/** "ingress tcp 3306-3306 cidr4:0.0.0.0/0" */
export function describeRule(rule: Rule): string {
  const ports = rule.protocol === 'all' ? '' : ` ${rule.fromPort}-${rule.toPort}`;
  return `${rule.direction} ${rule.protocol}${ports} ${rule.source.kind}:${rule.source.value}`;
}

export function rulesOf(inventory: Inventory, groupId: string): string[] {
  const group = inventory.securityGroups.find((g) => g.groupId === groupId);
  if (!group) throw new Error(`no group ${groupId} in ${inventory.securityGroups.map((g) => g.groupId).join(', ')}`);
  return group.rules.map(describeRule);
}

export function noteMessages(inventory: Inventory): string[] {
  return inventory.notes.map((n) => n.message);
}

/** Zero-based line of the nearest line at or above the line holding `needle` that contains `marker`. */
export function lineAbove(text: string, needle: string, marker: string): number {
  const lines = text.split('\n');
  for (let i = lineOf(text, needle); i >= 0; i--) if ((lines[i] as string).includes(marker)) return i;
  throw new Error(`no ${marker} above ${needle}`);
}
