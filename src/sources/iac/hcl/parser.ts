// A recursive-descent parser for the HCL native syntax: bodies of attributes and blocks,
// and the expressions Terraform files use to declare values. It keeps the offsets of
// everything, so diagnostics land on the declaring lines.

import type { HclAttribute, HclBlock, HclBody, HclExpr, HclObjectItem, HclSpan } from './ast';
import { HclSyntaxError, tokenize, type Token } from './lexer';

export type HclParse = { ok: true; body: HclBody } | { ok: false; offset: number; message: string };

/** Far deeper than real configurations; keeps hostile nesting from exhausting the stack. */
const MAX_DEPTH = 100;

/** What may follow a value inside a larger expression. */
const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '?', ':']);

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export function parseHcl(text: string): HclParse {
  try {
    const parser = new Parser(text, tokenize(text));
    return { ok: true, body: parser.parseFile() };
  } catch (error) {
    if (error instanceof HclSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

/** How a newline inside an expression is treated: it ends attributes and object items, not tuple items. */
type Context = 'attribute' | 'object' | 'list';

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  parseFile(): HclBody {
    const body = this.parseBody();
    const next = this.peek();
    if (next.kind !== 'eof') throw this.error(next, `unexpected ${describe(next)}`);
    return body;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private isPunct(token: Token, text: string): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): Token {
    const token = this.next();
    if (!this.isPunct(token, text)) throw this.error(token, `expected '${text}' but found ${describe(token)}`);
    return token;
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
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

  /** Attributes and blocks until `}` or the end of the file. */
  private parseBody(): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    while (true) {
      this.skipNewlines();
      const token = this.peek();
      if (token.kind === 'eof' || this.isPunct(token, '}')) return body;
      if (token.kind !== 'ident') throw this.error(token, `expected an attribute name or a block type but found ${describe(token)}`);
      this.next();
      if (this.isPunct(this.peek(), '=')) {
        this.next();
        const value = this.parseExpression('attribute');
        body.attributes.push({ name: token.text, nameSpan: span(token, token), value, span: { start: token.start, end: value.span.end } } satisfies HclAttribute);
      } else {
        body.blocks.push(this.parseBlock(token));
      }
      this.endOfItem();
    }
  }

  /** An attribute or block ends at a newline, at the end of the file, or before a one-line block's `}`. */
  private endOfItem(): void {
    const token = this.peek();
    if (token.kind === 'newline') { this.next(); return; }
    if (token.kind === 'eof' || this.isPunct(token, '}')) return;
    throw this.error(token, `expected a new line but found ${describe(token)}`);
  }

  private parseBlock(typeToken: Token): HclBlock {
    const labels: string[] = [];
    while (true) {
      const token = this.peek();
      if (token.kind === 'string' && token.literal !== undefined) { labels.push(token.literal); this.next(); continue; }
      if (token.kind === 'ident') { labels.push(token.text); this.next(); continue; }
      break;
    }
    const open = this.expectPunct('{');
    this.enter(open);
    const body = this.parseBody();
    const close = this.expectPunct('}');
    this.leave();
    return { type: typeToken.text, labels, body, span: span(typeToken, close), typeSpan: span(typeToken, typeToken) };
  }

  private parseExpression(context: Context): HclExpr {
    const first = this.peek();
    this.enter(first);
    const primary = this.parsePrimary();
    this.leave();
    // Inside brackets and call arguments, new lines mean nothing.
    if (context === 'list') this.skipNewlines();
    if (this.atExpressionEnd(context)) return primary;
    const after = this.peek();
    if (after.kind !== 'punct' || !BINARY_OPERATORS.has(after.text)) {
      throw this.error(after, context === 'attribute' ? `expected a new line but found ${describe(after)}` : `expected ',' but found ${describe(after)}`);
    }
    // Operators, conditionals and the like: keep the whole expression as text.
    const end = this.skipToExpressionEnd(context);
    return { type: 'opaque', text: this.text.slice(first.start, end), span: { start: first.start, end } };
  }

  private atExpressionEnd(context: Context): boolean {
    const token = this.peek();
    if (token.kind === 'eof') return true;
    if (token.kind === 'newline') return context !== 'list';
    return token.kind === 'punct' && (token.text === ',' || token.text === ')' || token.text === ']' || token.text === '}');
  }

  /** Consumes tokens to the end of the current expression; returns its end offset. */
  private skipToExpressionEnd(context: Context): number {
    const closers: string[] = [];
    let end = this.peek().start;
    while (true) {
      const token = this.peek();
      if (token.kind === 'eof') {
        if (closers.length) throw this.error(token, `expected '${closers[closers.length - 1]}' before the end of the file`);
        return end;
      }
      if (closers.length === 0 && this.atExpressionEnd(context)) return end;
      this.next();
      if (token.kind === 'punct' && OPENERS[token.text]) {
        closers.push(OPENERS[token.text] as string);
        if (closers.length > MAX_DEPTH) throw this.error(token, `nesting deeper than ${MAX_DEPTH} levels`);
      } else if (token.kind === 'punct' && (token.text === ')' || token.text === ']' || token.text === '}')) {
        const expected = closers.pop();
        if (expected !== token.text) throw this.error(token, `unexpected '${token.text}'`);
      }
      end = token.end;
    }
  }

  private parsePrimary(): HclExpr {
    const token = this.peek();
    if (token.kind === 'number') {
      this.next();
      return { type: 'literal', value: Number(token.text), span: span(token, token) };
    }
    if (token.kind === 'string') {
      this.next();
      if (token.template !== undefined) return templateOrReference(token);
      return { type: 'literal', value: token.literal ?? '', span: span(token, token) };
    }
    if (this.isPunct(token, '-') && this.peek(1).kind === 'number') {
      this.next();
      const number = this.next();
      return { type: 'literal', value: -Number(number.text), span: span(token, number) };
    }
    if (this.isPunct(token, '[')) return this.isFor() ? this.parseOpaqueGroup() : this.parseTuple();
    if (this.isPunct(token, '{')) return this.isFor() ? this.parseOpaqueGroup() : this.parseObject();
    if (this.isPunct(token, '(')) return this.parseOpaqueGroup();
    if (this.isPunct(token, '!') || this.isPunct(token, '-')) {
      // A unary operator: the operand is parsed for its syntax, the whole kept as text.
      this.next();
      const operand = this.parsePrimary();
      return { type: 'opaque', text: this.text.slice(token.start, operand.span.end), span: { start: token.start, end: operand.span.end } };
    }
    if (token.kind === 'ident') {
      if (token.text === 'true' || token.text === 'false') { this.next(); return { type: 'literal', value: token.text === 'true', span: span(token, token) }; }
      if (token.text === 'null') { this.next(); return { type: 'literal', value: null, span: span(token, token) }; }
      if (this.isPunct(this.peek(1), '(') || this.isPunct(this.peek(1), '::')) return this.parseCall();
      return this.parseTraversal();
    }
    throw this.error(token, `expected a value but found ${describe(token)}`);
  }

  private isFor(): boolean {
    let k = 1;
    while (this.peek(k).kind === 'newline') k++;
    const token = this.peek(k);
    return token.kind === 'ident' && token.text === 'for';
  }

  /** A bracketed group kept as text: for expressions and parenthesised expressions. */
  private parseOpaqueGroup(): HclExpr {
    const open = this.next();
    const closers = [OPENERS[open.text] as string];
    while (closers.length) {
      const token = this.next();
      if (token.kind === 'eof') throw this.error(open, `'${open.text}' is never closed`);
      if (token.kind === 'punct' && OPENERS[token.text]) {
        closers.push(OPENERS[token.text] as string);
        if (closers.length > MAX_DEPTH) throw this.error(token, `nesting deeper than ${MAX_DEPTH} levels`);
      } else if (token.kind === 'punct' && (token.text === ')' || token.text === ']' || token.text === '}')) {
        if (closers.pop() !== token.text) throw this.error(token, `unexpected '${token.text}'`);
        if (!closers.length) return { type: 'opaque', text: this.text.slice(open.start, token.end), span: span(open, token) };
      }
    }
    throw this.error(open, `'${open.text}' is never closed`);
  }

  private parseTuple(): HclExpr {
    const open = this.next();
    const items: HclExpr[] = [];
    while (true) {
      this.skipNewlines();
      if (this.isPunct(this.peek(), ']')) break;
      items.push(this.parseExpression('list'));
      this.skipNewlines();
      if (this.isPunct(this.peek(), ',')) { this.next(); continue; }
      if (!this.isPunct(this.peek(), ']')) throw this.error(this.peek(), `expected ',' or ']' but found ${describe(this.peek())}`);
    }
    const close = this.next();
    return { type: 'tuple', items, span: span(open, close) };
  }

  private parseObject(): HclExpr {
    const open = this.next();
    const items: HclObjectItem[] = [];
    while (true) {
      this.skipNewlines();
      const keyToken = this.peek();
      if (this.isPunct(keyToken, '}')) break;
      let key: string;
      let keySpan: HclSpan;
      if (keyToken.kind === 'ident' || (keyToken.kind === 'string' && keyToken.literal !== undefined)) {
        this.next();
        key = keyToken.kind === 'ident' ? keyToken.text : (keyToken.literal as string);
        keySpan = span(keyToken, keyToken);
      } else if (this.isPunct(keyToken, '(')) {
        const expr = this.parseOpaqueGroup();
        key = expr.type === 'opaque' ? expr.text : '';
        keySpan = expr.span;
      } else {
        throw this.error(keyToken, `expected an object key but found ${describe(keyToken)}`);
      }
      const separator = this.next();
      if (!this.isPunct(separator, '=') && !this.isPunct(separator, ':')) throw this.error(separator, `expected '=' after ${key} but found ${describe(separator)}`);
      const value = this.parseExpression('object');
      items.push({ key, keySpan, value });
      const after = this.peek();
      if (this.isPunct(after, ',') || after.kind === 'newline') { this.next(); continue; }
      if (!this.isPunct(after, '}')) throw this.error(after, `expected ',', a new line or '}' but found ${describe(after)}`);
    }
    const close = this.next();
    return { type: 'object', items, span: span(open, close) };
  }

  private parseCall(): HclExpr {
    const first = this.next();
    let name = first.text;
    // Provider-defined functions: provider::aws::arn_parse(...)
    while (this.isPunct(this.peek(), '::')) {
      this.next();
      const part = this.next();
      if (part.kind !== 'ident') throw this.error(part, `expected a function name but found ${describe(part)}`);
      name += `::${part.text}`;
    }
    this.expectPunct('(');
    const args: HclExpr[] = [];
    while (true) {
      this.skipNewlines();
      if (this.isPunct(this.peek(), ')')) break;
      args.push(this.parseExpression('list'));
      this.skipNewlines();
      if (this.isPunct(this.peek(), '...')) { this.next(); this.skipNewlines(); }
      if (this.isPunct(this.peek(), ',')) { this.next(); continue; }
      if (!this.isPunct(this.peek(), ')')) throw this.error(this.peek(), `expected ',' or ')' but found ${describe(this.peek())}`);
    }
    const close = this.next();
    return this.withPostfix({ type: 'call', name, args, span: span(first, close) });
  }

  private parseTraversal(): HclExpr {
    const first = this.next();
    const parts: (string | number)[] = [first.text];
    let end = first.end;
    let splat = false;
    while (true) {
      const token = this.peek();
      if (this.isPunct(token, '.')) {
        const part = this.peek(1);
        if (part.kind === 'ident' || part.kind === 'number') {
          this.next(); this.next();
          parts.push(part.kind === 'number' ? Number(part.text) : part.text);
          end = part.end;
          continue;
        }
        if (this.isPunct(part, '*')) { this.next(); this.next(); splat = true; end = part.end; continue; }
        throw this.error(part, `expected a name after '.' but found ${describe(part)}`);
      }
      if (this.isPunct(token, '[')) {
        if (this.isPunct(this.peek(1), '*') && this.isPunct(this.peek(2), ']')) {
          this.next(); this.next(); end = this.next().end; splat = true; continue;
        }
        this.next();
        this.skipNewlines();
        const index = this.parseExpression('list');
        this.skipNewlines();
        const close = this.expectPunct(']');
        end = close.end;
        if (index.type === 'literal' && (typeof index.value === 'number' || typeof index.value === 'string')) parts.push(index.value);
        else splat = true;
        continue;
      }
      break;
    }
    const text = this.text.slice(first.start, end);
    if (splat) return { type: 'opaque', text, span: { start: first.start, end } };
    return { type: 'traversal', parts, text, span: { start: first.start, end } };
  }

  /** An index or attribute after a call result (`element(x, 0).id`) makes it opaque. */
  private withPostfix(expr: HclExpr): HclExpr {
    if (!this.isPunct(this.peek(), '.') && !this.isPunct(this.peek(), '[')) return expr;
    const end = this.skipPostfix();
    return { type: 'opaque', text: this.text.slice(expr.span.start, end), span: { start: expr.span.start, end } };
  }

  private skipPostfix(): number {
    let end = this.peek().start;
    while (this.isPunct(this.peek(), '.') || this.isPunct(this.peek(), '[')) {
      if (this.isPunct(this.peek(), '[')) end = this.parseOpaqueGroup().span.end;
      else { this.next(); end = this.next().end; }
    }
    return end;
  }
}

function span(first: Token, last: Token): HclSpan {
  return { start: first.start, end: last.end };
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the file';
  if (token.kind === 'newline') return 'a new line';
  if (token.kind === 'string') return 'a string';
  return `'${token.text}'`;
}

/** "${aws_security_group.db.id}" (Terraform 0.11 style) is the reference itself. */
function templateOrReference(token: Token): HclExpr {
  const template = token.template as string;
  const sole = /^\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\s*\}$/.exec(template);
  if (sole) {
    const text = sole[1] as string;
    const parts = text.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    return { type: 'traversal', parts, text, span: span(token, token) };
  }
  return { type: 'template', text: template, span: span(token, token) };
}
