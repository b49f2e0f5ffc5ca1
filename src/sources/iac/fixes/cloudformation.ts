// Code fixes as text edits on a CloudFormation template, YAML or JSON: replace a rule's risky
// source (one rule per source, as CloudFormation rules hold one each), narrow its ports, remove
// it, make an instance private, give a group explicit egress limited to its VPC. Copies of a
// rule are made from its own text, so they keep its layout, comments and quoting.

import type { Direction, Instance, SourceKind } from '../../../model/types';
import { child, entry, type CfnEntry, type CfnNode } from '../cfn/node';
import type { CfnResourceOrigin, CfnRuleOrigin, CloudFormationOrigins } from '../cfn/origins';
import type { NewSource } from './newSource';
import { indentOf, lineBreak, lineStart, linesToDelete, nextLineStart, removeListItem, rewrite, startsLine, wholeLines, type TextEdit } from './text';
import type { EditResult } from './terraform';

type Syntax = 'yaml' | 'json';
type MapNode = Extract<CfnNode, { kind: 'map' }>;

const SOURCE_KEYS: Record<Direction, Record<SourceKind, string>> = {
  ingress: { cidr4: 'CidrIp', cidr6: 'CidrIpv6', prefixList: 'SourcePrefixListId', group: 'SourceSecurityGroupId' },
  egress: { cidr4: 'CidrIp', cidr6: 'CidrIpv6', prefixList: 'DestinationPrefixListId', group: 'DestinationSecurityGroupId' },
};

const fail = (why: string): EditResult => ({ ok: false, why });
const done = (edits: TextEdit[]): EditResult => ({ ok: true, edits });

function key(syntax: Syntax, name: string): string {
  return syntax === 'json' ? JSON.stringify(name) : name;
}

function value(syntax: Syntax, source: NewSource): string {
  return syntax === 'json' ? source.text.json : source.text.yaml;
}

/** Whether a node is written in YAML block style (each entry on its own line), not in flow style or JSON. */
function blockStyle(text: string, syntax: Syntax, node: { span: { start: number } }): boolean {
  return syntax === 'yaml' && startsLine(text, node.span.start - (text.slice(lineStart(text, node.span.start), node.span.start).match(/-\s*$/)?.[0].length ?? 0));
}

/** The text of a list item or resource entry, whole lines for YAML block style, else the node itself. */
function region(text: string, syntax: Syntax, start: number, end: number): { start: number; end: number } {
  if (syntax === 'yaml' && blockStyle(text, syntax, { span: { start } })) return wholeLines(text, start, end);
  return { start, end };
}

/** Where a value's text starts: YAML puts a short-form tag (!Ref, !GetAtt) before the node it tags. */
function valueStart(text: string, node: CfnNode): number {
  const before = text.slice(lineStart(text, node.span.start), node.span.start);
  const tag = /!\w+(::\w+)?\s+$/.exec(before);
  return node.kind === 'fn' && tag ? node.span.start - tag[0].length : node.span.start;
}

/** The edits that swap a rule's source for `source`: its key and its value. */
function sourceEdits(text: string, syntax: Syntax, sourceEntry: CfnEntry, direction: Direction, source: NewSource): TextEdit[] {
  return [
    { start: sourceEntry.keySpan.start, end: sourceEntry.keySpan.end, newText: key(syntax, SOURCE_KEYS[direction][source.kind]) },
    { start: valueStart(text, sourceEntry.value), end: sourceEntry.value.span.end, newText: value(syntax, source) },
  ];
}

/** The item with its source swapped for `source` (key and value). */
function withSource(text: string, syntax: Syntax, area: { start: number; end: number }, sourceEntry: CfnEntry, direction: Direction, source: NewSource): string {
  return rewrite(text, area.start, area.end, sourceEdits(text, syntax, sourceEntry, direction, source));
}

/** Joins copies of a node written at `area`: YAML block items follow each other as lines, others take a comma. */
function joinCopies(text: string, syntax: Syntax, area: { start: number; end: number }, copies: string[]): string {
  if (syntax === 'yaml' && /[\r\n]$/.test(text.slice(area.start, area.end))) return copies.join('');
  const separator = startsLine(text, area.start) ? `,${lineBreak(text)}${indentOf(text, area.start)}` : ', ';
  return copies.join(separator);
}

function directionOf(origin: CfnRuleOrigin): Direction {
  if (origin.container.kind === 'inline') return origin.container.property.key === 'SecurityGroupEgress' ? 'egress' : 'ingress';
  return origin.resource.type === 'AWS::EC2::SecurityGroupEgress' ? 'egress' : 'ingress';
}

/** Replaces the rule's source with `sources`: one rule per source, each a copy of the rule. */
export function replaceSource(text: string, origins: CloudFormationOrigins, origin: CfnRuleOrigin, sources: NewSource[]): EditResult {
  const syntax = origins.syntax;
  const container = origin.container;
  if (!sources.length) return fail('no source to put in its place');
  if (container.kind === 'implicit' || !origin.source) return fail('the rule is AWS\'s default egress, which the template does not write');
  if (sources.some((s) => s.list)) return fail(`${sources.find((s) => s.list)?.label} is a list; a CloudFormation rule takes one source`);
  const direction = directionOf(origin);
  const sourceEntry = origin.source;
  if (container.kind === 'inline') {
    const area = region(text, syntax, container.item.span.start, container.item.span.end);
    const copies = sources.map((s) => withSource(text, syntax, area, sourceEntry, direction, s));
    return done([{ start: area.start, end: area.end, newText: joinCopies(text, syntax, area, copies) }]);
  }
  // A standalone rule resource: the first source in place, the others in copies named after it.
  const [first, ...rest] = sources as [NewSource, ...NewSource[]];
  const edits: TextEdit[] = sourceEdits(text, syntax, sourceEntry, direction, first);
  if (rest.length) {
    const resourceEntry = origin.resource.entry;
    const area = region(text, syntax, resourceEntry.keySpan.start, resourceEntry.value.span.end);
    const copies = rest.map((s, i) => {
      let name = `${origin.resource.logicalId}${i + 2}`;
      while (origins.resources.has(name)) name += 'X';
      return rewrite(text, area.start, area.end, [
        { start: resourceEntry.keySpan.start, end: resourceEntry.keySpan.end, newText: key(syntax, name) },
        ...sourceEdits(text, syntax, sourceEntry, direction, s),
      ]);
    });
    const blockLines = /[\r\n]$/.test(text.slice(area.start, area.end));
    const insertion = blockLines ? copies.join('') : copies.map((c) => `,${lineBreak(text)}${indentOf(text, area.start)}${c}`).join('');
    edits.push({ start: area.end, end: area.end, newText: insertion });
  }
  return done(edits);
}

function ruleMap(origin: CfnRuleOrigin): MapNode | undefined {
  return origin.container.kind === 'implicit' ? undefined : origin.container.item;
}

/** Narrows the rule to tcp on `port`: IpProtocol, FromPort and ToPort set or added. */
export function narrowPort(text: string, origins: CloudFormationOrigins, origin: CfnRuleOrigin, port: number): EditResult {
  const syntax = origins.syntax;
  const item = ruleMap(origin);
  if (!item) return fail('the rule is AWS\'s default egress, which the template does not write');
  const protocol = entry(item, 'IpProtocol');
  if (!protocol) return fail('the rule names no IpProtocol');
  const edits: TextEdit[] = [];
  const current = protocol.value.kind === 'scalar' ? String(protocol.value.value).toLowerCase() : '';
  if (current !== 'tcp' && current !== '6') edits.push({ start: valueStart(text, protocol.value), end: protocol.value.span.end, newText: syntax === 'json' ? '"tcp"' : 'tcp' });
  const missing: string[] = [];
  for (const name of ['FromPort', 'ToPort']) {
    const e = entry(item, name);
    if (e) edits.push({ start: valueStart(text, e.value), end: e.value.span.end, newText: String(port) });
    else missing.push(name);
  }
  if (missing.length) {
    if (syntax === 'yaml' && startsLine(text, protocol.keySpan.start - (text.slice(lineStart(text, protocol.keySpan.start), protocol.keySpan.start).match(/-\s*$/)?.[0].length ?? 0))) {
      const at = nextLineStart(text, protocol.value.span.end);
      const column = protocol.keySpan.start - lineStart(text, protocol.keySpan.start);
      edits.push({ start: at, end: at, newText: missing.map((name) => `${' '.repeat(column)}${name}: ${port}${lineBreak(text)}`).join('') });
    } else {
      edits.push({ start: protocol.value.span.end, end: protocol.value.span.end, newText: missing.map((name) => `, ${key(syntax, name)}: ${port}`).join('') });
    }
  }
  return done(edits);
}

/** Removes the rule: its list item (the whole property when it is the last), or its resource. */
export function removeRule(text: string, origins: CloudFormationOrigins, origin: CfnRuleOrigin): EditResult {
  const syntax = origins.syntax;
  const container = origin.container;
  if (container.kind === 'implicit') return fail('the rule is AWS\'s default egress: only declaring egress rules removes it');
  if (container.kind === 'inline') {
    const list = container.property.value as Extract<CfnNode, { kind: 'list' }>;
    if (list.items.length === 1 && syntax === 'yaml') {
      return done([{ ...region(text, syntax, container.property.keySpan.start, container.property.value.span.end), newText: '' }]);
    }
    if (list.items.length === 1) return done([{ start: list.span.start, end: list.span.end, newText: '[]' }]);
    if (blockStyle(text, syntax, container.item)) return done([{ ...region(text, syntax, container.item.span.start, container.item.span.end), newText: '' }]);
    return done([removeListItem(text, list.items.map((i) => i.span), container.index)]);
  }
  return removeResource(text, origins, origin.resource);
}

function removeResource(text: string, origins: CloudFormationOrigins, resource: CfnResourceOrigin): EditResult {
  const e = resource.entry;
  if (origins.syntax === 'yaml' && startsLine(text, e.keySpan.start)) return done([{ ...linesToDelete(text, e.keySpan.start, e.value.span.end), newText: '' }]);
  const all = [...origins.resources.values()].map((r) => ({ start: r.entry.keySpan.start, end: r.entry.value.span.end }));
  return done([removeListItem(text, all, all.findIndex((r) => r.start === e.keySpan.start))]);
}

export function makePrivate(text: string, origins: CloudFormationOrigins, instance: Instance): EditResult {
  const origin = origins.instances.get(instance);
  const e = origin && entry(origin.properties, 'PubliclyAccessible');
  if (!e) return fail('the instance does not set PubliclyAccessible');
  return done([{ start: valueStart(text, e.value), end: e.value.span.end, newText: 'false' }]);
}

/** The group's VPC CIDR as the template can say it: !GetAtt Vpc.CidrBlock of the VPC its VpcId references. */
export function vpcCidrSource(origins: CloudFormationOrigins, groupId: string): NewSource | undefined {
  const vpcId = child(origins.resources.get(groupId)?.properties, 'VpcId');
  const vpcName = vpcId?.kind === 'fn' && vpcId.name === 'Ref' && vpcId.arg.kind === 'scalar' ? String(vpcId.arg.value) : undefined;
  const vpc = vpcName ? origins.resources.get(vpcName) : undefined;
  if (!vpc || vpc.type !== 'AWS::EC2::VPC' || !child(vpc.properties, 'CidrBlock')) return undefined;
  const name = vpc.logicalId;
  return { kind: 'cidr4', label: `!GetAtt ${name}.CidrBlock`, list: false, text: { terraform: name, yaml: `!GetAtt ${name}.CidrBlock`, json: JSON.stringify({ 'Fn::GetAtt': [name, 'CidrBlock'] }) } };
}

/**
 * A group that declares no egress has AWS's allow-all egress: an explicit SecurityGroupEgress
 * of all traffic to `destination` replaces it.
 */
export function addExplicitEgress(text: string, origins: CloudFormationOrigins, origin: CfnRuleOrigin, destination: NewSource): EditResult {
  const syntax = origins.syntax;
  const properties = origin.resource.properties;
  if (properties?.kind !== 'map' || properties.entries.length === 0) return fail('the group has no Properties to add egress to');
  if (destination.kind !== 'cidr4' && destination.kind !== 'cidr6') return fail(`${destination.label} is not a CIDR`);
  const last = properties.entries[properties.entries.length - 1] as CfnEntry;
  const first = properties.entries[0] as CfnEntry;
  const eol = lineBreak(text);
  const cidrKey = destination.kind === 'cidr6' ? 'CidrIpv6' : 'CidrIp';
  if (syntax === 'yaml' && startsLine(text, first.keySpan.start)) {
    const indent = ' '.repeat(first.keySpan.start - lineStart(text, first.keySpan.start));
    const at = nextLineStart(text, last.value.span.end);
    const prefix = at === text.length && !/[\r\n]$/.test(text) ? eol : '';
    const body = `${indent}SecurityGroupEgress:${eol}${indent}  - IpProtocol: "-1"${eol}${indent}    ${cidrKey}: ${destination.text.yaml}${eol}${indent}    Description: Egress within the VPC only${eol}`;
    return done([{ start: at, end: at, newText: prefix + body }]);
  }
  const rule = syntax === 'json'
    ? `{ "IpProtocol": "-1", "${cidrKey}": ${destination.text.json}, "Description": "Egress within the VPC only" }`
    : `{IpProtocol: "-1", ${cidrKey}: ${destination.text.yaml}, Description: Egress within the VPC only}`;
  const separator = startsLine(text, last.keySpan.start) ? `,${eol}${indentOf(text, last.keySpan.start)}` : ', ';
  return done([{ start: last.value.span.end, end: last.value.span.end, newText: `${separator}${key(syntax, 'SecurityGroupEgress')}: [${rule}]` }]);
}
