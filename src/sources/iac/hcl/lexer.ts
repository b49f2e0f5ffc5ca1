// Tokens of the HCL native syntax, the subset Terraform files use: identifiers, numbers,
// quoted strings and heredocs (with ${...} and %{...} kept as text), punctuation and
// operators, newlines (they end attributes), and the three comment styles.

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'newline' | 'eof';

export interface Token {
  kind: TokenKind;
  /** ident name, punctuation text, or number source. */
  text: string;
  start: number;
  end: number;
  /** Strings and heredocs: the decoded value when there is no interpolation. */
  literal?: string;
  /** Strings and heredocs: the template text (escapes decoded outside interpolations) when there is one. */
  template?: string;
}

export class HclSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const THREE_CHAR = ['...'];
const TWO_CHAR = ['==', '!=', '<=', '>=', '&&', '||', '=>', '::'];
const ONE_CHAR = '{}[]()=,.:?!*+-/%<>';
/** Strings inside interpolations inside strings: real files stay far below this. */
const MAX_NESTING = 64;

function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\uFEFF') { i++; continue; }
    if (ch === '\r' || ch === '\n') {
      const start = i;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      tokens.push({ kind: 'newline', text: '\n', start, end: i });
      continue;
    }
    if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw new HclSyntaxError(i, 'unterminated /* comment');
      i = close + 2;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < n && /[A-Za-z0-9_-]/.test(text[i] as string)) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 64)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: match[0], start: i, end: i + match[0].length });
      i += match[0].length;
      continue;
    }
    if (ch === '"') {
      const token = readQuoted(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (ch === '<' && text[i + 1] === '<' && /[-A-Za-z_]/.test(text[i + 2] ?? '')) {
      const token = readHeredoc(text, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const punct = THREE_CHAR.includes(three) ? three : TWO_CHAR.includes(two) ? two : ONE_CHAR.includes(ch) ? ch : undefined;
    if (!punct) throw new HclSyntaxError(i, `unexpected character ${JSON.stringify(ch)}`);
    tokens.push({ kind: 'punct', text: punct, start: i, end: i + punct.length });
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** A quoted string from its opening quote; interpolations may hold nested strings and braces. */
function readQuoted(text: string, start: number, depth = 0): Token {
  if (depth > MAX_NESTING) throw new HclSyntaxError(start, 'strings nest too deeply');
  let i = start + 1;
  let out = '';
  let interpolated = false;
  while (true) {
    if (i >= text.length || text[i] === '\n' || text[i] === '\r') throw new HclSyntaxError(start, 'unterminated string');
    const ch = text[i] as string;
    if (ch === '"') { i++; break; }
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      if (ESCAPES[next] !== undefined) { out += ESCAPES[next]; i += 2; continue; }
      const unicode = next === 'u' ? /^[0-9A-Fa-f]{4}/.exec(text.slice(i + 2, i + 6)) : next === 'U' ? /^[0-9A-Fa-f]{8}/.exec(text.slice(i + 2, i + 10)) : null;
      if (unicode) {
        const code = parseInt(unicode[0], 16);
        out += code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
        i += 2 + unicode[0].length;
        continue;
      }
      throw new HclSyntaxError(i, `invalid escape \\${next}`);
    }
    if ((ch === '$' || ch === '%') && text[i + 1] === ch && text[i + 2] === '{') {
      // $${ and %%{ are the escapes for a literal ${ and %{.
      out += `${ch}{`;
      i += 3;
      continue;
    }
    if ((ch === '$' || ch === '%') && text[i + 1] === '{') {
      const end = skipInterpolation(text, i + 2, depth);
      out += text.slice(i, end);
      interpolated = true;
      i = end;
      continue;
    }
    out += ch;
    i++;
  }
  const token: Token = { kind: 'string', text: text.slice(start, i), start, end: i };
  if (interpolated) token.template = out;
  else token.literal = out;
  return token;
}

/** From just inside `${`, the offset just after its closing brace. */
function skipInterpolation(text: string, from: number, nesting: number): number {
  let depth = 1;
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') { i = readQuoted(text, i, nesting + 1).end; continue; }
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new HclSyntaxError(from - 2, 'unterminated ${ interpolation');
}

function readHeredoc(text: string, start: number): Token {
  const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*(\r?\n|\r)/.exec(text.slice(start, start + 300));
  if (!header) throw new HclSyntaxError(start, 'a heredoc needs a marker and then a new line, like <<EOT');
  const marker = header[2] as string;
  const indented = header[1] === '-';
  let lineStart = start + header[0].length;
  const body: string[] = [];
  while (lineStart <= text.length) {
    const lineEnd = endOfLine(text, lineStart);
    const line = text.slice(lineStart, lineEnd);
    if (line.trim() === marker) {
      let content = body.join('\n');
      if (indented) {
        // <<- strips the smallest indentation of the body's lines.
        const indents = body.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
        const strip = indents.reduce((min, k) => Math.min(min, k), indents.length ? Infinity : 0);
        content = body.map((l) => l.slice(strip)).join('\n');
      }
      if (body.length) content += '\n';
      const token: Token = { kind: 'string', text: text.slice(start, lineEnd), start, end: lineEnd };
      if (/[$%]\{/.test(content.replace(/([$%])\1\{/g, ''))) token.template = content;
      else token.literal = content.replace(/([$%])\1\{/g, '$1{');
      return token;
    }
    body.push(line);
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
  }
  throw new HclSyntaxError(start, `heredoc <<${indented ? '-' : ''}${marker} has no closing ${marker} line`);
}
