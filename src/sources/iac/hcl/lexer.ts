// Tokens of the HCL native syntax (hashicorp/hcl hclsyntax/spec.md). Like HCL's own scanner
// it keeps a stack of modes, because text inside "..." and heredocs is template literal
// until a ${ or %{ opens an expression, and a } may close an object or such a sequence.
// Comments are kept aside (with their offsets) for inline suppressions.

import type { HclComment } from './ast';

export type TokenKind =
  | 'ident' | 'number' | 'punct' | 'newline' | 'eof'
  | 'quoteOpen' | 'quoteClose' | 'heredocOpen' | 'heredocClose'
  /** Template literal text; `value` is decoded (escapes, $${ and %%{). */
  | 'literal'
  /** `${` or `%{`; strip for `${~` / `%{~`. */
  | 'interpolation' | 'directive'
  /** The `}` (strip: `~}`) that ends a template sequence. */
  | 'sequenceEnd';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  start: number;
  end: number;
  /** literal: the decoded text. */
  value?: string;
  /** interpolation, directive, sequenceEnd: a ~ strip marker on the inner side. */
  strip?: boolean;
  /** heredocOpen: `<<-` strips the common indentation. */
  indent?: boolean;
  /** literal inside a heredoc: it starts a line. */
  lineStart?: boolean;
}

export class HclSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const THREE_CHAR = ['...'];
const TWO_CHAR = ['==', '!=', '<=', '>=', '&&', '||', '=>', '::'];
const ONE_CHAR = '{}[]()=,.:?!*+-/%<>';
/** Strings inside interpolations inside strings, braces inside them: real files stay far below this. */
export const MAX_NESTING = 100;

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}-]/u;

type Mode =
  | { kind: 'brace' }
  | { kind: 'sequence' }
  | { kind: 'quoted'; start: number }
  | { kind: 'heredoc'; start: number; marker: string; atLineStart: boolean };

export interface Lexed { tokens: Token[]; comments: HclComment[] }

export function tokenize(text: string): Lexed {
  return new Lexer(text).run();
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

class Lexer {
  private i = 0;
  private readonly modes: Mode[] = [];
  private readonly tokens: Token[] = [];
  private readonly comments: HclComment[] = [];

  constructor(private readonly text: string) {}

  run(): Lexed {
    while (true) {
      const mode = this.modes[this.modes.length - 1];
      if (mode?.kind === 'quoted') { this.quoted(mode); continue; }
      if (mode?.kind === 'heredoc') { this.heredoc(mode); continue; }
      if (this.i >= this.text.length) break;
      this.main();
    }
    const open = this.modes.find((m) => m.kind === 'sequence');
    if (open) throw new HclSyntaxError(this.lastOpen('sequence'), 'a ${ or %{ sequence is never closed');
    this.tokens.push({ kind: 'eof', text: '', start: this.text.length, end: this.text.length });
    return { tokens: this.tokens, comments: this.comments };
  }

  private lastOpen(kind: Mode['kind']): number {
    for (let k = this.tokens.length - 1; k >= 0; k--) {
      const token = this.tokens[k] as Token;
      if (kind === 'sequence' && (token.kind === 'interpolation' || token.kind === 'directive')) return token.start;
    }
    return this.text.length;
  }

  private push(mode: Mode, at: number): void {
    if (this.modes.length >= MAX_NESTING) throw new HclSyntaxError(at, `nesting deeper than ${MAX_NESTING} levels`);
    this.modes.push(mode);
  }

  private emit(kind: TokenKind, start: number, end: number, extra?: Partial<Token>): Token {
    const token: Token = { kind, text: this.text.slice(start, end), start, end, ...extra };
    this.tokens.push(token);
    return token;
  }

  private main(): void {
    const text = this.text;
    const ch = text[this.i] as string;
    const start = this.i;
    if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\uFEFF') { this.i++; return; }
    if (ch === '\r' && text[this.i + 1] !== '\n') throw new HclSyntaxError(this.i, 'a carriage return alone is not a line break in HCL (use \\n or \\r\\n)');
    if (ch === '\r' || ch === '\n') {
      this.i += ch === '\r' ? 2 : 1;
      this.emit('newline', start, this.i);
      return;
    }
    if (ch === '#' || (ch === '/' && text[this.i + 1] === '/')) {
      while (this.i < text.length && text[this.i] !== '\n' && text[this.i] !== '\r') this.i++;
      this.comments.push({ text: text.slice(start, this.i), span: { start, end: this.i } });
      return;
    }
    if (ch === '/' && text[this.i + 1] === '*') {
      const close = text.indexOf('*/', this.i + 2);
      if (close < 0) throw new HclSyntaxError(this.i, 'unterminated /* comment');
      this.i = close + 2;
      this.comments.push({ text: text.slice(start, this.i), span: { start, end: this.i } });
      return;
    }
    const code = text.codePointAt(this.i) as number;
    const char = String.fromCodePoint(code);
    if (ID_START.test(char)) {
      this.i += char.length;
      while (this.i < text.length) {
        const next = String.fromCodePoint(text.codePointAt(this.i) as number);
        if (!ID_CONTINUE.test(next)) break;
        this.i += next.length;
      }
      this.emit('ident', start, this.i);
      return;
    }
    if (ch >= '0' && ch <= '9') {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(this.i, this.i + 400)) as RegExpExecArray;
      this.i += match[0].length;
      this.emit('number', start, this.i);
      return;
    }
    if (ch === '"') {
      this.i++;
      this.emit('quoteOpen', start, this.i);
      this.push({ kind: 'quoted', start }, start);
      return;
    }
    if (ch === '<' && text[this.i + 1] === '<' && /[-\p{ID_Start}_]/u.test(text[this.i + 2] ?? '')) {
      const header = /^<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)[ \t]*(\r\n|\n|\r)/u.exec(text.slice(this.i, this.i + 400));
      if (!header) throw new HclSyntaxError(this.i, 'a heredoc needs a marker and then a new line, like <<EOT');
      this.i += header[0].length;
      this.emit('heredocOpen', start, this.i, { indent: header[1] === '-' });
      this.push({ kind: 'heredoc', start, marker: header[2] as string, atLineStart: true }, start);
      return;
    }
    if (ch === '{') {
      this.push({ kind: 'brace' }, start);
      this.i++;
      this.emit('punct', start, this.i);
      return;
    }
    if (ch === '}' || (ch === '~' && text[this.i + 1] === '}')) {
      const top = this.modes[this.modes.length - 1];
      if (top?.kind === 'sequence') {
        this.modes.pop();
        const strip = ch === '~';
        this.i += strip ? 2 : 1;
        this.emit('sequenceEnd', start, this.i, { strip });
        return;
      }
      if (ch === '~') throw new HclSyntaxError(start, 'unexpected character "~"');
      if (top?.kind === 'brace') this.modes.pop();
      this.i++;
      this.emit('punct', start, this.i);
      return;
    }
    const three = text.slice(this.i, this.i + 3);
    const two = text.slice(this.i, this.i + 2);
    const punct = THREE_CHAR.includes(three) ? three : TWO_CHAR.includes(two) ? two : ONE_CHAR.includes(ch) ? ch : undefined;
    if (!punct) throw new HclSyntaxError(this.i, `unexpected character ${JSON.stringify(char)}`);
    this.i += punct.length;
    this.emit('punct', start, this.i);
  }

  /** `${`, `${~`, `%{`, `%{~` at i: emits the token and enters the sequence. */
  private sequenceStart(): boolean {
    const text = this.text;
    const ch = text[this.i];
    if ((ch !== '$' && ch !== '%') || text[this.i + 1] !== '{') return false;
    const start = this.i;
    const strip = text[this.i + 2] === '~';
    this.i += strip ? 3 : 2;
    this.emit(ch === '$' ? 'interpolation' : 'directive', start, this.i, { strip });
    this.push({ kind: 'sequence' }, start);
    return true;
  }

  private quoted(mode: Extract<Mode, { kind: 'quoted' }>): void {
    const text = this.text;
    if (this.i >= text.length || text[this.i] === '\n' || text[this.i] === '\r') throw new HclSyntaxError(mode.start, 'unterminated string');
    if (text[this.i] === '"') {
      this.emit('quoteClose', this.i, this.i + 1);
      this.i++;
      this.modes.pop();
      return;
    }
    if (this.sequenceStart()) return;
    const start = this.i;
    let value = '';
    while (this.i < text.length) {
      const ch = text[this.i] as string;
      if (ch === '"' || ch === '\n' || ch === '\r') break;
      if ((ch === '$' || ch === '%') && text[this.i + 1] === '{') break;
      if ((ch === '$' || ch === '%') && text[this.i + 1] === ch && text[this.i + 2] === '{') {
        // $${ and %%{ are the escapes for a literal ${ and %{.
        value += `${ch}{`;
        this.i += 3;
        continue;
      }
      if (ch === '\\') {
        value += this.escape();
        continue;
      }
      value += ch;
      this.i++;
    }
    // HCL normalises string literals to Unicode NFC: "e" + a combining acute is "é".
    this.emit('literal', start, this.i, { value: value.normalize('NFC') });
  }

  private escape(): string {
    const text = this.text;
    const next = text[this.i + 1] ?? '';
    const simple = ESCAPES[next];
    if (simple !== undefined) { this.i += 2; return simple; }
    const digits = next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const hex = digits ? text.slice(this.i + 2, this.i + 2 + digits) : '';
    if (digits && hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new HclSyntaxError(this.i, `invalid escape \\${next}${hex}: not a Unicode character`);
      this.i += 2 + digits;
      return String.fromCodePoint(code);
    }
    throw new HclSyntaxError(this.i, `invalid escape \\${next}`);
  }

  private heredoc(mode: Extract<Mode, { kind: 'heredoc' }>): void {
    const text = this.text;
    if (mode.atLineStart) {
      const lineEnd = endOfLine(text, this.i);
      const line = text.slice(this.i, lineEnd);
      const trimmed = line.replace(/^[ \t]+/, '');
      if (trimmed.replace(/[ \t]+$/, '') === mode.marker) {
        const markerStart = this.i + (line.length - trimmed.length);
        this.emit('heredocClose', markerStart, markerStart + mode.marker.length);
        this.i = lineEnd;
        this.modes.pop();
        return;
      }
    }
    if (this.i >= text.length) {
      throw new HclSyntaxError(mode.start, `heredoc <<${text[mode.start + 2] === '-' ? '-' : ''}${mode.marker} has no closing ${mode.marker} line`);
    }
    if (this.sequenceStart()) { mode.atLineStart = false; return; }
    const start = this.i;
    const lineStart = mode.atLineStart;
    let value = '';
    mode.atLineStart = false;
    while (this.i < text.length) {
      const ch = text[this.i] as string;
      if ((ch === '$' || ch === '%') && text[this.i + 1] === '{') break;
      if ((ch === '$' || ch === '%') && text[this.i + 1] === ch && text[this.i + 2] === '{') {
        value += `${ch}{`;
        this.i += 3;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        const length = ch === '\r' && text[this.i + 1] === '\n' ? 2 : 1;
        // Heredoc text keeps its line breaks, normalised to \n as HCL does.
        value += '\n';
        this.i += length;
        mode.atLineStart = true;
        break;
      }
      value += ch;
      this.i++;
    }
    this.emit('literal', start, this.i, { value: value.normalize('NFC'), lineStart });
  }
}

function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}
