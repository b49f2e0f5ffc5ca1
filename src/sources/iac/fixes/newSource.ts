// What a fix may put where a risky source was: an approved source from the settings (a CIDR,
// sg-..., pl-...) or what the user types: the same, or a reference the file understands (a
// Terraform variable, local or group; a CloudFormation parameter or group). Each is checked
// as typed and written in the file's own syntax.

import type { SourceKind } from '../../../model/types';
import { parseCidr } from '../../../rules/cidr';
import { parseHcl } from '../hcl/parser';
import type { CloudFormationOrigins } from '../cfn/origins';
import { evaluate } from '../terraform/evaluate';
import type { TerraformOrigins } from '../terraform/origins';

export interface NewSource {
  kind: SourceKind;
  /** As the user wrote it, for titles. */
  label: string;
  /** The value as it goes in the file: an HCL expression, a YAML scalar or tag, a JSON value. */
  text: { terraform: string; yaml: string; json: string };
  /** A Terraform expression that is a list (var.office_cidrs): it cannot be one element of a tuple. */
  list: boolean;
}

export type Classified = { ok: true; source: NewSource } | { ok: false; why: string };

const SG = /^sg-[0-9a-zA-Z]{1,64}$/;
const PL = /^pl-[0-9a-zA-Z]{1,64}$/;

const YAML_PLAIN_SAFE = /^[A-Za-z0-9][A-Za-z0-9./_-]*$/;

/** A literal id or CIDR, the same in every syntax. */
function literal(kind: SourceKind, value: string): NewSource {
  return { kind, label: value, list: false, text: { terraform: JSON.stringify(value), yaml: YAML_PLAIN_SAFE.test(value) ? value : JSON.stringify(value), json: JSON.stringify(value) } };
}

function literalSource(typed: string): NewSource | undefined {
  const cidr = parseCidr(typed);
  if (cidr) return literal(cidr.family === 4 ? 'cidr4' : 'cidr6', cidr.text);
  if (SG.test(typed)) return literal('group', typed);
  if (PL.test(typed)) return literal('prefixList', typed);
  return undefined;
}

const EXPECTED_TERRAFORM = 'a CIDR (10.0.0.0/16), a security group id (sg-...), a prefix list id (pl-...), or a reference such as var.app_cidr, local.office or aws_security_group.app.id';

/**
 * A source typed for a Terraform file. A reference is judged in the file: a group or prefix list
 * resource by its type, a variable or local by its value (or, when only the plan knows it, as a
 * CIDR of the family being replaced, or a list when its type says so).
 */
export function terraformSource(typed: string, origins: TerraformOrigins, familyHint: SourceKind): Classified {
  const text = typed.trim();
  if (!text) return { ok: false, why: `give ${EXPECTED_TERRAFORM}` };
  const plain = literalSource(text);
  if (plain) return { ok: true, source: plain };
  const parsed = parseHcl(`v = ${text}\n`);
  const expr = parsed.ok && parsed.body.attributes.length === 1 && parsed.body.blocks.length === 0 ? parsed.body.attributes[0]?.value : undefined;
  if (!expr || expr.type !== 'traversal') return { ok: false, why: `${JSON.stringify(text)} is not ${EXPECTED_TERRAFORM}` };
  const [root, name, attribute] = expr.parts;
  const resourceType = root === 'data' ? name : root;
  const reference = (kind: SourceKind, list = false): Classified => ({ ok: true, source: { kind, label: text, list, text: { terraform: text, yaml: text, json: text } } });
  if (typeof resourceType === 'string' && /^aws_(default_)?security_group$/.test(resourceType)) {
    const last = expr.parts[expr.parts.length - 1];
    if (last !== 'id') return { ok: false, why: `${text} names a security group; reference its id (${text}.id)` };
    if (root !== 'data' && !origins.resources.has(`${root}.${String(name)}`)) return { ok: false, why: `${root}.${String(name)} is not declared in this file` };
    return reference('group');
  }
  if (typeof resourceType === 'string' && resourceType === 'aws_ec2_managed_prefix_list') return reference('prefixList');
  if (root !== 'var' && root !== 'local') return { ok: false, why: `${JSON.stringify(text)} is not ${EXPECTED_TERRAFORM}` };
  if (root === 'var' && typeof name === 'string' && !origins.variableTypes.has(name)) return { ok: false, why: `var.${name} is not declared in this file` };
  const value = origins.context ? evaluate(expr, origins.context) : undefined;
  if (value?.ok) {
    const values = Array.isArray(value.value) ? value.value : [value.value];
    const first = values.find((v) => typeof v === 'string');
    const kind = typeof first === 'string' ? literalSource(first)?.kind : undefined;
    if (!kind || values.some((v) => typeof v !== 'string' || literalSource(v)?.kind !== kind)) {
      return { ok: false, why: `${text} is ${JSON.stringify(value.value)}: not CIDRs, group ids or prefix list ids of one kind` };
    }
    return reference(kind, Array.isArray(value.value));
  }
  if (value && !value.ok && !value.planTime) return { ok: false, why: `${text}: ${value.why}` };
  // Known only at plan time: a CIDR of the family replaced, a list if the variable's type says so.
  const type = root === 'var' && typeof name === 'string' ? origins.variableTypes.get(name) ?? '' : '';
  const hinted: SourceKind = familyHint === 'cidr6' ? 'cidr6' : /security_group|sg/i.test(String(name)) ? 'group' : 'cidr4';
  return reference(hinted, /^(list|set|tuple)\s*\(/.test(type) && attribute === undefined);
}

const EXPECTED_CLOUDFORMATION = 'a CIDR (10.0.0.0/16), a security group id (sg-...), a prefix list id (pl-...), the logical id of a security group of this template, or a parameter (!Ref Name)';

/** A source typed for a CloudFormation template: a literal, a group of the template, or a parameter. */
export function cloudFormationSource(typed: string, origins: CloudFormationOrigins, familyHint: SourceKind): Classified {
  const text = typed.trim();
  if (!text) return { ok: false, why: `give ${EXPECTED_CLOUDFORMATION}` };
  const plain = literalSource(text);
  if (plain) return { ok: true, source: plain };
  const match = /^(?:!Ref\s+|!GetAtt\s+)?([A-Za-z0-9]+)(\.GroupId)?$/.exec(text);
  const name = match?.[1];
  if (!name) return { ok: false, why: `${JSON.stringify(text)} is not ${EXPECTED_CLOUDFORMATION}` };
  const resource = origins.resources.get(name);
  if (resource?.type === 'AWS::EC2::SecurityGroup') {
    return { ok: true, source: { kind: 'group', label: name, list: false, text: { terraform: name, yaml: `!GetAtt ${name}.GroupId`, json: JSON.stringify({ 'Fn::GetAtt': [name, 'GroupId'] }) } } };
  }
  if (resource?.type === 'AWS::EC2::PrefixList') {
    return { ok: true, source: { kind: 'prefixList', label: name, list: false, text: { terraform: name, yaml: `!GetAtt ${name}.PrefixListId`, json: JSON.stringify({ 'Fn::GetAtt': [name, 'PrefixListId'] }) } } };
  }
  if (resource) return { ok: false, why: `${name} is a ${resource.type}, not a security group or a prefix list` };
  if (!origins.parameters.has(name)) return { ok: false, why: `${name} is neither a parameter nor a resource of this template` };
  const type = origins.parameters.get(name) ?? 'String';
  if (/^(List<|CommaDelimitedList)/.test(type)) return { ok: false, why: `${name} is a list parameter (${type}); a rule takes one source: add one rule per source` };
  const kind: SourceKind = type === 'AWS::EC2::SecurityGroup::Id' ? 'group' : familyHint === 'cidr6' ? 'cidr6' : 'cidr4';
  return { ok: true, source: { kind, label: `!Ref ${name}`, list: false, text: { terraform: name, yaml: `!Ref ${name}`, json: JSON.stringify({ Ref: name }) } } };
}
