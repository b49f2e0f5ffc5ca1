// One evidence file parsed with positions: its value, a Locator for fromAws, and the
// syntax problems found (each with the line and column an editor shows).

import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { JsonPath, Locator } from '../model/fromAws';
import type { InventoryNote, Position, SourceRange } from '../model/types';

export interface JsonDocument {
  /** The parsed value; undefined when the text has syntax errors (the file is then not used). */
  value: unknown;
  locate: Locator;
  /** Syntax errors (level error) and duplicate keys (level warning). */
  notes: InventoryNote[];
}

/** Turns string offsets into zero-based line/character (UTF-16 code units, as editors count). */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (this.lineStarts[lo] as number) };
  }
}

/** Strips a UTF-8 byte order mark and decodes UTF-16 (what Windows PowerShell 5's `>` writes). */
export function decodeEvidenceBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return stripBom(bytes.toString('utf8'));
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** "line 3, column 7" (one-based, as people and editors' status bars say it). */
export function describePosition(position: Position): string {
  return `line ${position.line + 1}, column ${position.character + 1}`;
}

const PARSE_HINTS: Partial<Record<string, string>> = {
  CommaExpected: 'a comma is missing',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  ValueExpected: 'a value is expected',
  PropertyNameExpected: 'a property name is expected (a trailing comma?)',
  ColonExpected: 'a colon is expected',
  EndOfFileExpected: 'text after the end of the JSON document (two outputs in one file?)',
  InvalidSymbol: 'unexpected text (is this the JSON output of the AWS CLI? use --output json)',
  UnexpectedEndOfString: 'a string is not closed',
  InvalidCommentToken: 'comments are not JSON',
};

/**
 * Parses strict JSON (what `aws ... --output json` prints). Comments and trailing commas
 * are reported as errors, since no AWS CLI output has them and they hint at a hand edit.
 */
export function parseJsonDocument(text: string, file: string, displayName: string = file): JsonDocument {
  const lines = new LineIndex(text);
  const rangeOf = (offset: number, length: number): SourceRange =>
    ({ file, start: lines.position(offset), end: lines.position(offset + length) });

  const errors: ParseError[] = [];
  const notes: InventoryNote[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    // The parser recurses per nesting level; hostile input can nest deeper than the stack.
    if (!(error instanceof RangeError)) throw error;
    notes.push({ level: 'error', message: `${displayName}: the JSON is nested too deeply to read. The file was not used.`, file });
    return { value: undefined, locate: () => undefined, notes };
  }
  // The first error is the one worth reading; later ones are usually its echo.
  const first = errors[0];
  if (first || !root) {
    const offset = first?.offset ?? 0;
    const location = rangeOf(offset, first?.length ?? 0);
    const code = first ? printParseErrorCode(first.error) : 'ValueExpected';
    const what = text.trim() === '' ? 'the file is empty' : (PARSE_HINTS[code] ?? code);
    const more = errors.length > 1 ? ` (${errors.length} syntax errors in all)` : '';
    notes.push({
      level: 'error',
      message: `${displayName}: invalid JSON at ${describePosition(location.start)}: ${what}${more}. The file was not used.`,
      file,
      location,
    });
    return { value: undefined, locate: () => undefined, notes };
  }

  const tree = root;
  notes.push(...duplicateKeyNotes(tree, file, displayName, rangeOf));
  const locate: Locator = (path: JsonPath) => {
    const node = findNode(tree, path);
    return node ? rangeOf(node.offset, node.length) : undefined;
  };
  return { value: nodeValue(tree), locate, notes };
}

/** Like jsonc-parser's findNodeAtLocation, but takes the LAST of duplicate keys, as JSON.parse does. */
function findNode(root: Node, path: JsonPath): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      if (node.type !== 'array' || !node.children) return undefined;
      node = node.children[segment];
    } else {
      if (node.type !== 'object' || !node.children) return undefined;
      let found: Node | undefined;
      for (const property of node.children) {
        const key = property.children?.[0];
        if (key?.value === segment) found = property.children?.[1];
      }
      node = found;
    }
  }
  return node;
}

/** The value of a node; duplicate keys keep the last, as JSON.parse does. Iterative: deep input cannot overflow the stack. */
function nodeValue(root: Node): unknown {
  const build = (node: Node): unknown => {
    switch (node.type) {
      case 'object': return Object.create(null) as Record<string, unknown>;
      case 'array': return new Array<unknown>(node.children?.length ?? 0);
      default: return node.value;
    }
  };
  const rootValue = build(root);
  const stack: { node: Node; value: unknown }[] = [{ node: root, value: rootValue }];
  while (stack.length) {
    const { node, value } = stack.pop()!;
    if (node.type === 'object') {
      const target = value as Record<string, unknown>;
      for (const property of node.children ?? []) {
        const key = property.children?.[0]?.value as string | undefined;
        const child = property.children?.[1];
        if (key === undefined || !child) continue;
        const childValue = build(child);
        target[key] = childValue;
        if (child.type === 'object' || child.type === 'array') stack.push({ node: child, value: childValue });
      }
    } else if (node.type === 'array') {
      const target = value as unknown[];
      (node.children ?? []).forEach((child, i) => {
        const childValue = build(child);
        target[i] = childValue;
        if (child.type === 'object' || child.type === 'array') stack.push({ node: child, value: childValue });
      });
    }
  }
  return rootValue;
}

function duplicateKeyNotes(root: Node, file: string, displayName: string, rangeOf: (offset: number, length: number) => SourceRange): InventoryNote[] {
  const notes: InventoryNote[] = [];
  const stack: Node[] = [root];
  while (stack.length && notes.length < 20) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const keyNode = property.children?.[0];
        const key = keyNode?.value as string | undefined;
        if (keyNode && key !== undefined) {
          if (seen.has(key)) {
            const location = rangeOf(keyNode.offset, keyNode.length);
            notes.push({ level: 'warning', message: `${displayName}: duplicate key ${JSON.stringify(key)} at ${describePosition(location.start)}; the last one is used.`, file, location });
          }
          seen.add(key);
        }
      }
    }
    for (const child of node.children ?? []) if (child.type === 'object' || child.type === 'array' || child.type === 'property') stack.push(child);
  }
  return notes;
}
