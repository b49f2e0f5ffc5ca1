// One evidence file parsed with positions: its value, a Locator for fromAws, and the
// syntax problems found (each with the line and column an editor shows).

import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import type { JsonPath, Locator } from '../model/fromAws';
import type { InventoryNote, Position, SourceRange } from '../model/types';
import { describePosition } from './textPositions';

export interface JsonDocument {
  /** The parsed value; undefined when the text has syntax errors (the file is then not used). */
  value: unknown;
  locate: Locator;
  /** Syntax errors (level error) and duplicate keys (level warning). */
  notes: InventoryNote[];
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

/** Where a container (object or array) sits: start line/character and end line/character (exclusive). */
type Span = [number, number, number, number];

/**
 * Parses strict JSON (what `aws ... --output json` prints). Comments and trailing commas
 * are reported as errors, since no AWS CLI output has them and they hint at a hand edit.
 *
 * Built on jsonc-parser's visitor rather than its parseTree: the value is built directly
 * and only containers keep a position (in a WeakMap keyed by the object itself), which
 * is several times faster and smaller on the tens of megabytes a large account prints.
 */
export function parseJsonDocument(text: string, file: string, displayName: string = file): JsonDocument {
  const notes: InventoryNote[] = [];
  const errors: { code: ParseErrorCode; line: number; character: number; length: number }[] = [];
  const spans = new WeakMap<object, Span>();
  // Scalars inside arrays (a stray null among objects) keep their own position; they are rare in AWS output.
  const elementSpans = new WeakMap<unknown[], Map<number, Span>>();
  const stack: { container: Record<string, unknown> | unknown[]; key?: string; keys?: Set<string>; line: number; character: number }[] = [];
  let root: unknown;
  let duplicates = 0;
  const put = (value: unknown) => {
    const top = stack[stack.length - 1];
    if (!top) root = value;
    else if (Array.isArray(top.container)) top.container.push(value);
    else if (top.key !== undefined) top.container[top.key] = value;
  };
  const close = (line: number, character: number) => {
    const top = stack.pop();
    if (top) spans.set(top.container, [top.line, top.character, line, character + 1]);
  };
  try {
    visit(text, {
      onObjectBegin: (_offset, _length, line, character) => {
        // Null prototype: keys such as __proto__ from a file stay plain data.
        const object = Object.create(null) as Record<string, unknown>;
        put(object);
        stack.push({ container: object, keys: new Set(), line, character });
      },
      onObjectProperty: (property, _offset, _length, line, character) => {
        const top = stack[stack.length - 1];
        if (!top?.keys) return;
        if (top.keys.has(property) && duplicates++ < 20) {
          const location: SourceRange = { file, start: { line, character }, end: { line, character: character + property.length + 2 } };
          notes.push({ level: 'warning', message: `${displayName}: duplicate key ${JSON.stringify(property)} at ${describePosition(location.start)}; the last one is used.`, file, location });
        }
        top.keys.add(property);
        top.key = property;
      },
      onObjectEnd: (_offset, _length, line, character) => close(line, character),
      onArrayBegin: (_offset, _length, line, character) => {
        const array: unknown[] = [];
        put(array);
        stack.push({ container: array, line, character });
      },
      onArrayEnd: (_offset, _length, line, character) => close(line, character),
      onLiteralValue: (value: unknown, _offset, length, line, character) => {
        const top = stack[stack.length - 1];
        if (top && Array.isArray(top.container)) {
          const own = elementSpans.get(top.container) ?? new Map<number, Span>();
          own.set(top.container.length, [line, character, line, character + length]);
          elementSpans.set(top.container, own);
        }
        put(value);
      },
      onError: (code, _offset, length, line, character) => { errors.push({ code, line, character, length }); },
    }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    // The parser recurses per nesting level; hostile input can nest deeper than the stack.
    if (!(error instanceof RangeError)) throw error;
    notes.push({ level: 'error', message: `${displayName}: the JSON is nested too deeply to read. The file was not used.`, file });
    return { value: undefined, locate: () => undefined, notes: notes.filter((n) => n.level === 'error') };
  }

  // The first error is the one worth reading; later ones are usually its echo.
  const first = errors[0];
  if (first || root === undefined) {
    const start: Position = first ? { line: first.line, character: first.character } : { line: 0, character: 0 };
    const location: SourceRange = { file, start, end: { line: start.line, character: start.character + (first?.length ?? 0) } };
    const code = first ? printParseErrorCode(first.code) : 'ValueExpected';
    const what = text.trim() === '' ? 'the file is empty' : (PARSE_HINTS[code] ?? code);
    const more = errors.length > 1 ? ` (${errors.length} syntax errors in all)` : '';
    return {
      value: undefined,
      locate: () => undefined,
      notes: [{ level: 'error', message: `${displayName}: invalid JSON at ${describePosition(location.start)}: ${what}${more}. The file was not used.`, file, location }],
    };
  }

  const rangeOf = (span: Span): SourceRange => ({ file, start: { line: span[0], character: span[1] }, end: { line: span[2], character: span[3] } });
  const locate: Locator = (path: JsonPath) => {
    // Walk the value; a path ending at a scalar, a missing member or an object made up
    // after parsing is located at the nearest container above it.
    let current: unknown = root;
    let nearest = typeof root === 'object' && root !== null ? spans.get(root) : undefined;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as string | number;
      if (i === path.length - 1 && Array.isArray(current) && typeof segment === 'number') {
        const own = elementSpans.get(current)?.get(segment);
        if (own) return rangeOf(own);
      }
      const next = typeof current === 'object' && current !== null ? (current as Record<string | number, unknown>)[segment] : undefined;
      if (next === undefined) return i === path.length - 1 && nearest ? rangeOf(nearest) : undefined;
      current = next;
      if (typeof current === 'object' && current !== null) nearest = spans.get(current) ?? nearest;
    }
    return nearest ? rangeOf(nearest) : undefined;
  };
  return { value: root, locate, notes };
}

/**
 * The value alone, through the native JSON parser: no positions, no duplicate-key notes. A file
 * it rejects is parsed again by parseJsonDocument, so its error still names the line and column.
 */
export function parseJsonValue(text: string, file: string, displayName: string = file): JsonDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseJsonDocument(text, file, displayName);
  }
  return { value, locate: () => undefined, notes: [] };
}
