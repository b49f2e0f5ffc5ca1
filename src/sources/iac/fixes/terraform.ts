// Code fixes as text edits on a Terraform file: replace a rule's risky source, narrow its ports,
// remove it, make an instance private. Each edit touches only the text that declared the value,
// in the file's own layout (indentation, alignment of `=`, line breaks).

import type { Instance, Rule, SourceKind } from '../../../model/types';
import type { HclBlock, HclExpr } from '../hcl/ast';
import { attribute } from '../hcl/ast';
import type { FieldRef, TerraformOrigins, TfRuleOrigin } from '../terraform/origins';
import type { NewSource } from './newSource';
import { indentOf, lineBreak, linesToDelete, nextLineStart, removeListItem, startsLine, wholeLines, type TextEdit } from './text';

export type EditResult = { ok: true; edits: TextEdit[] } | { ok: false; why: string };

const LIST_ATTRIBUTE: Record<SourceKind, string> = { cidr4: 'cidr_blocks', cidr6: 'ipv6_cidr_blocks', prefixList: 'prefix_list_ids', group: 'security_groups' };
const VPC_RULE_ATTRIBUTE: Record<SourceKind, string> = { cidr4: 'cidr_ipv4', cidr6: 'cidr_ipv6', prefixList: 'prefix_list_id', group: 'referenced_security_group_id' };
const SOURCE_ATTRIBUTES = ['cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'security_groups', 'self', 'cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id', 'source_security_group_id'];
const VPC_RULE_TYPES = new Set(['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']);

const fail = (why: string): EditResult => ({ ok: false, why });
const done = (edits: TextEdit[]): EditResult => ({ ok: true, edits });

/** `name = value` replacing a field, keeping the column of its `=`. */
function fieldText(text: string, field: FieldRef, name: string, value: string): string {
  const gap = text.slice(field.nameSpan.end, field.value.span.start);
  const before = /^\s*/.exec(gap)?.[0] ?? ' ';
  const separator = gap.slice(before.length);
  const padding = Math.max(1, field.name.length + before.length - name.length);
  return `${name}${' '.repeat(padding)}${separator}${value}`;
}

/** A new `name = value` line after `after`'s line, indented and aligned like it. */
function insertFieldAfter(text: string, after: FieldRef, name: string, value: string, multiline: boolean): TextEdit {
  if (!multiline) return { start: after.span.end, end: after.span.end, newText: `, ${name} = ${value}` };
  const at = nextLineStart(text, after.span.end);
  const eol = lineBreak(text);
  const prefix = at === text.length && !/[\r\n]$/.test(text) ? eol : '';
  return { start: at, end: at, newText: `${prefix}${indentOf(text, after.span.start)}${fieldText(text, after, name, value)}${eol}` };
}

function isMultiline(text: string, origin: TfRuleOrigin): boolean {
  const span = origin.container.kind === 'object' ? origin.container.object.span : (origin.container as { block: HclBlock }).block.span;
  return /[\r\n]/.test(text.slice(span.start, span.end));
}

function tupleOf(expr: HclExpr): Extract<HclExpr, { type: 'tuple' }> | undefined {
  return expr.type === 'tuple' ? expr : undefined;
}

/** The value of a list attribute holding `items` and some new sources (concat when one is a list). */
function listValue(text: string, items: HclExpr[], sources: NewSource[]): string {
  const scalars = [...items.map((i) => text.slice(i.span.start, i.span.end)), ...sources.filter((s) => !s.list).map((s) => s.text.terraform)];
  const lists = sources.filter((s) => s.list).map((s) => s.text.terraform);
  if (!lists.length) return `[${scalars.join(', ')}]`;
  if (!scalars.length && lists.length === 1) return lists[0] as string;
  return `concat(${[...(scalars.length ? [`[${scalars.join(', ')}]`] : []), ...lists].join(', ')})`;
}

/** Edits that put `sources` into list attribute `name` of a rule (appending, or adding the attribute). */
function addToListAttribute(text: string, origin: TfRuleOrigin, name: string, sources: NewSource[], after: FieldRef): TextEdit[] | string {
  const existing = origin.fields(name);
  if (!existing) return [insertFieldAfter(text, after, name, listValue(text, [], sources), isMultiline(text, origin))];
  const tuple = tupleOf(existing.value);
  if (!tuple) return `${name} is ${text.slice(existing.value.span.start, existing.value.span.end)}, not a list written in the file`;
  if (sources.some((s) => s.list) || tuple.items.length === 0) return [{ start: tuple.span.start, end: tuple.span.end, newText: listValue(text, tuple.items, sources) }];
  const last = tuple.items[tuple.items.length - 1] as HclExpr;
  return [{ start: last.span.end, end: last.span.end, newText: `, ${sources.map((s) => s.text.terraform).join(', ')}` }];
}

/** Whether the rule's declaration holds sources other than the one being fixed. */
function otherSources(origin: TfRuleOrigin): boolean {
  for (const name of SOURCE_ATTRIBUTES) {
    const field = origin.fields(name);
    if (!field) continue;
    if (field === origin.source.field) {
      const tuple = tupleOf(field.value);
      if (tuple && tuple.items.length > 1) return true;
      continue;
    }
    if (name === 'self') { if (field.value.type === 'literal' && field.value.value === true) return true; continue; }
    const tuple = tupleOf(field.value);
    if (tuple ? tuple.items.length > 0 : !(field.value.type === 'literal' && (field.value.value === null || field.value.value === ''))) return true;
  }
  return false;
}

/** Removes the fixed source from its declaration: the element, or the whole attribute when it held only that. */
function removeSource(text: string, origin: TfRuleOrigin): TextEdit {
  const { field, element, index } = origin.source;
  const tuple = tupleOf(field.value);
  if (tuple && element && index !== undefined && tuple.items.length > 1) return removeListItem(text, tuple.items.map((i) => i.span), index);
  if (isMultiline(text, origin) && startsLine(text, field.span.start)) return { ...wholeLines(text, field.span.start, field.span.end), newText: '' };
  // An item of a one-line object: it and its comma.
  if (origin.container.kind === 'object') {
    const items = origin.container.object.items;
    const i = items.findIndex((item) => item.span.start === field.span.start);
    return removeListItem(text, items.map((item) => item.span), i);
  }
  return { start: field.span.start, end: field.span.end, newText: '' };
}

function uniqueName(origins: TerraformOrigins, type: string, base: string): string {
  for (let k = 2; ; k++) if (!origins.resources.has(`${type}.${base}_${k}`)) return `${base}_${k}`;
}

/** A copy of a rule resource with another source: its text, the label renamed and the source fields swapped. */
function resourceCopy(text: string, origin: TfRuleOrigin, origins: TerraformOrigins, source: NewSource, taken: Set<string>): string {
  const block = origin.resource.block;
  const type = origin.resource.type;
  let name = uniqueName(origins, type, block.labels[1] as string);
  while (taken.has(name)) name = `${name}_`;
  taken.add(name);
  const replacements: TextEdit[] = [{ start: (block.labelSpans[1] as { start: number }).start, end: (block.labelSpans[1] as { end: number }).end, newText: JSON.stringify(name) }];
  const attributeName = VPC_RULE_TYPES.has(type) ? VPC_RULE_ATTRIBUTE[source.kind] : source.kind === 'group' ? 'source_security_group_id' : LIST_ATTRIBUTE[source.kind];
  const value = VPC_RULE_TYPES.has(type) || attributeName === 'source_security_group_id' ? source.text.terraform : listValue(text, [], [source]);
  const field = origin.source.field;
  replacements.push({ start: field.span.start, end: field.span.end, newText: fieldText(text, field, attributeName, value) });
  for (const name2 of SOURCE_ATTRIBUTES) {
    const other = attribute(block.body, name2);
    if (other && other !== field) replacements.push({ ...wholeLines(text, other.span.start, other.span.end), newText: '' });
  }
  const sorted = replacements.sort((a, b) => a.start - b.start);
  let out = '';
  let at = block.span.start;
  for (const r of sorted) { out += text.slice(at, r.start) + r.newText; at = r.end; }
  return out + text.slice(at, block.span.end);
}

/**
 * Replaces the fixed source with `sources`, one entry per source: in the same list when the
 * kind fits (cidr_blocks for CIDRs), in the list of their kind otherwise (security_groups for
 * groups), and for rule resources that hold one source each, in copies of the resource.
 */
export function replaceSource(text: string, origin: TfRuleOrigin, origins: TerraformOrigins, sources: NewSource[]): EditResult {
  if (!sources.length) return fail('no source to put in its place');
  if (origin.container.kind === 'dynamic') return fail('the rule is made by a dynamic block from its for_each: change the input it iterates over');
  const { field, element } = origin.source;
  const type = origin.resource.type;
  const onePerResource = VPC_RULE_TYPES.has(type) || (type === 'aws_security_group_rule' && (sources.some((s) => s.kind === 'group') || field.name === 'source_security_group_id'));
  if (onePerResource) return replaceInResources(text, origin, origins, sources);
  const tuple = tupleOf(field.value);
  if (!tuple || !element || origin.source.index === undefined) {
    return fail(`the source comes from \`${text.slice(field.value.span.start, field.value.span.end).replace(/\s+/g, ' ').slice(0, 60)}\`: change it where its value is set`);
  }
  const edits: TextEdit[] = [];
  const same = sources.filter((s) => LIST_ATTRIBUTE[s.kind] === field.name);
  if (same.some((s) => s.list)) {
    edits.push({ start: tuple.span.start, end: tuple.span.end, newText: listValue(text, tuple.items.filter((i) => i !== element), same) });
  } else if (same.length) {
    edits.push({ start: element.span.start, end: element.span.end, newText: same.map((s) => s.text.terraform).join(', ') });
  } else {
    edits.push(tuple.items.length > 1 ? removeListItem(text, tuple.items.map((i) => i.span), origin.source.index) : { start: tuple.span.start, end: tuple.span.end, newText: '[]' });
  }
  const byAttribute = new Map<string, NewSource[]>();
  for (const s of sources) if (!same.includes(s)) byAttribute.set(LIST_ATTRIBUTE[s.kind], [...(byAttribute.get(LIST_ATTRIBUTE[s.kind]) ?? []), s]);
  for (const [name, list] of byAttribute) {
    const added = addToListAttribute(text, origin, name, list, field);
    if (typeof added === 'string') return fail(added);
    edits.push(...added);
  }
  return done(edits);
}

/** Rule resources of one source each: the first new source takes the old one's place, the others get copies. */
function replaceInResources(text: string, origin: TfRuleOrigin, origins: TerraformOrigins, sources: NewSource[]): EditResult {
  const block = origin.resource.block;
  const edits: TextEdit[] = [];
  const field = origin.source.field;
  const vpcRule = VPC_RULE_TYPES.has(origin.resource.type);
  let copies = sources;
  if (!otherSources(origin)) {
    const [first, ...rest] = sources as [NewSource, ...NewSource[]];
    const name = vpcRule ? VPC_RULE_ATTRIBUTE[first.kind] : first.kind === 'group' ? 'source_security_group_id' : LIST_ATTRIBUTE[first.kind];
    const value = vpcRule || name === 'source_security_group_id' ? first.text.terraform : listValue(text, [], [first]);
    if (vpcRule && first.list) return fail(`${first.label} is a list; ${origin.resource.type} takes one source`);
    edits.push({ start: field.span.start, end: field.span.end, newText: fieldText(text, field, name, value) });
    copies = rest;
  } else {
    edits.push(removeSource(text, origin));
  }
  if (vpcRule && copies.some((s) => s.list)) return fail(`${copies.find((s) => s.list)?.label} is a list; ${origin.resource.type} takes one source`);
  const eol = lineBreak(text);
  const taken = new Set<string>();
  const added = copies.map((s) => resourceCopy(text, origin, origins, s, taken));
  if (added.length) edits.push({ start: block.span.end, end: block.span.end, newText: added.map((copy) => `${eol}${eol}${copy}`).join('') });
  return done(edits);
}

/** Narrows the rule to tcp on `port`: the protocol, and from_port/to_port set or added. */
export function narrowPort(text: string, origin: TfRuleOrigin, rule: Rule, port: number): EditResult {
  if (origin.container.kind === 'dynamic') return fail('the rule is made by a dynamic block from its for_each: change the input it iterates over');
  const protocol = origin.fields('ip_protocol') ?? origin.fields('protocol');
  if (!protocol) return fail('the rule names no protocol');
  const edits: TextEdit[] = [];
  if (rule.protocol !== 'tcp') edits.push({ start: protocol.value.span.start, end: protocol.value.span.end, newText: '"tcp"' });
  const multiline = isMultiline(text, origin);
  const missing: string[] = [];
  for (const name of ['from_port', 'to_port']) {
    const field = origin.fields(name);
    if (field) edits.push({ start: field.value.span.start, end: field.value.span.end, newText: String(port) });
    else missing.push(name);
  }
  if (missing.length) {
    const insertions = missing.map((name) => insertFieldAfter(text, protocol, name, String(port), multiline));
    edits.push({ start: insertions[0]!.start, end: insertions[0]!.end, newText: insertions.map((i) => i.newText).join('') });
  }
  return done(edits);
}

/** Removes the rule: its source when the declaration holds others, else the whole block, object or resource. */
export function removeRule(text: string, origin: TfRuleOrigin): EditResult {
  if (origin.container.kind === 'dynamic') return fail('the rule is made by a dynamic block from its for_each: remove it from the input it iterates over');
  if (otherSources(origin)) return done([removeSource(text, origin)]);
  const container = origin.container;
  if (container.kind === 'object') {
    const tuple = container.list.value as Extract<HclExpr, { type: 'tuple' }>;
    return done([removeListItem(text, tuple.items.map((i) => i.span), container.index)]);
  }
  return done([{ ...linesToDelete(text, container.block.span.start, container.block.span.end), newText: '' }]);
}

export function makePrivate(origins: TerraformOrigins, instance: Instance): EditResult {
  const origin = origins.instances.get(instance);
  const field = origin && attribute(origin.block.body, 'publicly_accessible');
  if (!field) return fail('the instance does not set publicly_accessible');
  return done([{ start: field.value.span.start, end: field.value.span.end, newText: 'false' }]);
}

/**
 * The VPC's CIDR as an expression of the file, for egress limited to the VPC: the group's
 * vpc_id must reference an aws_vpc of this file that declares its cidr_block.
 */
export function vpcCidrSource(origins: TerraformOrigins, groupId: string, kind: SourceKind): NewSource | undefined {
  const group = origins.resources.get(groupId);
  const vpcId = group && attribute(group.block.body, 'vpc_id')?.value;
  if (vpcId?.type !== 'traversal' || vpcId.parts.length !== 3 || vpcId.parts[0] !== 'aws_vpc' || vpcId.parts[2] !== 'id') return undefined;
  const vpc = origins.resources.get(`aws_vpc.${String(vpcId.parts[1])}`);
  const name = kind === 'cidr6' ? 'ipv6_cidr_block' : 'cidr_block';
  if (!vpc || !attribute(vpc.block.body, name)) return undefined;
  const expression = `aws_vpc.${String(vpcId.parts[1])}.${name}`;
  return { kind: kind === 'cidr6' ? 'cidr6' : 'cidr4', label: expression, list: false, text: { terraform: expression, yaml: expression, json: expression } };
}

