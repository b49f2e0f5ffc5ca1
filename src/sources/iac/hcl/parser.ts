// A recursive-descent parser for the HCL native syntax (hashicorp/hcl hclsyntax/spec.md):
// bodies of attributes and blocks, and every expression form: literals, templates with
// interpolations and directives, heredocs, references, tuples, objects with any key, calls
// with `...`, for expressions, conditionals, operators by precedence, indexes, attributes and
// splats. Offsets are kept for everything, so diagnostics and code fixes land on the text.

import { LineIndex } from '../../textPositions';
import type { HclAttribute, HclBinaryOperator, HclBlock, HclBody, HclComment, HclExpr, HclObjectItem, HclSpan, HclStep, HclTemplatePart } from './ast';
import { HclSyntaxError, tokenize, type Token } from './lexer';

export type HclParse =
  | { ok: true; body: HclBody; comments: HclComment[] }
  | { ok: false; offset: number; message: string };

/** Far deeper than real configurations; keeps hostile nesting from exhausting the stack. */
const MAX_DEPTH = 100;

/** Binary operators by precedence level (higher binds tighter). */
const LEVELS: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

export function parseHcl(text: string): HclParse {
  try {
    const { tokens, comments } = tokenize(text);
    const parser = new Parser(text, tokens);
    return { ok: true, body: parser.parseFile(), comments };
  } catch (error) {
    if (error instanceof HclSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

/** One token of a template, before strip markers and heredoc indentation are applied. */
type TemplateToken =
  | { kind: 'literal'; value: string; span: HclSpan }
  | { kind: 'interpolation'; expr: HclExpr; span: HclSpan; stripBefore: boolean; stripAfter: boolean }
  | { kind: 'if'; condition: HclExpr; span: HclSpan; stripBefore: boolean; stripAfter: boolean }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: HclExpr; span: HclSpan; stripBefore: boolean; stripAfter: boolean }
  | { kind: 'else' | 'endif' | 'endfor'; span: HclSpan; stripBefore: boolean; stripAfter: boolean };

class Parser {
  private index = 0;
  private depth = 0;
  /** Whether new lines count where we are: they end attributes and object items, not tuple items or call arguments. */
  private readonly newlines: boolean[] = [true];
  private lines: LineIndex | undefined;

  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  parseFile(): HclBody {
    const body = this.parseBody();
    const next = this.peek();
    if (next.kind !== 'eof') throw this.error(next, `unexpected ${describe(next)}`);
    return body;
  }

  private get skipNewlinesHere(): boolean {
    return !this.newlines[this.newlines.length - 1];
  }

  private peek(ahead = 0): Token {
    const skip = this.skipNewlinesHere;
    let seen = -1;
    for (let i = this.index; i < this.tokens.length; i++) {
      const token = this.tokens[i] as Token;
      if (skip && token.kind === 'newline') continue;
      if (++seen === ahead) return token;
    }
    return this.tokens[this.tokens.length - 1] as Token;
  }

  private next(): Token {
    const skip = this.skipNewlinesHere;
    while (skip && this.tokens[this.index]?.kind === 'newline') this.index++;
    const token = this.tokens[Math.min(this.index, this.tokens.length - 1)] as Token;
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private isPunct(token: Token, text: string): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  private isIdent(token: Token, name: string): boolean {
    return token.kind === 'ident' && token.text === name;
  }

  private expectPunct(text: string): Token {
    const token = this.next();
    if (!this.isPunct(token, text)) throw this.error(token, `expected '${text}' but found ${describe(token)}`);
    return token;
  }

  private expectIdent(what: string): Token {
    const token = this.next();
    if (token.kind !== 'ident') throw this.error(token, `expected ${what} but found ${describe(token)}`);
    return token;
  }

  private skipNewlines(): void {
    while (this.tokens[this.index]?.kind === 'newline') this.index++;
  }

  private error(token: Token, message: string): HclSyntaxError {
    return new HclSyntaxError(token.start, message);
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_DEPTH) throw this.error(token, `nesting deeper than ${MAX_DEPTH} levels`);
  }

  private leave(): void {
    this.depth--;
  }

  /** Runs `work` with new lines significant (true) or ignored (false). */
  private withNewlines<T>(significant: boolean, work: () => T): T {
    this.newlines.push(significant);
    try {
      return work();
    } finally {
      this.newlines.pop();
    }
  }

  private lineOf(offset: number): number {
    this.lines ??= new LineIndex(this.text);
    return this.lines.position(offset).line + 1;
  }

  /** Attributes and blocks until `}` or the end of the file. */
  private parseBody(): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    const names = new Map<string, number>();
    while (true) {
      this.skipNewlines();
      const token = this.peek();
      if (token.kind === 'eof' || this.isPunct(token, '}')) return body;
      if (token.kind !== 'ident') throw this.error(token, `expected an attribute name or a block type but found ${describe(token)}`);
      this.next();
      if (this.isPunct(this.peek(), '=')) {
        body.attributes.push(this.parseAttribute(token, names));
      } else {
        body.blocks.push(this.parseBlock(token));
      }
      this.endOfItem();
    }
  }

  private parseAttribute(name: Token, names: Map<string, number>): HclAttribute {
    const first = names.get(name.text);
    if (first !== undefined) throw this.error(name, `the argument "${name.text}" is already set on line ${this.lineOf(first)}; each argument may be set only once`);
    names.set(name.text, name.start);
    this.next();
    const value = this.parseExpression();
    return { name: name.text, nameSpan: span(name, name), value, span: { start: name.start, end: value.span.end } };
  }

  /** An attribute or block ends at a new line, at the end of the file, or before a one-line block's `}`. */
  private endOfItem(): void {
    const token = this.peek();
    if (token.kind === 'newline') { this.next(); return; }
    if (token.kind === 'eof' || this.isPunct(token, '}')) return;
    throw this.error(token, `expected a new line but found ${describe(token)}`);
  }

  private parseBlock(typeToken: Token): HclBlock {
    const labels: string[] = [];
    const labelSpans: HclSpan[] = [];
    while (true) {
      const token = this.peek();
      if (token.kind === 'ident') { labels.push(token.text); labelSpans.push(span(token, token)); this.next(); continue; }
      if (token.kind === 'quoteOpen') {
        const label = this.parseExpression();
        if (label.type !== 'literal' || typeof label.value !== 'string') throw this.error(token, 'a block label must be a plain string, without ${...} or %{...}');
        labels.push(label.value);
        labelSpans.push(label.span);
        continue;
      }
      break;
    }
    const open = this.peek();
    if (!this.isPunct(open, '{')) {
      throw this.error(open, open.kind === 'newline' || open.kind === 'eof'
        ? `expected '=' or '{' after ${typeToken.text} but found ${describe(open)}`
        : `expected '{' but found ${describe(open)}`);
    }
    this.next();
    this.enter(open);
    let body: HclBody;
    if (this.peek().kind === 'newline' || this.isPunct(this.peek(), '}')) {
      body = this.parseBody();
    } else {
      // A one-line block: at most one argument, and no nested block (as HCL requires).
      const name = this.expectIdent('an argument name');
      if (!this.isPunct(this.peek(), '=')) throw this.error(this.peek(), `a one-line block holds at most one argument, and no block; expected '=' after ${name.text} but found ${describe(this.peek())}`);
      body = { attributes: [this.parseAttribute(name, new Map())], blocks: [] };
      if (!this.isPunct(this.peek(), '}')) throw this.error(this.peek(), `a one-line block holds at most one argument; put each on its own line (found ${describe(this.peek())})`);
    }
    const close = this.expectPunct('}');
    this.leave();
    return { type: typeToken.text, labels, labelSpans, body, span: span(typeToken, close), typeSpan: span(typeToken, typeToken), openBrace: span(open, open), closeBrace: span(close, close) };
  }

  parseExpression(): HclExpr {
    const first = this.peek();
    this.enter(first);
    try {
      const condition = this.parseBinary(1);
      if (!this.isPunct(this.peek(), '?')) return condition;
      this.next();
      const then = this.parseExpression();
      this.expectPunct(':');
      const otherwise = this.parseExpression();
      return { type: 'conditional', condition, then, else: otherwise, span: { start: condition.span.start, end: otherwise.span.end } };
    } finally {
      this.leave();
    }
  }

  /** Operators of `level` and tighter, left to right. */
  private parseBinary(level: number): HclExpr {
    let left = this.parseUnary();
    while (true) {
      const token = this.peek();
      const found = token.kind === 'punct' ? LEVELS[token.text] : undefined;
      if (found === undefined || found < level) return left;
      this.next();
      this.enter(token);
      const right = this.parseBinary(found + 1);
      this.leave();
      left = { type: 'binary', operator: token.text as HclBinaryOperator, left, right, span: { start: left.span.start, end: right.span.end } };
    }
  }

  private parseUnary(): HclExpr {
    const token = this.peek();
    if (!this.isPunct(token, '-') && !this.isPunct(token, '!')) return this.parseTerm();
    this.next();
    // -5 is the number -5: what the file says, and what HCL's static analysis sees.
    if (token.text === '-' && this.peek().kind === 'number' && !this.startsPostfix(this.peek(1))) {
      const number = this.next();
      return { type: 'literal', value: -Number(number.text), span: span(token, number) };
    }
    this.enter(token);
    const operand = this.parseUnary();
    this.leave();
    return { type: 'unary', operator: token.text as '-' | '!', operand, span: { start: token.start, end: operand.span.end } };
  }

  private startsPostfix(token: Token): boolean {
    return this.isPunct(token, '.') || this.isPunct(token, '[');
  }

  private parseTerm(): HclExpr {
    let expr = this.parsePrimary();
    while (true) {
      const token = this.peek();
      if (this.isPunct(token, '.')) {
        const after = this.peek(1);
        if (this.isPunct(after, '*')) {
          this.next(); this.next();
          expr = this.parseSplat('attr', expr, after.end);
          continue;
        }
        this.next();
        expr = this.applyStep(expr, this.attributeStep(token));
        continue;
      }
      if (this.isPunct(token, '[')) {
        if (this.isPunct(this.peek(1), '*') && this.isPunct(this.peek(2), ']')) {
          this.next(); this.next();
          const close = this.next();
          expr = this.parseSplat('full', expr, close.end);
          continue;
        }
        expr = this.applyStep(expr, this.indexStep());
        continue;
      }
      return expr;
    }
  }

  /** After the `.`: a name, or the legacy index `.0`. */
  private attributeStep(dot: Token): HclStep {
    const part = this.next();
    if (part.kind === 'ident') return { kind: 'attr', name: part.text, span: span(dot, part) };
    if (part.kind === 'number' && /^[0-9]+$/.test(part.text)) {
      return { kind: 'index', key: { type: 'literal', value: Number(part.text), span: span(part, part) }, span: span(dot, part) };
    }
    throw this.error(part, `expected an attribute name after '.' but found ${describe(part)}`);
  }

  private indexStep(): HclStep {
    const open = this.next();
    return this.withNewlines(false, () => {
      if (this.isPunct(this.peek(), ']')) throw this.error(this.peek(), 'expected an index between [ and ]');
      const key = this.parseExpression();
      const close = this.expectPunct(']');
      return { kind: 'index', key, span: span(open, close) } satisfies HclStep;
    });
  }

  /** The steps a splat applies to each element: attributes (attr splat), or attributes and indexes (full splat). */
  private parseSplat(kind: 'full' | 'attr', source: HclExpr, end: number): HclExpr {
    const each: HclStep[] = [];
    while (true) {
      const token = this.peek();
      if (this.isPunct(token, '.') && !this.isPunct(this.peek(1), '*')) {
        this.next();
        each.push(this.attributeStep(token));
      } else if (kind === 'full' && this.isPunct(token, '[') && !(this.isPunct(this.peek(1), '*') && this.isPunct(this.peek(2), ']'))) {
        each.push(this.indexStep());
      } else break;
      end = (each[each.length - 1] as HclStep).span.end;
    }
    return { type: 'splat', splat: kind, source, each, span: { start: source.span.start, end } };
  }

  /** A static step extends a reference (var.a.b[0]); any other step wraps the value. */
  private applyStep(expr: HclExpr, step: HclStep): HclExpr {
    const whole = { start: expr.span.start, end: step.span.end };
    if (expr.type === 'traversal') {
      const part = step.kind === 'attr' ? step.name
        : step.key.type === 'literal' && (typeof step.key.value === 'number' || typeof step.key.value === 'string') ? step.key.value : undefined;
      if (part !== undefined) return { type: 'traversal', parts: [...expr.parts, part], text: this.text.slice(whole.start, whole.end), span: whole };
    }
    return { type: 'relative', source: expr, step, span: whole };
  }

  private parsePrimary(): HclExpr {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.next();
        return { type: 'literal', value: Number(token.text), span: span(token, token) };
      case 'quoteOpen':
      case 'heredocOpen':
        return this.parseTemplate();
      case 'ident': {
        if (this.isPunct(this.peek(1), '(') || this.isPunct(this.peek(1), '::')) return this.parseCall();
        this.next();
        if (token.text === 'true' || token.text === 'false') return { type: 'literal', value: token.text === 'true', span: span(token, token) };
        if (token.text === 'null') return { type: 'literal', value: null, span: span(token, token) };
        return { type: 'traversal', parts: [token.text], text: token.text, span: span(token, token) };
      }
      case 'punct':
        if (token.text === '[') return this.isFor() ? this.parseFor() : this.parseTuple();
        if (token.text === '{') return this.isFor() ? this.parseFor() : this.parseObject();
        if (token.text === '(') {
          this.next();
          return this.withNewlines(false, () => {
            const inner = this.parseExpression();
            const close = this.peek();
            if (!this.isPunct(close, ')')) throw this.error(close.kind === 'eof' ? token : close, close.kind === 'eof' ? "'(' is never closed" : `expected ')' but found ${describe(close)}`);
            this.next();
            return { type: 'parens', inner, span: span(token, close) } satisfies HclExpr;
          });
        }
        break;
      default:
        break;
    }
    throw this.error(token, `expected a value but found ${describe(token)}`);
  }

  /** After `[` or `{`, is this a for expression? (The `for` keyword wins, as the spec says.) */
  private isFor(): boolean {
    return this.withNewlines(false, () => this.isIdent(this.peek(1), 'for'));
  }

  private parseFor(): HclExpr {
    const open = this.next();
    const closer = open.text === '[' ? ']' : '}';
    return this.withNewlines(false, () => {
      this.next(); // for
      const first = this.expectIdent("a variable name after 'for'");
      let keyVar: string | undefined;
      let valueVar = first.text;
      if (this.isPunct(this.peek(), ',')) {
        this.next();
        keyVar = first.text;
        valueVar = this.expectIdent("a second variable name after ','").text;
      }
      const keyword = this.next();
      if (!this.isIdent(keyword, 'in')) throw this.error(keyword, `expected 'in' but found ${describe(keyword)}`);
      const collection = this.parseExpression();
      this.expectPunct(':');
      let key: HclExpr | undefined;
      let value = this.parseExpression();
      let group = false;
      if (closer === '}') {
        key = value;
        this.expectPunct('=>');
        value = this.parseExpression();
        if (this.isPunct(this.peek(), '...')) { this.next(); group = true; }
      }
      let condition: HclExpr | undefined;
      if (this.isIdent(this.peek(), 'if')) { this.next(); condition = this.parseExpression(); }
      const close = this.next();
      if (!this.isPunct(close, closer)) throw this.error(close, `expected '${closer}' to end the for expression but found ${describe(close)}`);
      const expr: HclExpr = { type: 'for', collectionKind: closer === ']' ? 'tuple' : 'object', valueVar, collection, value, group, span: span(open, close) };
      if (keyVar !== undefined) expr.keyVar = keyVar;
      if (key) expr.key = key;
      if (condition) expr.condition = condition;
      return expr;
    });
  }

  private parseTuple(): HclExpr {
    const open = this.next();
    return this.withNewlines(false, () => {
      const items: HclExpr[] = [];
      while (!this.isPunct(this.peek(), ']')) {
        if (this.peek().kind === 'eof') throw this.error(this.peek(), "expected ',' or ']' but found the end of the file");
        items.push(this.parseExpression());
        if (this.isPunct(this.peek(), ',')) { this.next(); continue; }
        if (!this.isPunct(this.peek(), ']')) throw this.error(this.peek(), `expected ',' or ']' but found ${describe(this.peek())}`);
      }
      const close = this.next();
      return { type: 'tuple', items, span: span(open, close) } satisfies HclExpr;
    });
  }

  private parseObject(): HclExpr {
    const open = this.next();
    return this.withNewlines(true, () => {
      const items: HclObjectItem[] = [];
      while (true) {
        this.skipNewlines();
        const keyToken = this.peek();
        if (this.isPunct(keyToken, '}')) break;
        if (keyToken.kind === 'eof') throw this.error(keyToken, "expected '}' but found the end of the file");
        const item = this.parseObjectItem(keyToken);
        items.push(item);
        const after = this.peek();
        if (this.isPunct(after, ',') || after.kind === 'newline') { this.next(); continue; }
        if (!this.isPunct(after, '}')) throw this.error(after, `expected ',', a new line or '}' but found ${describe(after)}`);
      }
      const close = this.next();
      return { type: 'object', items, span: span(open, close) } satisfies HclExpr;
    });
  }

  private parseObjectItem(keyToken: Token): HclObjectItem {
    let keyExpr: HclExpr;
    let key: string | undefined;
    const separatorNext = this.isPunct(this.peek(1), '=') || this.isPunct(this.peek(1), ':');
    if (keyToken.kind === 'ident' && separatorNext) {
      // A bare name is the key itself, never a variable (spec: use (name) for the variable).
      this.next();
      keyExpr = { type: 'traversal', parts: [keyToken.text], text: keyToken.text, span: span(keyToken, keyToken) };
      key = keyToken.text;
    } else {
      keyExpr = this.parseExpression();
      if (keyExpr.type === 'literal') key = keyExpr.value === null ? 'null' : String(keyExpr.value);
    }
    const separator = this.next();
    if (!this.isPunct(separator, '=') && !this.isPunct(separator, ':')) {
      throw this.error(separator, `expected '=' after the object key ${JSON.stringify(this.text.slice(keyExpr.span.start, keyExpr.span.end))} but found ${describe(separator)}`);
    }
    const value = this.parseExpression();
    const item: HclObjectItem = { keyExpr, keySpan: keyExpr.span, value, span: { start: keyExpr.span.start, end: value.span.end } };
    if (key !== undefined) item.key = key;
    return item;
  }

  private parseCall(): HclExpr {
    const first = this.next();
    let name = first.text;
    // Provider-defined functions: provider::aws::arn_parse(...)
    while (this.isPunct(this.peek(), '::')) {
      this.next();
      name += `::${this.expectIdent('a function name').text}`;
    }
    const open = this.expectPunct('(');
    return this.withNewlines(false, () => {
      const args: HclExpr[] = [];
      let expandFinal = false;
      while (!this.isPunct(this.peek(), ')')) {
        if (this.peek().kind === 'eof') throw this.error(open, `'(' of ${name}() is never closed`);
        args.push(this.parseExpression());
        if (this.isPunct(this.peek(), '...')) {
          this.next();
          expandFinal = true;
          if (!this.isPunct(this.peek(), ')')) throw this.error(this.peek(), "'...' expands the last argument only: expected ')'");
          break;
        }
        if (this.isPunct(this.peek(), ',')) { this.next(); continue; }
        if (!this.isPunct(this.peek(), ')')) throw this.error(this.peek(), `expected ',' or ')' but found ${describe(this.peek())}`);
      }
      const close = this.next();
      return { type: 'call', name, args, expandFinal, span: span(first, close) } satisfies HclExpr;
    });
  }

  /** A quoted template or a heredoc, from its opening token. */
  private parseTemplate(): HclExpr {
    const open = this.next();
    const heredoc = open.kind === 'heredocOpen';
    const closeKind = heredoc ? 'heredocClose' : 'quoteClose';
    const tokens: TemplateToken[] = [];
    let close: Token;
    while (true) {
      const token = this.tokens[this.index] as Token;
      if (token.kind === closeKind) { close = token; this.index++; break; }
      if (token.kind === 'literal') { this.index++; tokens.push({ kind: 'literal', value: token.value ?? '', span: span(token, token) }); continue; }
      if (token.kind === 'interpolation' || token.kind === 'directive') { tokens.push(this.parseSequence(token)); continue; }
      throw this.error(token, `unexpected ${describe(token)} in a string`);
    }
    // In this order, as HCL does: a line whose break a ~ removed does not start a line.
    applyStripMarkers(tokens);
    if (heredoc && open.indent) removeIndentation(tokens);
    const whole = span(open, close);
    const cursor = { at: 0 };
    const parts = this.templateParts(tokens, cursor, []);
    if (parts.every((p) => p.kind === 'literal')) {
      return { type: 'literal', value: parts.map((p) => (p as { value: string }).value).join(''), span: whole };
    }
    return { type: 'template', parts, heredoc, span: whole };
  }

  /** `${ expr }` or `%{ if/else/endif/for/endfor }` from its opening token, up to its `}`. */
  private parseSequence(open: Token): TemplateToken {
    this.index++;
    return this.withNewlines(false, () => {
      const stripBefore = open.strip === true;
      let result: TemplateToken;
      if (open.kind === 'interpolation') {
        const expr = this.parseExpression();
        const end = this.expectSequenceEnd(open);
        return { kind: 'interpolation', expr, span: span(open, end), stripBefore, stripAfter: end.strip === true } satisfies TemplateToken;
      }
      const keyword = this.next();
      if (this.isIdent(keyword, 'if')) {
        const condition = this.parseExpression();
        const end = this.expectSequenceEnd(open);
        result = { kind: 'if', condition, span: span(open, end), stripBefore, stripAfter: end.strip === true };
      } else if (this.isIdent(keyword, 'for')) {
        const first = this.expectIdent("a variable name after 'for'");
        let keyVar: string | undefined;
        let valueVar = first.text;
        if (this.isPunct(this.peek(), ',')) { this.next(); keyVar = first.text; valueVar = this.expectIdent("a second variable name after ','").text; }
        const inToken = this.next();
        if (!this.isIdent(inToken, 'in')) throw this.error(inToken, `expected 'in' but found ${describe(inToken)}`);
        const collection = this.parseExpression();
        const end = this.expectSequenceEnd(open);
        result = { kind: 'for', valueVar, collection, span: span(open, end), stripBefore, stripAfter: end.strip === true };
        if (keyVar !== undefined) result.keyVar = keyVar;
      } else if (this.isIdent(keyword, 'else') || this.isIdent(keyword, 'endif') || this.isIdent(keyword, 'endfor')) {
        const end = this.expectSequenceEnd(open);
        result = { kind: keyword.text as 'else' | 'endif' | 'endfor', span: span(open, end), stripBefore, stripAfter: end.strip === true };
      } else {
        throw this.error(keyword, `expected if, else, endif, for or endfor after %{ but found ${describe(keyword)}`);
      }
      return result;
    });
  }

  private expectSequenceEnd(open: Token): Token {
    const token = this.next();
    if (token.kind !== 'sequenceEnd') throw this.error(token, `expected '}' to end the ${open.text.replace('~', '')} sequence but found ${describe(token)}`);
    return token;
  }

  /** The nested parts from flat template tokens, up to one of `enders` (consumed; the caller checks which). */
  private templateParts(tokens: TemplateToken[], cursor: { at: number }, enders: readonly string[]): HclTemplatePart[] {
    const parts: HclTemplatePart[] = [];
    while (cursor.at < tokens.length) {
      const token = tokens[cursor.at] as TemplateToken;
      if (enders.includes(token.kind)) return parts;
      cursor.at++;
      switch (token.kind) {
        case 'literal':
          if (token.value !== '') parts.push({ kind: 'literal', value: token.value, span: token.span });
          break;
        case 'interpolation':
          parts.push({ kind: 'interpolation', expr: token.expr, span: token.span });
          break;
        case 'if': {
          const then = this.templateParts(tokens, cursor, ['else', 'endif']);
          let otherwise: HclTemplatePart[] | undefined;
          if (tokens[cursor.at]?.kind === 'else') {
            cursor.at++;
            otherwise = this.templateParts(tokens, cursor, ['endif']);
          }
          const end = tokens[cursor.at];
          if (end?.kind !== 'endif') throw new HclSyntaxError(token.span.start, '%{ if } is never closed by %{ endif }');
          cursor.at++;
          const part: HclTemplatePart = { kind: 'if', condition: token.condition, then, span: { start: token.span.start, end: end.span.end } };
          if (otherwise) part.else = otherwise;
          parts.push(part);
          break;
        }
        case 'for': {
          const body = this.templateParts(tokens, cursor, ['endfor']);
          const end = tokens[cursor.at];
          if (end?.kind !== 'endfor') throw new HclSyntaxError(token.span.start, '%{ for } is never closed by %{ endfor }');
          cursor.at++;
          const part: HclTemplatePart = { kind: 'for', valueVar: token.valueVar, collection: token.collection, body, span: { start: token.span.start, end: end.span.end } };
          if (token.keyVar !== undefined) part.keyVar = token.keyVar;
          parts.push(part);
          break;
        }
        default:
          throw new HclSyntaxError(token.span.start, `%{ ${token.kind} } without the %{ ${token.kind === 'endfor' ? 'for' : 'if'} } it belongs to`);
      }
    }
    return parts;
  }
}

/**
 * `<<-`: removes the smallest indentation of the lines from each line's leading text, the way
 * HCL does: lines of only spaces are left out of the count and left as they are, and a line
 * that starts with ${ or %{ has no indentation.
 */
function removeIndentation(tokens: TemplateToken[]): void {
  let smallest = Infinity;
  let lineStart = true;
  const adjust: Extract<TemplateToken, { kind: 'literal' }>[] = [];
  for (const token of tokens) {
    if (lineStart) {
      lineStart = false;
      if (token.kind === 'literal') {
        const trimmed = token.value.replace(/^\s+/u, '');
        if (trimmed === '' && token.value.endsWith('\n')) {
          // A blank line: not counted.
        } else {
          smallest = Math.min(smallest, [...token.value.slice(0, token.value.length - trimmed.length)].length);
          adjust.push(token);
        }
      } else {
        smallest = 0;
      }
    }
    if (token.kind === 'literal' && token.value.endsWith('\n')) lineStart = true;
  }
  if (!Number.isFinite(smallest) || smallest === 0) return;
  for (const token of adjust) token.value = [...token.value].slice(smallest).join('');
}

/** `~` next to a brace removes the white space of the literal text on that side. */
function applyStripMarkers(tokens: TemplateToken[]): void {
  tokens.forEach((token, i) => {
    if (token.kind === 'literal') return;
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (token.stripBefore && before?.kind === 'literal') before.value = before.value.replace(/\s+$/u, '');
    if (token.stripAfter && after?.kind === 'literal') after.value = after.value.replace(/^\s+/u, '');
  });
}

function span(first: Token, last: Token): HclSpan {
  return { start: first.start, end: last.end };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof': return 'the end of the file';
    case 'newline': return 'a new line';
    case 'quoteOpen':
    case 'heredocOpen': return 'a string';
    case 'literal': return 'text';
    case 'interpolation': return "'${'";
    case 'directive': return "'%{'";
    case 'sequenceEnd': return "'}'";
    case 'quoteClose': return "'\"'";
    case 'heredocClose': return 'the end of a heredoc';
    default: return `'${token.text}'`;
  }
}
