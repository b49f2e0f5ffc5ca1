// Evaluates the intrinsic functions that can be known from the template alone:
// parameters' Default values, references to resources declared in it, !Sub, !Join,
// !Select, !Split and !FindInMap over such values. Anything decided at deploy time
// (pseudo parameters, conditions, imports, most attributes) is reported, never guessed.

import { child, MAX_DEPTH, type CfnNode } from './node';

export type Plain = string | number | boolean | null | Plain[];

export type Resolved<T> = { ok: true; value: T } | { ok: false; why: string };

export interface ResolveContext {
  /** Parameter name -> its declaration (a map with Type, Default...). */
  parameters: ReadonlyMap<string, CfnNode>;
  mappings?: CfnNode;
  /** Logical id -> the value `!Ref` gives it in the model (a pseudo group id, a cluster id). */
  refValues: ReadonlyMap<string, string>;
  /** Logical id -> resource type, to answer !GetAtt X.GroupId. */
  resourceTypes: ReadonlyMap<string, string>;
  /** A declared resource's Properties, for the attributes that echo one (!GetAtt Vpc.CidrBlock). */
  resourceProperties?: (logicalId: string) => CfnNode | undefined;
}

/** Attributes whose value is the property of the same name, as declared: known from the template. */
const ECHOED_ATTRIBUTES: Record<string, string[]> = { 'AWS::EC2::VPC': ['CidrBlock'], 'AWS::EC2::Subnet': ['CidrBlock', 'VpcId'] };

const fail = (why: string): { ok: false; why: string } => ({ ok: false, why });

/** What !GetAtt Vpc.DefaultNetworkAcl stands for: the VPC's default network ACL, which entries may be added to (networkAcls.ts). */
export function defaultAclId(vpcLogicalId: string): string {
  return `${vpcLogicalId}.DefaultNetworkAcl`;
}

/** `Fn::GetAtt` -> `!GetAtt`, the way people write it in YAML. */
export function shortName(fnName: string): string {
  return fnName === 'Ref' ? '!Ref' : `!${fnName.replace(/^Fn::/, '')}`;
}

export function resolve(node: CfnNode, ctx: ResolveContext, depth = 0): Resolved<Plain> {
  if (depth > MAX_DEPTH) return fail('the value nests too deeply to evaluate');
  switch (node.kind) {
    case 'scalar':
      return { ok: true, value: node.value };
    case 'list': {
      const values: Plain[] = [];
      for (const item of node.items) {
        const r = resolve(item, ctx, depth + 1);
        if (!r.ok) return r;
        values.push(r.value);
      }
      return { ok: true, value: values };
    }
    case 'map':
      return fail('a map was found where a value was expected');
    case 'fn':
      return resolveFunction(node.name, node.arg, ctx, depth + 1);
  }
}

export function resolveString(node: CfnNode, ctx: ResolveContext): Resolved<string> {
  const r = resolve(node, ctx);
  if (!r.ok) return r;
  if (typeof r.value === 'string') return { ok: true, value: r.value };
  if (typeof r.value === 'number' || typeof r.value === 'boolean') return { ok: true, value: String(r.value) };
  return fail(`expected a single value, found ${describe(r.value)}`);
}

/** A list, or a value that evaluates to one (a CommaDelimitedList parameter, !Split). */
export function resolveList(node: CfnNode, ctx: ResolveContext): Resolved<Plain[]> {
  const r = resolve(node, ctx);
  if (!r.ok) return r;
  if (Array.isArray(r.value)) return { ok: true, value: r.value };
  return fail(`expected a list, found ${describe(r.value)}`);
}

function describe(value: Plain): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing';
  return JSON.stringify(value);
}

function resolveFunction(name: string, arg: CfnNode, ctx: ResolveContext, depth: number): Resolved<Plain> {
  switch (name) {
    case 'Ref':
      return arg.kind === 'scalar' && typeof arg.value === 'string' ? resolveRef(arg.value, ctx) : fail('!Ref needs a name');
    case 'Fn::GetAtt':
      return resolveGetAtt(arg, ctx, depth);
    case 'Fn::Sub':
      return resolveSub(arg, ctx, depth);
    case 'Fn::Join': {
      const parts = arg.kind === 'list' ? arg.items : [];
      if (parts.length !== 2) return fail('!Join needs [delimiter, list]');
      const delimiter = resolve(parts[0] as CfnNode, ctx, depth);
      if (!delimiter.ok) return delimiter;
      const list = resolve(parts[1] as CfnNode, ctx, depth);
      if (!list.ok) return list;
      if (!Array.isArray(list.value) || list.value.some((v) => Array.isArray(v) || v === null)) return fail('!Join needs a list of values');
      return { ok: true, value: list.value.map(String).join(String(delimiter.value ?? '')) };
    }
    case 'Fn::Select': {
      const parts = arg.kind === 'list' ? arg.items : [];
      if (parts.length !== 2) return fail('!Select needs [index, list]');
      const index = resolve(parts[0] as CfnNode, ctx, depth);
      if (!index.ok) return index;
      const list = resolve(parts[1] as CfnNode, ctx, depth);
      if (!list.ok) return list;
      const i = Number(index.value);
      if (!Array.isArray(list.value) || !Number.isInteger(i) || i < 0 || i >= list.value.length) return fail('!Select index is outside its list');
      return { ok: true, value: list.value[i] as Plain };
    }
    case 'Fn::Split': {
      const parts = arg.kind === 'list' ? arg.items : [];
      if (parts.length !== 2) return fail('!Split needs [delimiter, string]');
      const delimiter = resolve(parts[0] as CfnNode, ctx, depth);
      const text = resolve(parts[1] as CfnNode, ctx, depth);
      if (!delimiter.ok) return delimiter;
      if (!text.ok) return text;
      if (typeof delimiter.value !== 'string' || typeof text.value !== 'string' || delimiter.value === '') return fail('!Split needs a delimiter and a string');
      return { ok: true, value: text.value.split(delimiter.value) };
    }
    case 'Fn::FindInMap':
      return resolveFindInMap(arg, ctx, depth);
    case 'Fn::If': {
      const condition = arg.kind === 'list' && arg.items[0]?.kind === 'scalar' ? String(arg.items[0].value) : '?';
      return fail(`!If on condition ${condition} is decided at deploy time`);
    }
    case 'Fn::ImportValue':
      return fail('!ImportValue is exported by another stack');
    default:
      return fail(`${shortName(name)} is evaluated only at deploy time`);
  }
}

function resolveRef(name: string, ctx: ResolveContext): Resolved<Plain> {
  const parameter = ctx.parameters.get(name);
  if (parameter) {
    const fallback = child(parameter, 'Default');
    if (!fallback) return fail(`!Ref ${name}: the parameter has no Default, so its value is known only at deploy time`);
    const type = child(parameter, 'Type');
    const typeName = type?.kind === 'scalar' ? String(type.value) : '';
    const value = fallback.kind === 'scalar' ? fallback.value : undefined;
    if (value === undefined) return fail(`!Ref ${name}: the parameter's Default is not a plain value`);
    if (/^(CommaDelimitedList|List<)/.test(typeName)) {
      return { ok: true, value: String(value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '') };
    }
    return { ok: true, value };
  }
  const resourceValue = ctx.refValues.get(name);
  if (resourceValue !== undefined) return { ok: true, value: resourceValue };
  if (name.startsWith('AWS::')) return fail(`!Ref ${name} is a pseudo parameter, known only at deploy time`);
  return fail(`!Ref ${name} names no parameter or resource in this template`);
}

function resolveGetAtt(arg: CfnNode, ctx: ResolveContext, depth: number): Resolved<Plain> {
  let logicalId: string | undefined;
  let attribute: string | undefined;
  if (arg.kind === 'scalar' && typeof arg.value === 'string') {
    const dot = arg.value.indexOf('.');
    if (dot > 0) { logicalId = arg.value.slice(0, dot); attribute = arg.value.slice(dot + 1); }
  } else if (arg.kind === 'list' && arg.items.length === 2) {
    const id = resolve(arg.items[0] as CfnNode, ctx, depth);
    const attr = resolve(arg.items[1] as CfnNode, ctx, depth);
    if (id.ok && typeof id.value === 'string') logicalId = id.value;
    if (attr.ok && typeof attr.value === 'string') attribute = attr.value;
  }
  if (!logicalId || !attribute) return fail('!GetAtt needs Resource.Attribute');
  const type = ctx.resourceTypes.get(logicalId);
  // A group declared elsewhere (a snippet, an include): named by its logical id, as Terraform names an undeclared group by its address.
  if (!type) return attribute === 'GroupId' ? { ok: true, value: logicalId } : fail(`!GetAtt ${logicalId}.${attribute} names no resource in this template`);
  if (type === 'AWS::EC2::SecurityGroup' && attribute === 'GroupId') {
    const id = ctx.refValues.get(logicalId);
    if (id !== undefined) return { ok: true, value: id };
  }
  if (type === 'AWS::EC2::VPC' && attribute === 'DefaultNetworkAcl') return { ok: true, value: defaultAclId(logicalId) };
  if (ECHOED_ATTRIBUTES[type]?.includes(attribute)) {
    const declared = child(ctx.resourceProperties?.(logicalId), attribute);
    if (declared) return resolve(declared, ctx, depth + 1);
  }
  return fail(`!GetAtt ${logicalId}.${attribute} is known only after deployment`);
}

function resolveSub(arg: CfnNode, ctx: ResolveContext, depth: number): Resolved<Plain> {
  let template: CfnNode | undefined = arg;
  let variables: CfnNode | undefined;
  if (arg.kind === 'list') { template = arg.items[0]; variables = arg.items[1]; }
  if (template?.kind !== 'scalar' || typeof template.value !== 'string') return fail('!Sub needs a string');
  let failure: string | undefined;
  const text = template.value.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (failure) return whole;
    // ${!Literal} writes ${Literal} out as it is.
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const local = variables?.kind === 'map' ? child(variables, name) : undefined;
    const r = local
      ? resolve(local, ctx, depth)
      : name.includes('.')
        ? resolveGetAtt({ kind: 'scalar', value: name, span: template.span }, ctx, depth)
        : resolveRef(name, ctx);
    if (!r.ok) { failure = `!Sub \${${name}}: ${r.why}`; return whole; }
    if (Array.isArray(r.value) || r.value === null) { failure = `!Sub \${${name}} is not a single value`; return whole; }
    return String(r.value);
  });
  return failure ? fail(failure) : { ok: true, value: text };
}

function resolveFindInMap(arg: CfnNode, ctx: ResolveContext, depth: number): Resolved<Plain> {
  if (arg.kind !== 'list' || arg.items.length < 3) return fail('!FindInMap needs [MapName, TopLevelKey, SecondLevelKey]');
  const keys: string[] = [];
  for (const item of arg.items.slice(0, 3)) {
    const r = resolve(item, ctx, depth);
    if (!r.ok) return fail(`!FindInMap: ${r.why}`);
    keys.push(String(r.value));
  }
  const [mapName, top, second] = keys as [string, string, string];
  const value = child(child(child(ctx.mappings, mapName), top), second);
  if (!value) return fail(`!FindInMap ${mapName}.${top}.${second} is not in Mappings`);
  return resolve(value, ctx, depth);
}
