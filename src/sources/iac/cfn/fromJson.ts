// CloudFormation JSON into the template tree, with offsets, through jsonc-parser.

import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { asFunction, MAX_DEPTH, type CfnEntry, type CfnNode, type CfnParse } from './node';

export function parseCfnJson(text: string): CfnParse {
  // Checked before parsing: parseTree recurses per level, so hostile nesting could overflow the
  // stack there (at a depth that varies from run to run) before convert() reports it.
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { problems: [{ offset: deep, message: `nesting deeper than ${MAX_DEPTH} levels` }] };
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

/** Where brackets first nest deeper than MAX_DEPTH, found by jsonc-parser's scanner (no recursion; strings and comments skipped). */
export function tooDeepAt(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth--;
    }
  }
  return undefined;
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
