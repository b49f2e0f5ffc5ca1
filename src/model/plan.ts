// A remediation plan: ordered steps, each one an AWS CLI command and its SDK equivalent,
// with the steps that undo it. Pure data; built in src/remediation, run by src/aws/executor
// or rendered into a shell script.

import type { AssumedRole, FixKind, Rule } from './types';

/**
 * An argv element that is a value produced by an earlier step (the id of a group the
 * plan creates). Rendered as a shell variable; filled in by the executor at run time.
 */
export interface ArgRef { ref: string }

export type Arg = string | ArgRef;

export function isArgRef(arg: unknown): arg is ArgRef {
  return typeof arg === 'object' && arg !== null && typeof (arg as ArgRef).ref === 'string';
}

export type AwsService = 'ec2' | 'rds';

/** What must still hold just before a mutating step runs; the executor re-reads and checks it. */
export type Precondition =
  | { kind: 'ruleExists'; rule: Rule }
  | { kind: 'ruleAbsent'; rule: Rule }
  | { kind: 'clusterGroups'; clusterId: string; groupIds: string[] }
  | { kind: 'instancePublic'; instanceId: string; publiclyAccessible: boolean }
  | { kind: 'groupAbsent'; groupName: string; vpcId: string };

export interface Step {
  /** One sentence saying what the step does and why. */
  explanation: string;
  service: AwsService;
  /** The AWS CLI command as an argv array, starting with "aws". */
  cli: Arg[];
  /** The SDK v3 command class name, e.g. "RevokeSecurityGroupIngressCommand". */
  sdkCommand: string;
  /** The SDK input. String values may be ArgRef placeholders resolved at run time. */
  sdkInput: Record<string, unknown>;
  /** Whether the step changes the account (describe steps do not). */
  mutating: boolean;
  preconditions: Precondition[];
  /** Names the value this step produces, for later steps' ArgRefs (e.g. the new group id). */
  produces?: { ref: string; from: 'GroupId' | 'SecurityGroupRuleIds' };
}

export interface Plan {
  fix: FixKind;
  findingId: string;
  title: string;
  /** Why this plan, in a sentence or two (e.g. why modify-db-cluster and not modify-db-instance). */
  summary: string;
  /** Where the steps run; a member account of an organization names the role they run under (and no profile). */
  target: { profile?: string; region?: string; accountId?: string; accountName?: string; assumedRole?: AssumedRole };
  steps: Step[];
  /** The steps that undo `steps`, in the order they run. */
  backout: Step[];
  warnings: string[];
}
