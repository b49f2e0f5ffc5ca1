// Evaluates the Terraform expressions whose value the file itself fixes: literals, templates
// (interpolations and directives), collections, operators, conditionals, for expressions,
// splats, variable defaults, locals, the arguments a resource declares, references to
// resources (as their addresses) and the built-in functions of functions.ts. Anything decided
// at plan time is reported as unknown, with the reason, never guessed.

import type { HclExpr, HclSpan, HclStep, HclTemplatePart } from '../hcl/ast';
import { callFunction, LAZY_FUNCTIONS } from './functions';
import {
  elementsOf, fail, isObject, known, newObject, planTime, sameValue, toBool, toNumber, toText, typeName,
  type Evaluated, type TfObject, type TfValue,
} from './values';

export type { Evaluated, TfValue } from './values';

export interface EvaluateContext {
  /** The file's text, to quote the expressions that cannot be evaluated. */
  source: string;
  /** variable name -> its default expression (absent when it has none). */
  variables: ReadonlyMap<string, HclExpr | undefined>;
  locals: ReadonlyMap<string, HclExpr>;
  /** Resource address (aws_rds_cluster.main) -> the id it stands for in the model, when not the address itself. */
  resourceIds: ReadonlyMap<string, string>;
  /** The arguments a resource of this file declares (aws_vpc.main: cidr_block, ...), for references to it. */
  resourceArguments?: (address: string) => ReadonlyMap<string, HclExpr> | undefined;
  /** Names bound around the expression: a dynamic block's iterator, count.index. */
  scope?: ReadonlyMap<string, TfValue>;
}

const MAX_DEPTH = 60;
/** Elements a for expression or splat may produce: far above real files, a bound on hostile ones. */
const MAX_ELEMENTS = 10_000;

/** What a reference's last attribute must be for it to stand for the resource's id. */
const ID_ATTRIBUTES = new Set(['id', 'cluster_identifier', 'identifier', 'arn']);

/** Terraform's own symbols, all known only at plan time. */
const PLAN_TIME_ROOTS: Record<string, string> = {
  count: 'count.index is known only when Terraform expands the resource',
  each: 'each.key and each.value are known only when Terraform expands the resource',
  path: 'path.* is the module path, known only at plan time',
  terraform: 'terraform.* is known only at plan time',
  self: 'self is known only when the resource exists',
};

export function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

export function evaluate(expr: HclExpr, ctx: EvaluateContext): Evaluated {
  return new Evaluator(ctx).run(expr, ctx.scope ?? new Map(), 0);
}

export function evaluateString(expr: HclExpr, ctx: EvaluateContext): Evaluated<string> {
  const r = evaluate(expr, ctx);
  if (!r.ok) return r;
  const text = toText(r.value);
  if (text !== undefined) return known(text);
  return fail(`expected a single value, found ${r.value === null ? 'null' : typeName(r.value)}`);
}

type Scope = ReadonlyMap<string, TfValue>;

class Evaluator {
  constructor(private readonly ctx: EvaluateContext) {}

  private text(span: HclSpan): string {
    return clip(this.ctx.source.slice(span.start, span.end));
  }

  run(expr: HclExpr, scope: Scope, depth: number): Evaluated {
    if (depth > MAX_DEPTH) return fail('references nest too deeply (a cycle between locals?)');
    const next = depth + 1;
    switch (expr.type) {
      case 'literal':
        return known(expr.value);
      case 'template':
        return this.template(expr.parts, scope, next);
      case 'traversal':
        return this.reference(expr.parts, expr.text, scope, next);
      case 'tuple': {
        const values: TfValue[] = [];
        for (const item of expr.items) {
          const r = this.run(item, scope, next);
          if (!r.ok) return r;
          values.push(r.value);
        }
        return known(values);
      }
      case 'object': {
        const entries: [string, TfValue][] = [];
        for (const item of expr.items) {
          let key = item.key;
          if (key === undefined) {
            const k = this.run(item.keyExpr, scope, next);
            if (!k.ok) return k;
            key = toText(k.value);
            if (key === undefined) return fail(`the object key \`${this.text(item.keySpan)}\` is ${typeName(k.value)}, not a string`);
          }
          const value = this.run(item.value, scope, next);
          if (!value.ok) return value;
          entries.push([key, value.value]);
        }
        return known(newObject(entries));
      }
      case 'call':
        return this.call(expr, scope, next);
      case 'for':
        return this.forExpression(expr, scope, next);
      case 'conditional': {
        const condition = this.run(expr.condition, scope, next);
        if (!condition.ok) return condition;
        const chosen = toBool(condition.value);
        if (chosen === undefined) return fail(`the condition \`${this.text(expr.condition.span)}\` is ${typeName(condition.value)}, not a bool`);
        return this.run(chosen ? expr.then : expr.else, scope, next);
      }
      case 'binary':
        return this.binary(expr, scope, next);
      case 'unary': {
        const operand = this.run(expr.operand, scope, next);
        if (!operand.ok) return operand;
        if (expr.operator === '!') {
          const b = toBool(operand.value);
          return b === undefined ? fail(`! needs a bool, not ${typeName(operand.value)}`) : known(!b);
        }
        const n = toNumber(operand.value);
        return n === undefined ? fail(`- needs a number, not ${typeName(operand.value)}`) : known(-n);
      }
      case 'parens':
        return this.run(expr.inner, scope, next);
      case 'relative': {
        const source = this.run(expr.source, scope, next);
        if (!source.ok) return source;
        return this.step(source.value, expr.step, scope, next, expr.span);
      }
      case 'splat':
        return this.splat(expr, scope, next);
    }
  }

  private template(parts: HclTemplatePart[], scope: Scope, depth: number): Evaluated {
    // A template of one interpolation is that value itself (HCL's "unwrapping").
    if (parts.length === 1 && parts[0]?.kind === 'interpolation') return this.run(parts[0].expr, scope, depth);
    const text = this.render(parts, scope, depth);
    return text.ok ? known(text.value) : text;
  }

  private render(parts: HclTemplatePart[], scope: Scope, depth: number): Evaluated<string> {
    let out = '';
    for (const part of parts) {
      switch (part.kind) {
        case 'literal':
          out += part.value;
          break;
        case 'interpolation': {
          const value = this.run(part.expr, scope, depth);
          if (!value.ok) return value;
          const text = toText(value.value);
          if (text === undefined) return fail(`\${${this.text(part.expr.span)}} is ${typeName(value.value)}, which a string cannot hold`);
          out += text;
          break;
        }
        case 'if': {
          const condition = this.run(part.condition, scope, depth);
          if (!condition.ok) return condition;
          const chosen = toBool(condition.value);
          if (chosen === undefined) return fail(`%{ if ${this.text(part.condition.span)} } is ${typeName(condition.value)}, not a bool`);
          const body = this.render(chosen ? part.then : part.else ?? [], scope, depth + 1);
          if (!body.ok) return body;
          out += body.value;
          break;
        }
        case 'for': {
          const collection = this.run(part.collection, scope, depth);
          if (!collection.ok) return collection;
          const elements = elementsOf(collection.value);
          if (!elements) return fail(`%{ for } needs a list or a map, not ${typeName(collection.value)}`);
          for (const element of elements) {
            const inner = new Map(scope);
            if (part.keyVar !== undefined) inner.set(part.keyVar, element.key);
            inner.set(part.valueVar, element.value);
            const body = this.render(part.body, inner, depth + 1);
            if (!body.ok) return body;
            out += body.value;
          }
          break;
        }
      }
    }
    return known(out);
  }

  private reference(parts: (string | number)[], text: string, scope: Scope, depth: number): Evaluated {
    const [root, name, ...rest] = parts;
    if (typeof root === 'string' && scope.has(root)) return this.index(known(scope.get(root) as TfValue), parts.slice(1), text);
    if (root === 'var' && typeof name === 'string') {
      if (!this.ctx.variables.has(name)) return planTime(`var.${name} is not declared in this file, so its value is known only at plan time`);
      const fallback = this.ctx.variables.get(name);
      if (!fallback) return planTime(`var.${name} has no default, so its value is known only at plan time`);
      return this.index(this.run(fallback, new Map(), depth), rest, text);
    }
    if (root === 'local' && typeof name === 'string') {
      const value = this.ctx.locals.get(name);
      if (!value) return planTime(`local.${name} is not declared in this file`);
      return this.index(this.run(value, new Map(), depth), rest, text);
    }
    if (typeof root === 'string' && /^aws_/.test(root) && typeof name === 'string') {
      const address = `${root}.${name}`;
      const attributeName = rest[0];
      if (rest.length === 1 && typeof attributeName === 'string' && ID_ATTRIBUTES.has(attributeName)) {
        return known(this.ctx.resourceIds.get(address) ?? address);
      }
      const args = this.ctx.resourceArguments?.(address);
      // An argument the resource declares is known at plan time from the file: aws_vpc.main.cidr_block.
      const declared = typeof attributeName === 'string' ? args?.get(attributeName) : undefined;
      if (declared) return this.index(this.run(declared, new Map(), depth), rest.slice(1), text);
      if (args && attributeName === undefined) return this.resourceObject(address, args, depth);
      if (args && typeof attributeName === 'number') return planTime(`${text}: ${address} has no count or for_each, so it is not a list`);
      return planTime(`${text} is known only after terraform apply`);
    }
    if (root === 'data' && typeof name === 'string' && typeof parts[2] === 'string' && parts[3] === 'id' && parts.length === 4) {
      return known(`data.${name}.${parts[2]}`);
    }
    if (root === 'module') return planTime(`${text} is an output of another module`);
    if (typeof root === 'string' && PLAN_TIME_ROOTS[root]) return planTime(PLAN_TIME_ROOTS[root] as string);
    return planTime(`${text} is known only at plan time`);
  }

  /**
   * The resource itself (aws_security_group.app, as in aws_security_group.app[*].id): its id
   * and the arguments it declares that evaluate. A resource with count or for_each is a
   * collection of instances that only the plan knows.
   */
  private resourceObject(address: string, args: ReadonlyMap<string, HclExpr>, depth: number): Evaluated {
    if (args.has('count') || args.has('for_each')) return planTime(`${address} has count or for_each, so its instances are known only at plan time`);
    const entries: [string, TfValue][] = [];
    for (const [name, expr] of args) {
      const value = this.run(expr, new Map(), depth);
      if (value.ok) entries.push([name, value.value]);
    }
    const id = this.ctx.resourceIds.get(address) ?? address;
    for (const name of ID_ATTRIBUTES) if (!args.has(name)) entries.push([name, id]);
    return known(newObject(entries));
  }

  private index(value: Evaluated, rest: (string | number)[], text: string): Evaluated {
    if (!value.ok || rest.length === 0) return value;
    let current: TfValue = value.value;
    for (const key of rest) {
      const next = lookupKey(current, key);
      if (next === undefined) return fail(`${text} cannot be looked up in the declared value`);
      current = next;
    }
    return known(current);
  }

  private step(value: TfValue, step: HclStep, scope: Scope, depth: number, at: HclSpan): Evaluated {
    let key: string | number;
    if (step.kind === 'attr') key = step.name;
    else {
      const k = this.run(step.key, scope, depth);
      if (!k.ok) return k;
      const asKey = typeof k.value === 'number' ? k.value : toText(k.value);
      if (asKey === undefined) return fail(`the index of \`${this.text(at)}\` is ${typeName(k.value)}`);
      key = asKey;
    }
    const next = lookupKey(value, key);
    return next === undefined ? fail(`\`${this.text(at)}\` has no element ${JSON.stringify(key)}`) : known(next);
  }

  private splat(expr: Extract<HclExpr, { type: 'splat' }>, scope: Scope, depth: number): Evaluated {
    const source = this.run(expr.source, scope, depth);
    if (!source.ok) return source;
    // A splat on one value makes a list of it; on null, an empty list.
    const items = Array.isArray(source.value) ? source.value : source.value === null ? [] : [source.value];
    if (items.length > MAX_ELEMENTS) return fail(`\`${this.text(expr.span)}\` has more than ${MAX_ELEMENTS} elements`);
    const out: TfValue[] = [];
    for (const item of items) {
      let current: Evaluated = known(item);
      for (const step of expr.each) {
        if (!current.ok) break;
        current = this.step(current.value, step, scope, depth, expr.span);
      }
      if (!current.ok) return current;
      out.push(current.value);
    }
    return known(out);
  }

  private call(expr: Extract<HclExpr, { type: 'call' }>, scope: Scope, depth: number): Evaluated {
    if (LAZY_FUNCTIONS.has(expr.name)) return this.lazyCall(expr, scope, depth);
    const values: TfValue[] = [];
    for (const arg of expr.args) {
      const r = this.run(arg, scope, depth);
      if (!r.ok) return r;
      values.push(r.value);
    }
    if (expr.expandFinal) {
      const last = values.pop();
      if (!Array.isArray(last)) return fail(`${expr.name}(...) expands its last argument, which is ${last === undefined ? 'missing' : typeName(last)}, not a list`);
      values.push(...last);
    }
    const result = callFunction(expr.name, values);
    if (result) return result;
    return planTime(`${expr.name}() is left to Terraform: this reader does not evaluate it`);
  }

  /** try(a, b): the first argument that evaluates; can(x): whether it does. Unknown stays unknown. */
  private lazyCall(expr: Extract<HclExpr, { type: 'call' }>, scope: Scope, depth: number): Evaluated {
    if (expr.name === 'can') {
      if (expr.args.length !== 1) return fail('can() takes one argument');
      const r = this.run(expr.args[0] as HclExpr, scope, depth);
      return r.ok ? known(true) : r.planTime ? r : known(false);
    }
    let last: Evaluated = fail('try() needs at least one argument');
    for (const arg of expr.args) {
      last = this.run(arg, scope, depth);
      if (last.ok || last.planTime) return last;
    }
    return fail(`try(): no argument could be evaluated (${last.ok ? '' : last.why})`);
  }

  private forExpression(expr: Extract<HclExpr, { type: 'for' }>, scope: Scope, depth: number): Evaluated {
    const collection = this.run(expr.collection, scope, depth);
    if (!collection.ok) return collection;
    const elements = elementsOf(collection.value);
    if (!elements) return fail(`a for expression needs a list or a map, not ${typeName(collection.value)}`);
    if (elements.length > MAX_ELEMENTS) return fail(`a for expression over more than ${MAX_ELEMENTS} elements`);
    const tuple: TfValue[] = [];
    const object = newObject() as Record<string, TfValue>;
    const groups = new Map<string, TfValue[]>();
    for (const element of elements) {
      const inner = new Map(scope);
      if (expr.keyVar !== undefined) inner.set(expr.keyVar, element.key);
      inner.set(expr.valueVar, element.value);
      if (expr.condition) {
        const keep = this.run(expr.condition, inner, depth);
        if (!keep.ok) return keep;
        const b = toBool(keep.value);
        if (b === undefined) return fail(`the for expression's if is ${typeName(keep.value)}, not a bool`);
        if (!b) continue;
      }
      const value = this.run(expr.value, inner, depth);
      if (!value.ok) return value;
      if (!expr.key) { tuple.push(value.value); continue; }
      const key = this.run(expr.key, inner, depth);
      if (!key.ok) return key;
      const k = toText(key.value);
      if (k === undefined) return fail(`a for expression's key is ${typeName(key.value)}, not a string`);
      if (expr.group) groups.set(k, [...(groups.get(k) ?? []), value.value]);
      else if (k in object) return fail(`the for expression makes the key ${JSON.stringify(k)} twice (add ... to group the values)`);
      else object[k] = value.value;
    }
    if (!expr.key) return known(tuple);
    if (expr.group) return known(newObject(groups));
    return known(object as TfObject);
  }

  private binary(expr: Extract<HclExpr, { type: 'binary' }>, scope: Scope, depth: number): Evaluated {
    const left = this.run(expr.left, scope, depth);
    if (!left.ok) return left;
    // && and || stop early, as the conditional does: a known false && unknown is false.
    if (expr.operator === '&&' || expr.operator === '||') {
      const a = toBool(left.value);
      if (a === undefined) return fail(`${expr.operator} needs bools, not ${typeName(left.value)}`);
      if (expr.operator === '&&' && !a) return known(false);
      if (expr.operator === '||' && a) return known(true);
      const right = this.run(expr.right, scope, depth);
      if (!right.ok) return right;
      const b = toBool(right.value);
      return b === undefined ? fail(`${expr.operator} needs bools, not ${typeName(right.value)}`) : known(b);
    }
    const right = this.run(expr.right, scope, depth);
    if (!right.ok) return right;
    if (expr.operator === '==') return known(sameValue(left.value, right.value));
    if (expr.operator === '!=') return known(!sameValue(left.value, right.value));
    const a = toNumber(left.value);
    const b = toNumber(right.value);
    if (a === undefined || b === undefined) return fail(`${expr.operator} needs numbers, not ${typeName(a === undefined ? left.value : right.value)}`);
    switch (expr.operator) {
      case '+': return known(a + b);
      case '-': return known(a - b);
      case '*': return known(a * b);
      case '/': return b === 0 ? fail('division by zero') : known(a / b);
      case '%': return b === 0 ? fail('division by zero') : known(a % b);
      case '<': return known(a < b);
      case '>': return known(a > b);
      case '<=': return known(a <= b);
      default: return known(a >= b);
    }
  }
}

function lookupKey(value: TfValue, key: string | number): TfValue | undefined {
  if (Array.isArray(value)) {
    const i = typeof key === 'number' ? key : toNumber(key);
    return i !== undefined && Number.isInteger(i) && i >= 0 && i < value.length ? value[i] : undefined;
  }
  if (isObject(value)) {
    const k = String(key);
    return Object.prototype.hasOwnProperty.call(value, k) ? value[k] : undefined;
  }
  return undefined;
}
