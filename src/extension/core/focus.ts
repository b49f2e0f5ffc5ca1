// Where a squiggle belongs: on the value that is wrong (the CIDR, the port, the protocol, the
// `PubliclyAccessible: true`), not on the whole JSON object a finding was located at. Works on
// the JSON the AWS CLI prints, in evidence files and in the virtual group documents alike.
// Pure: jsonc-parser over the document's text.

import { parseTree, type Node } from 'jsonc-parser';
import type { Finding, Instance, Position, Rule, SourceRange } from '../../model/types';

export interface Span { start: Position; end: Position }

/** The keys of one source entry of a permission (IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs). */
const SOURCE_KEYS = ['CidrIp', 'CidrIpv6', 'PrefixListId', 'GroupId'];

type Aspect = 'source' | 'ports' | 'protocol';

/** What of a rule a finding is about: the source for "who may come in", the ports or the protocol for "what is open". */
function ruleAspect(finding: Finding): Aspect {
  const rule = finding.rule;
  const allTraffic = rule?.protocol === 'all' || (rule !== undefined && /^\d+$/.test(rule.protocol));
  switch (finding.ruleId) {
    case 'AURSG-002':
    case 'AURSG-005':
      return allTraffic ? 'protocol' : 'ports';
    default:
      return 'source';
  }
}

/**
 * IaC files: the part of a declaration a finding is about, where its reader found it written (the
 * CIDR in `cidr_blocks`, `from_port`..`to_port`, `protocol`, `publicly_accessible`); undefined
 * when the reader gave no part (the finding keeps the declaration's range).
 */
export function declaredPart(finding: Finding, rule: Rule | undefined, instance: Instance | undefined): SourceRange | undefined {
  if ((finding.ruleId === 'AURSG-009' || finding.ruleId === 'AURSG-011') && instance?.parts?.publiclyAccessible) return instance.parts.publiclyAccessible;
  const parts = rule?.parts;
  if (!parts) return undefined;
  const aspect = ruleAspect({ ...finding, rule });
  return parts[aspect] ?? (aspect === 'ports' ? parts.protocol : undefined) ?? parts.source;
}

function property(object: Node | undefined, key: string): Node | undefined {
  if (object?.type !== 'object') return undefined;
  const prop = object.children?.find((p) => p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

/** The permission (IpPermissions element) that holds a source entry: entry < array < property < permission. */
function permissionOf(entry: Node): Node | undefined {
  const permission = entry.parent?.parent?.parent;
  return permission?.type === 'object' ? permission : undefined;
}

/**
 * Narrows findings' spans in one document. Build it once per text; `focus(span, finding)` returns
 * the value's span, or the span it was given when the text holds no JSON object there.
 */
export function createFocuser(text: string): (span: Span, finding: Finding) => Span {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  const offsetOf = (p: Position) => (lineStarts[p.line] ?? text.length) + p.character;
  const positionOf = (offset: number): Position => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - (lineStarts[low] as number) };
  };
  const spanOf = (node: Node): Span => ({ start: positionOf(node.offset), end: positionOf(node.offset + node.length) });

  /** The object that starts exactly where the span starts (evidence locations and rendered ranges both start at `{`). */
  const objectAt = (span: Span): Node | undefined => {
    if (!root) return undefined;
    const offset = offsetOf(span.start);
    let found: Node | undefined;
    const visit = (node: Node): void => {
      if (node.offset > offset || node.offset + node.length <= offset) return;
      if (node.type === 'object' && node.offset === offset) found = node;
      for (const child of node.children ?? []) if (!found) visit(child);
    };
    visit(root);
    return found;
  };

  return (span, finding) => {
    const object = objectAt(span);
    if (!object) return span;
    const value = ((): Node | undefined => {
      const sourceKey = SOURCE_KEYS.find((key) => property(object, key) !== undefined && property(object, 'IpPermissions') === undefined);
      if (sourceKey) {
        const aspect = ruleAspect(finding);
        if (aspect === 'source') return property(object, sourceKey);
        const permission = permissionOf(object);
        if (aspect === 'protocol') return property(permission, 'IpProtocol');
        return property(permission, 'FromPort') ?? property(permission, 'IpProtocol');
      }
      // An instance: what makes it reachable is that it is publicly accessible.
      const publicFlag = property(object, 'PubliclyAccessible');
      if (publicFlag) return publicFlag;
      // A cluster: the group the finding is about, in its VpcSecurityGroups.
      const groups = property(object, 'VpcSecurityGroups');
      if (groups?.type === 'array' && finding.groupId) {
        const entry = groups.children?.find((g) => property(g, 'VpcSecurityGroupId')?.value === finding.groupId);
        return property(entry, 'VpcSecurityGroupId') ?? groups;
      }
      // A group: the default group is wrong by its name; anything else about the group sits on its id.
      if (property(object, 'IpPermissions') !== undefined) {
        return finding.ruleId === 'AURSG-007' ? property(object, 'GroupName') : property(object, 'GroupId');
      }
      return undefined;
    })();
    return value ? spanOf(value) : span;
  };
}
