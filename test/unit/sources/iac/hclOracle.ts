// The differential test's two sides in one shape: our parser's tree rendered the way
// @cdktf/hcl2json (HashiCorp's HCL parser compiled to WASM, a dev-only test oracle) renders a
// file: blocks nested by type and labels, attributes as JSON, literal values as values, and
// every other expression as "${<its source text>}" (templates re-rendered part by part).

import type { HclBody, HclExpr, HclTemplatePart } from '../../../../src/sources/iac/hcl/ast';
import { formatNumber } from '../../../../src/sources/iac/terraform/values';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Literal text is written HCL-JSON style: ${ and %{ escaped. */
function escapeLiteral(text: string): string {
  return text.replace(/([$%])\{/g, (_whole, mark: string) => `${mark}${mark}{`);
}

export class OracleShape {
  constructor(private readonly text: string) {}

  private source(expr: HclExpr): string {
    return this.text.slice(expr.span.start, expr.span.end);
  }

  body(body: HclBody): { [key: string]: Json } {
    const out: { [key: string]: Json } = Object.create(null) as { [key: string]: Json };
    for (const block of body.blocks) {
      let level = out;
      let key = block.type;
      for (const label of block.labels) {
        const existing = level[key];
        if (existing === undefined) level[key] = Object.create(null) as { [key: string]: Json };
        else if (Array.isArray(existing) || typeof existing !== 'object' || existing === null) throw new Error(`Unable to convert Block to JSON: ${block.type}.${block.labels.join('.')}`);
        level = level[key] as { [key: string]: Json };
        key = label;
      }
      const existing = level[key];
      if (existing !== undefined && !Array.isArray(existing)) throw new Error(`Unable to convert Block to JSON: ${block.type}.${block.labels.join('.')}`);
      level[key] = [...((existing as Json[] | undefined) ?? []), this.body(block.body)];
    }
    for (const attribute of body.attributes) out[attribute.name] = this.expression(attribute.value);
    return out;
  }

  expression(expr: HclExpr): Json {
    switch (expr.type) {
      case 'literal':
        return typeof expr.value === 'string' ? escapeLiteral(expr.value) : expr.value;
      case 'unary': {
        if (expr.operand.type !== 'literal') return this.wrap(expr);
        const value = expr.operand.value;
        if (expr.operator === '!' && typeof value === 'boolean') return !value;
        if (expr.operator === '-' && typeof value === 'number') return -value;
        return this.wrap(expr);
      }
      case 'template':
        if (expr.parts.length === 1 && expr.parts[0]?.kind === 'interpolation') return this.expression(expr.parts[0].expr);
        return this.parts(expr.parts);
      case 'tuple':
        return expr.items.map((item) => this.expression(item));
      case 'object': {
        const out: { [key: string]: Json } = Object.create(null) as { [key: string]: Json };
        for (const item of expr.items) out[this.key(item.keyExpr)] = this.expression(item.value);
        return out;
      }
      default:
        return this.wrap(expr);
    }
  }

  private wrap(expr: HclExpr): string {
    return `\${${this.source(expr)}}`;
  }

  private key(expr: HclExpr): string {
    if (expr.type === 'traversal') return this.source(expr);
    return this.stringPart(expr);
  }

  private stringPart(expr: HclExpr): string {
    switch (expr.type) {
      case 'literal':
        return expr.value === null ? 'null' : typeof expr.value === 'string' ? escapeLiteral(expr.value) : typeof expr.value === 'number' ? formatNumber(expr.value) : String(expr.value);
      case 'template':
        if (expr.parts.length === 1 && expr.parts[0]?.kind === 'interpolation') return this.stringPart(expr.parts[0].expr);
        return this.parts(expr.parts);
      case 'conditional': {
        // hcl2json cannot tell ${a ? b : c} from %{ if a }b%{ else }c%{ endif }: it writes both as the directive.
        const otherwise = this.stringPart(expr.else);
        return `%{if ${this.source(expr.condition)}}${this.stringPart(expr.then)}${otherwise ? `%{else}${otherwise}` : ''}%{endif}`;
      }
      default:
        return this.wrap(expr);
    }
  }

  private parts(parts: HclTemplatePart[]): string {
    return parts.map((part) => {
      switch (part.kind) {
        case 'literal': return escapeLiteral(part.value);
        case 'interpolation': return this.stringPart(part.expr);
        case 'if': {
          const otherwise = this.parts(part.else ?? []);
          return `%{if ${this.source(part.condition)}}${this.parts(part.then)}${otherwise ? `%{else}${otherwise}` : ''}%{endif}`;
        }
        case 'for':
          return `%{for ${part.keyVar !== undefined ? `${part.keyVar}, ` : ''}${part.valueVar} in ${this.source(part.collection)}}${this.parts(part.body)}%{endfor}`;
      }
    }).join('');
  }
}
