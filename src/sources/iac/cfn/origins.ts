// Where each model object read from a CloudFormation template was declared, kept beside the
// inventory so code fixes can edit exactly the text (YAML or JSON) that made it.

import type { Instance, Rule, SecurityGroup } from '../../../model/types';
import type { CfnEntry, CfnNode } from './node';

export interface CfnResourceOrigin { logicalId: string; type: string; entry: CfnEntry; properties?: CfnNode }

export type CfnRuleContainer =
  /** One item of a group's SecurityGroupIngress / SecurityGroupEgress list. */
  | { kind: 'inline'; property: CfnEntry; item: Extract<CfnNode, { kind: 'map' }>; index: number }
  /** An AWS::EC2::SecurityGroupIngress / Egress resource: its Properties. */
  | { kind: 'standalone'; item: Extract<CfnNode, { kind: 'map' }> }
  /** AWS's default allow-all egress of a group that declares none: there is no text for it. */
  | { kind: 'implicit' };

export interface CfnRuleOrigin {
  resource: CfnResourceOrigin;
  container: CfnRuleContainer;
  /** The property that gave the rule its source (CidrIp, SourceSecurityGroupId, ...). */
  source?: CfnEntry;
}

export interface CloudFormationOrigins {
  syntax: 'yaml' | 'json';
  rules: Map<Rule, CfnRuleOrigin>;
  groups: Map<SecurityGroup, CfnResourceOrigin>;
  instances: Map<Instance, CfnResourceOrigin>;
  resources: Map<string, CfnResourceOrigin>;
  /** Parameter name -> its Type (AWS::EC2::SecurityGroup::Id, String, ...), for what a fix may !Ref. */
  parameters: Map<string, string | undefined>;
}

export function emptyCfnOrigins(syntax: 'yaml' | 'json'): CloudFormationOrigins {
  return { syntax, rules: new Map(), groups: new Map(), instances: new Map(), resources: new Map(), parameters: new Map() };
}
