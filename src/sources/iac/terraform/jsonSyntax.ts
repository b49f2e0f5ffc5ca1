// Terraform's JSON configuration syntax (.tf.json, what CDK for Terraform and other generators
// write) into the same HCL tree the native syntax gives, so one reader judges both. The mapping
// is Terraform's ("JSON Configuration Syntax"): `resource` and `data` are type > name > body,
// `variable` and `module` name > body, `locals` a body; in a body, `dynamic` is label > block with
// a `content` block, and every other property is an argument; a string argument is a template
// (`"${var.cidrs}"`), a variable's `default` a literal value, and a "//" property a comment.
// Offsets stay the file's, so diagnostics land on the JSON text.

import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { shiftSpans, type HclAttribute, type HclBlock, type HclBody, type HclExpr, type HclObjectItem, type HclSpan } from '../hcl/ast';
import { MAX_DEPTH } from '../cfn/node';
import { tooDeepAt } from '../cfn/fromJson';
import { type HclParse, parseHcl } from '../hcl/parser';

/** Arguments of a resource body that are nested blocks (the schema says so; the reader reads them as blocks). */
const NESTED_BLOCKS: Record<string, Set<string>> = {
  aws_route_table: new Set(['route']),
  aws_default_route_table: new Set(['route']),
  aws_network_acl: new Set(['ingress', 'egress']),
  aws_default_network_acl: new Set(['ingress', 'egress']),
};

/** Top-level properties that hold blocks with labels: how many labels each has. */
const LABELLED: Record<string, number> = { resource: 2, data: 2, variable: 1, module: 1, output: 1 };

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

export function parseTerraformJsonSyntax(text: string): HclParse {
  // jsonc-parser's tree is built by recursion: hostile nesting must stop before the stack does.
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { ok: false, offset: deep, message: `nesting deeper than ${MAX_DEPTH} levels` };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (first) return { ok: false, offset: first.offset, message: `not valid JSON: ${printParseErrorCode(first.error)}` };
  if (root?.type !== 'object') return { ok: false, offset: root?.offset ?? 0, message: 'a .tf.json file holds one JSON object' };
  try {
    return { ok: true, body: new Converter().file(root), comments: [] };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

function spanOf(node: Node): HclSpan {
  return { start: node.offset, end: node.offset + node.length };
}

/** The properties of an object node as [key node, value node]. */
function properties(node: Node): [Node, Node][] {
  const out: [Node, Node][] = [];
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key && value && key.value !== '//') out.push([key, value]);
  }
  return out;
}

/** An object, or (as the syntax allows wherever a block may repeat) an array of objects. */
function objectsOf(node: Node): Node[] {
  if (node.type === 'object') return [node];
  if (node.type === 'array') return (node.children ?? []).filter((c) => c.type === 'object');
  throw new JsonSyntaxError(node.offset, `expected a JSON object here, found ${node.type}`);
}

class Converter {
  file(root: Node): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (const [key, value] of properties(root)) {
      const type = String(key.value);
      if (type === 'locals') {
        for (const object of objectsOf(value)) body.blocks.push(this.block(type, [], [], key, object, 'argument'));
        continue;
      }
      const labels = LABELLED[type];
      if (labels === undefined) continue; // terraform, provider, moved, import, check: nothing to audit
      this.labelled(body, type, labels, [], [], key, value);
    }
    return body;
  }

  /** `"resource": {"aws_security_group": {"db": {...}}}`: one label per level, then the body. */
  private labelled(body: HclBody, type: string, remaining: number, labels: string[], labelSpans: HclSpan[], typeKey: Node, value: Node): void {
    if (remaining === 0) {
      const mode = type === 'variable' ? 'variable' : 'argument';
      for (const object of objectsOf(value)) body.blocks.push(this.block(type, labels, labelSpans, typeKey, object, mode));
      return;
    }
    // An object of types (or names), or an array of such objects, as the syntax allows for repeated keys.
    for (const object of objectsOf(value)) {
      for (const [key, inner] of properties(object)) {
        this.labelled(body, type, remaining - 1, [...labels, String(key.value)], [...labelSpans, spanOf(key)], typeKey, inner);
      }
    }
  }

  private block(type: string, labels: string[], labelSpans: HclSpan[], typeKey: Node, object: Node, mode: 'argument' | 'variable'): HclBlock {
    const end = object.offset + object.length;
    return {
      type, labels, labelSpans, body: this.body(object, mode, type === 'resource' ? NESTED_BLOCKS[labels[0] ?? ''] : undefined),
      span: { start: typeKey.offset, end }, typeSpan: spanOf(typeKey),
      openBrace: { start: object.offset, end: object.offset + 1 }, closeBrace: { start: end - 1, end },
    };
  }

  private body(object: Node, mode: 'argument' | 'variable' | 'content', nested?: Set<string>): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (const [key, value] of properties(object)) {
      const name = String(key.value);
      if (nested?.has(name)) {
        for (const inner of objectsOf(value)) body.blocks.push(this.block(name, [], [], key, inner, 'argument'));
        continue;
      }
      if (name === 'dynamic' && mode !== 'variable') {
        if (value.type !== 'object') throw new JsonSyntaxError(value.offset, '"dynamic" expects an object of block types');
        for (const [label, dynamic] of properties(value)) {
          for (const inner of objectsOf(dynamic)) {
            const block = this.block('dynamic', [String(label.value)], [spanOf(label)], key, inner, 'argument');
            block.body = this.dynamicBody(inner);
            body.blocks.push(block);
          }
        }
        continue;
      }
      if (name === 'lifecycle' || name === 'provisioner' || name === 'connection' || name === 'timeouts') continue;
      const literal = mode === 'variable' && name === 'default';
      let expr = this.expression(value, literal);
      // A rule block written once is an object; as an argument it is a list of one.
      if ((name === 'ingress' || name === 'egress') && expr.type === 'object') expr = { type: 'tuple', items: [expr], span: expr.span };
      const attribute: HclAttribute = { name, nameSpan: spanOf(key), value: expr, span: { start: key.offset, end: value.offset + value.length } };
      body.attributes.push(attribute);
    }
    return body;
  }

  /** A dynamic block's body: for_each, iterator and labels are arguments; `content` is the block it repeats. */
  private dynamicBody(object: Node): HclBody {
    const body: HclBody = { attributes: [], blocks: [] };
    for (const [key, value] of properties(object)) {
      if (key.value === 'content') {
        for (const content of objectsOf(value)) {
          const block = this.block('content', [], [], key, content, 'argument');
          block.body = this.body(content, 'content');
          body.blocks.push(block);
        }
        continue;
      }
      // The iterator is a bare name ("rule"; some generators write "${rule}"), not a value.
      const name = key.value === 'iterator' && value.type === 'string' ? /^(?:\$\{\s*)?([\p{L}_][\p{L}\p{N}_-]*)(?:\s*\})?$/u.exec(value.value as string)?.[1] : undefined;
      const expr: HclExpr = name ? { type: 'traversal', parts: [name], text: name, span: spanOf(value) } : this.expression(value, false);
      body.attributes.push({ name: String(key.value), nameSpan: spanOf(key), value: expr, span: { start: key.offset, end: value.offset + value.length } });
    }
    return body;
  }

  private expression(node: Node, literal: boolean): HclExpr {
    const span = spanOf(node);
    switch (node.type) {
      case 'string': return literal ? { type: 'literal', value: node.value as string, span } : this.template(node);
      case 'number':
      case 'boolean':
      case 'null':
        return { type: 'literal', value: node.value as number | boolean | null, span };
      case 'array':
        return { type: 'tuple', items: (node.children ?? []).map((c) => this.expression(c, literal)), span };
      case 'object': {
        const items: HclObjectItem[] = properties(node).map(([key, value]) => ({
          key: String(key.value), keyExpr: { type: 'literal', value: String(key.value), span: spanOf(key) }, keySpan: spanOf(key),
          value: this.expression(value, literal), span: { start: key.offset, end: value.offset + value.length },
        }));
        return { type: 'object', items, span };
      }
      default:
        throw new JsonSyntaxError(node.offset, `unexpected JSON ${node.type}`);
    }
  }

  /**
   * A string argument: a plain string is its value; one with `${` or `%{` is the bare template
   * its decoded value spells (Terraform parses it so: the JSON escapes are gone, quotes inside an
   * interpolation are plain quotes). A heredoc is the native syntax's bare template, so the value
   * is parsed as one; the spans inside it are moved to the string in the file (exact unless the
   * JSON text escapes a character before them).
   */
  private template(node: Node): HclExpr {
    const value = node.value as string;
    const span = spanOf(node);
    if (!/[$%]\{/.test(value)) return { type: 'literal', value, span };
    let marker = 'AURORA_SG_JSON_TEMPLATE';
    while (value.includes(marker)) marker += '_';
    const head = `x = <<${marker}\n`;
    const parsed = parseHcl(`${head}${value}\n${marker}\n`);
    if (!parsed.ok) throw new JsonSyntaxError(Math.min(span.end - 1, span.start + 1 + Math.max(0, parsed.offset - head.length)), parsed.message);
    const expr = parsed.body.attributes[0]!.value;
    shiftSpans(expr, span.start + 1 - head.length);
    if (expr.type !== 'template') return { type: 'literal', value, span };
    // The heredoc's own closing new line is not part of the value.
    const last = expr.parts[expr.parts.length - 1];
    if (last?.kind === 'literal' && last.value.endsWith('\n')) {
      if (last.value === '\n') expr.parts.pop();
      else last.value = last.value.slice(0, -1);
    }
    // "${aws_vpc.main.id}" alone is that expression, as Terraform reads it: a reference stays a reference.
    const only = expr.parts.length === 1 ? expr.parts[0] : undefined;
    if (only?.kind === 'interpolation') return only.expr;
    expr.heredoc = false;
    expr.span = span;
    return expr;
  }
}
