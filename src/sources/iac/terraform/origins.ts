// Where each model object read from a Terraform file was declared, kept beside the inventory
// (never in it) so that code fixes can edit exactly the text that made a rule or an instance.

import type { Instance, Rule, SecurityGroup } from '../../../model/types';
import type { HclAttribute, HclBlock, HclExpr, HclSpan } from '../hcl/ast';
import type { EvaluateContext } from './evaluate';

/** An attribute of a block, or an item of an object (`{ from_port = 5432, ... }`): a name and its value. */
export interface FieldRef { name: string; nameSpan: HclSpan; value: HclExpr; span: HclSpan }

export type RuleContainer =
  /** An `ingress { ... }` / `egress { ... }` block of a group. */
  | { kind: 'block'; block: HclBlock }
  /** One object of `ingress = [ {...}, ... ]`. */
  | { kind: 'object'; object: Extract<HclExpr, { type: 'object' }>; list: HclAttribute; index: number }
  /** A rule resource (aws_security_group_rule, aws_vpc_security_group_ingress_rule, ...): its body. */
  | { kind: 'resource'; block: HclBlock }
  /** The content of a dynamic block: one declaration makes several rules. */
  | { kind: 'dynamic'; block: HclBlock };

export interface TfRuleOrigin {
  /** The resource that declares the rule (the group for inline rules). */
  resource: { address: string; type: string; block: HclBlock };
  container: RuleContainer;
  /** The field that gave the rule its source, and the list element when the source is one item of a tuple. */
  source: { field: FieldRef; element?: HclExpr; index?: number };
  fields: (name: string) => FieldRef | undefined;
}

export interface TfResourceOrigin { address: string; type: string; block: HclBlock }

export interface TerraformOrigins {
  rules: Map<Rule, TfRuleOrigin>;
  groups: Map<SecurityGroup, TfResourceOrigin>;
  instances: Map<Instance, TfResourceOrigin>;
  /** Every resource by address, for references to the VPC of a group (aws_vpc.main). */
  resources: Map<string, TfResourceOrigin>;
  /** Variables and their declared type (`list(string)`), for what a fix may reference. */
  variableTypes: Map<string, string | undefined>;
  /** The file's evaluation context, to judge an expression a user types into a fix. */
  context?: EvaluateContext;
}

export function emptyOrigins(): TerraformOrigins {
  return { rules: new Map(), groups: new Map(), instances: new Map(), resources: new Map(), variableTypes: new Map() };
}
