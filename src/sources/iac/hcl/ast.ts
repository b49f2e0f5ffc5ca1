// The HCL native syntax tree (hashicorp/hcl hclsyntax/spec.md): every expression form keeps
// its structure and its offsets, so the evaluator can judge what the file fixes and the code
// fixes can edit exactly the text that declared a value.

export interface HclSpan { start: number; end: number }

/** A step after a value: `.name`, `[key]` (and the legacy `.0`). */
export type HclStep =
  | { kind: 'attr'; name: string; span: HclSpan }
  | { kind: 'index'; key: HclExpr; span: HclSpan };

export type HclTemplatePart =
  | { kind: 'literal'; value: string; span: HclSpan }
  | { kind: 'interpolation'; expr: HclExpr; span: HclSpan }
  | { kind: 'if'; condition: HclExpr; then: HclTemplatePart[]; else?: HclTemplatePart[]; span: HclSpan }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: HclExpr; body: HclTemplatePart[]; span: HclSpan };

export type HclBinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export type HclExpr =
  /** Numbers, true, false, null, and strings without interpolations or directives (quoted or heredoc). */
  | { type: 'literal'; value: string | number | boolean | null; span: HclSpan }
  /** A quoted string or heredoc with ${...} or %{...} inside. One interpolation alone is "unwrapped" to its value. */
  | { type: 'template'; parts: HclTemplatePart[]; heredoc: boolean; span: HclSpan }
  /** A variable and its static steps: var.cidrs[0], aws_security_group.db.id, local.m["k"]. */
  | { type: 'traversal'; parts: (string | number)[]; text: string; span: HclSpan }
  | { type: 'tuple'; items: HclExpr[]; span: HclSpan }
  | { type: 'object'; items: HclObjectItem[]; span: HclSpan }
  /** `max(var.list...)` has expandFinal: the last argument's elements are the arguments. */
  | { type: 'call'; name: string; args: HclExpr[]; expandFinal: boolean; span: HclSpan }
  | { type: 'for'; collectionKind: 'tuple' | 'object'; keyVar?: string; valueVar: string; collection: HclExpr; key?: HclExpr; value: HclExpr; group: boolean; condition?: HclExpr; span: HclSpan }
  | { type: 'conditional'; condition: HclExpr; then: HclExpr; else: HclExpr; span: HclSpan }
  | { type: 'binary'; operator: HclBinaryOperator; left: HclExpr; right: HclExpr; span: HclSpan }
  | { type: 'unary'; operator: '-' | '!'; operand: HclExpr; span: HclSpan }
  | { type: 'parens'; inner: HclExpr; span: HclSpan }
  /** A step that is not static: after a call, a parenthesis, or with a computed key (`x[var.i]`). */
  | { type: 'relative'; source: HclExpr; step: HclStep; span: HclSpan }
  /** `x[*].a[0]` (full: attributes and indexes apply to each element) or `x.*.a` (attribute-only). */
  | { type: 'splat'; splat: 'full' | 'attr'; source: HclExpr; each: HclStep[]; span: HclSpan };

/**
 * An object item. `key` is the literal name when the key is one (an identifier, a string, a
 * number, true/false/null); otherwise the key is computed from `keyExpr` (a template, a call,
 * a parenthesised expression, a reference).
 */
export interface HclObjectItem { key?: string; keyExpr: HclExpr; keySpan: HclSpan; value: HclExpr; span: HclSpan }

export interface HclAttribute { name: string; nameSpan: HclSpan; value: HclExpr; span: HclSpan }

export interface HclBlock {
  type: string;
  labels: string[];
  labelSpans: HclSpan[];
  body: HclBody;
  /** From the block type to the closing brace. */
  span: HclSpan;
  typeSpan: HclSpan;
  /** The braces of the body. */
  openBrace: HclSpan;
  closeBrace: HclSpan;
}

export interface HclBody { attributes: HclAttribute[]; blocks: HclBlock[] }

/** A comment, with its text (markers included) and where it is. */
export interface HclComment { text: string; span: HclSpan }

export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

export function blocksOf(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter((b) => b.type === type);
}

/** The sub-expressions of an expression, for walks over the tree. */
export function childExpressions(expr: HclExpr): HclExpr[] {
  switch (expr.type) {
    case 'literal':
    case 'traversal':
      return [];
    case 'template':
      return expr.parts.flatMap(partExpressions);
    case 'tuple':
      return expr.items;
    case 'object':
      return expr.items.flatMap((item) => [item.keyExpr, item.value]);
    case 'call':
      return expr.args;
    case 'for':
      return [expr.collection, ...(expr.key ? [expr.key] : []), expr.value, ...(expr.condition ? [expr.condition] : [])];
    case 'conditional':
      return [expr.condition, expr.then, expr.else];
    case 'binary':
      return [expr.left, expr.right];
    case 'unary':
      return [expr.operand];
    case 'parens':
      return [expr.inner];
    case 'relative':
      return [expr.source, ...(expr.step.kind === 'index' ? [expr.step.key] : [])];
    case 'splat':
      return [expr.source, ...expr.each.flatMap((s) => (s.kind === 'index' ? [s.key] : []))];
  }
}

function partExpressions(part: HclTemplatePart): HclExpr[] {
  switch (part.kind) {
    case 'literal': return [];
    case 'interpolation': return [part.expr];
    case 'if': return [part.condition, ...part.then.flatMap(partExpressions), ...(part.else ?? []).flatMap(partExpressions)];
    case 'for': return [part.collection, ...part.body.flatMap(partExpressions)];
  }
}

/**
 * Moves every span of a tree by `delta` characters: for a tree parsed out of place (a template
 * inside a JSON string, another file of the module appended to this one's text). Each span object
 * once, since the parser may share them; depth-bounded like the parser.
 */
export function shiftSpans(tree: unknown, delta: number, seen = new Set<object>(), depth = 0): void {
  if (depth > 400 || tree === null || typeof tree !== 'object' || seen.has(tree)) return;
  seen.add(tree);
  if (Array.isArray(tree)) { for (const item of tree) shiftSpans(item, delta, seen, depth + 1); return; }
  const record = tree as Record<string, unknown>;
  if (typeof record.start === 'number' && typeof record.end === 'number' && Object.keys(record).length === 2) {
    record.start += delta;
    record.end += delta;
    return;
  }
  for (const inner of Object.values(record)) shiftSpans(inner, delta, seen, depth + 1);
}
