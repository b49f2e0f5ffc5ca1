// Roles assumed in an organization's member accounts (design 11): the defaults AWS uses, and
// the spellings AWS accepts for role ARNs, external ids and session names. Pure.

/** The role AWS Organizations creates in every account it creates, trusted by the management account. */
export const DEFAULT_MEMBER_ROLE = 'OrganizationAccountAccessRole';

/** The role session name, so CloudTrail shows who did what. */
export const SESSION_NAME = 'aurora-sg';

/** A chained role session (assumed from another role's session: SSO, an assume-role profile) lasts at most one hour. */
export const ROLE_SESSION_SECONDS = 3600;

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

export interface RoleArnParts { partition: string; accountId: string; path: string; name: string }

/** The parts of a role ARN, or undefined when it is not one (IAM's pattern for role names and paths). */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { partition: match[1]!, accountId: match[2]!, path: match[3]!, name: match[4]! } : undefined;
}

/** The ARN of a role by name in an account of the commercial partition (a name with a path, "ops/Audit", keeps it). */
export function roleArnOf(accountId: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** STS's pattern for ExternalId: 2 to 1224 of `[\w+=,.@:/-]`. */
export function isExternalId(value: string): boolean {
  return /^[\w+=,.@:/-]{2,1224}$/.test(value);
}

/** An account id: twelve digits. */
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/**
 * Where AssumeRole is sent: the first region of the role's partition, always enabled in the
 * calling account (a regional endpoint of an opt-in region the caller has not enabled would
 * refuse), and whose tokens are valid in every region.
 */
export function stsRegionOf(roleArn: string): string {
  switch (parseRoleArn(roleArn)?.partition) {
    case 'aws-cn': return 'cn-north-1';
    case 'aws-us-gov': return 'us-gov-west-1';
    case 'aws-iso': return 'us-iso-east-1';
    case 'aws-iso-b': return 'us-isob-east-1';
    default: return 'us-east-1';
  }
}
