// CloudFormation JSON into the template tree, with offsets, through jsonc-parser.

import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { asFunction, MAX_DEPTH, type CfnEntry, type CfnNode, type CfnParse } from './node';

export function parseCfnJson(text: string): CfnParse {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length) {
    return { problems: errors.map((e) => ({ offset: e.offset, message: describeError(printParseErrorCode(e.error)) })) };
  }
  if (!tree) return { problems: [] };
  const problems: { offset: number; message: string }[] = [];
  const root = convert(tree, 0, problems);
  return problems.length || !root ? { problems } : { root, problems };
}

function describeError(code: string): string {
  // "CloseBraceExpected" -> "close brace expected"
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function convert(node: JsonNode, depth: number, problems: { offset: number; message: string }[]): CfnNode | undefined {
  const span = { start: node.offset, end: node.offset + node.length };
  if (depth > MAX_DEPTH) {
    if (!problems.length) problems.push({ offset: span.start, message: `nesting deeper than ${MAX_DEPTH} levels` });
    return undefined;
  }
  switch (node.type) {
    case 'object': {
      const entries: CfnEntry[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const value = convert(valueNode, depth + 1, problems);
        if (!value) continue;
        entries.push({ key: String(keyNode.value), keySpan: { start: keyNode.offset, end: keyNode.offset + keyNode.length }, value });
      }
      return asFunction(entries, span) ?? { kind: 'map', entries, span };
    }
    case 'array': {
      const items: CfnNode[] = [];
      for (const item of node.children ?? []) {
        const converted = convert(item, depth + 1, problems);
        if (converted) items.push(converted);
      }
      return { kind: 'list', items, span };
    }
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return { kind: 'scalar', value: node.value as string | number | boolean | null, span };
    default:
      return undefined;
  }
}
