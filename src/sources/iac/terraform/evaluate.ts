// Evaluates the Terraform expressions whose value the file itself fixes: literals,
// lists, variable defaults, locals, references to resources (as their addresses) and
// a few pure conversion functions. Everything decided at plan time is reported instead.

import type { HclExpr } from '../hcl/ast';

export type TfValue = string | number | boolean | null | TfValue[];

export type Evaluated<T> = { ok: true; value: T } | { ok: false; why: string };

export interface EvaluateContext {
  /** variable name -> its default expression (absent when it has none). */
  variables: ReadonlyMap<string, HclExpr | undefined>;
  locals: ReadonlyMap<string, HclExpr>;
  /** Resource address (aws_rds_cluster.main) -> the id it stands for in the model, when not the address itself. */
  resourceIds: ReadonlyMap<string, string>;
}

const MAX_DEPTH = 50;
const fail = (why: string): { ok: false; why: string } => ({ ok: false, why });

/** What a reference's last attribute must be for it to stand for the resource's id. */
const ID_ATTRIBUTES = new Set(['id', 'cluster_identifier', 'identifier', 'arn']);

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

export function evaluate(expr: HclExpr, ctx: EvaluateContext, depth = 0): Evaluated<TfValue> {
  if (depth > MAX_DEPTH) return fail('references nest too deeply (a cycle between locals?)');
  switch (expr.type) {
    case 'literal':
      return { ok: true, value: expr.value };
    case 'tuple': {
      const values: TfValue[] = [];
      for (const item of expr.items) {
        const r = evaluate(item, ctx, depth + 1);
        if (!r.ok) return r;
        values.push(r.value);
      }
      return { ok: true, value: values };
    }
    case 'object':
      return fail('an object was found where a value was expected');
    case 'traversal':
      return evaluateReference(expr.parts, expr.text, ctx, depth);
    case 'template':
      return evaluateTemplate(expr.text, ctx, depth);
    case 'call':
      return evaluateCall(expr.name, expr.args, ctx, depth);
    case 'opaque':
      return fail(`\`${clip(expr.text)}\` is evaluated by Terraform at plan time`);
  }
}

export function evaluateString(expr: HclExpr, ctx: EvaluateContext): Evaluated<string> {
  const r = evaluate(expr, ctx);
  if (!r.ok) return r;
  if (typeof r.value === 'string' || typeof r.value === 'number' || typeof r.value === 'boolean') return { ok: true, value: String(r.value) };
  return fail(`expected a single value, found ${Array.isArray(r.value) ? 'a list' : 'null'}`);
}

function evaluateReference(parts: (string | number)[], text: string, ctx: EvaluateContext, depth: number): Evaluated<TfValue> {
  const [root, name, ...rest] = parts;
  if (root === 'var' && typeof name === 'string') {
    if (!ctx.variables.has(name)) return fail(`var.${name} is not declared in this file, so its value is known only at plan time`);
    const fallback = ctx.variables.get(name);
    if (!fallback) return fail(`var.${name} has no default, so its value is known only at plan time`);
    return index(evaluate(fallback, ctx, depth + 1), rest, text);
  }
  if (root === 'local' && typeof name === 'string') {
    const value = ctx.locals.get(name);
    if (!value) return fail(`local.${name} is not declared in this file`);
    return index(evaluate(value, ctx, depth + 1), rest, text);
  }
  if (typeof root === 'string' && /^aws_/.test(root) && typeof name === 'string') {
    const attributeName = rest[rest.length - 1];
    if (rest.length === 1 && typeof attributeName === 'string' && ID_ATTRIBUTES.has(attributeName)) {
      const address = `${root}.${name}`;
      return { ok: true, value: ctx.resourceIds.get(address) ?? address };
    }
    return fail(`${text} is known only after terraform apply`);
  }
  if (root === 'data' && typeof name === 'string' && typeof parts[2] === 'string' && parts[3] === 'id' && parts.length === 4) {
    return { ok: true, value: `data.${name}.${parts[2]}` };
  }
  if (root === 'module') return fail(`${text} is an output of another module`);
  return fail(`${text} is known only at plan time`);
}

function index(value: Evaluated<TfValue>, rest: (string | number)[], text: string): Evaluated<TfValue> {
  if (!value.ok || rest.length === 0) return value;
  let current: TfValue = value.value;
  for (const key of rest) {
    if (typeof key !== 'number' || !Array.isArray(current) || key < 0 || key >= current.length) return fail(`${text} cannot be looked up in the declared value`);
    current = current[key] as TfValue;
  }
  return { ok: true, value: current };
}

function evaluateTemplate(template: string, ctx: EvaluateContext, depth: number): Evaluated<TfValue> {
  if (template.includes('%{')) return fail('a string with %{...} directives is rendered at plan time');
  let failure: string | undefined;
  const text = template.replace(/\$\{\s*([^}]*?)\s*\}/g, (whole, inner: string) => {
    if (failure) return whole;
    if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*$/.test(inner)) {
      failure = `\`\${${clip(inner)}}\` is evaluated by Terraform at plan time`;
      return whole;
    }
    const parts = inner.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const r = evaluateReference(parts, inner, ctx, depth + 1);
    if (!r.ok) { failure = r.why; return whole; }
    if (Array.isArray(r.value) || r.value === null) { failure = `\${${inner}} is not a single value`; return whole; }
    return String(r.value);
  });
  return failure ? fail(failure) : { ok: true, value: text };
}

function evaluateCall(name: string, args: HclExpr[], ctx: EvaluateContext, depth: number): Evaluated<TfValue> {
  const values: TfValue[] = [];
  for (const arg of args) {
    const r = evaluate(arg, ctx, depth + 1);
    if (!r.ok) return r;
    values.push(r.value);
  }
  switch (name) {
    case 'tolist':
    case 'toset':
      if (values.length === 1 && Array.isArray(values[0])) {
        const list = values[0] as TfValue[];
        return { ok: true, value: name === 'toset' ? [...new Set(list)] : list };
      }
      break;
    case 'concat':
      if (values.every(Array.isArray)) return { ok: true, value: (values as TfValue[][]).flat() };
      break;
    case 'tostring':
      if (values.length === 1 && (typeof values[0] === 'string' || typeof values[0] === 'number' || typeof values[0] === 'boolean')) return { ok: true, value: String(values[0]) };
      break;
    case 'tonumber':
      if (values.length === 1 && values[0] !== null && !Array.isArray(values[0]) && values[0] !== '' && Number.isFinite(Number(values[0]))) return { ok: true, value: Number(values[0]) };
      break;
    default:
      return fail(`${name}() is evaluated by Terraform at plan time`);
  }
  return fail(`${name}() was given arguments it does not accept`);
}
