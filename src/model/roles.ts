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

/** A root (r-...) or OU (ou-...-...) id, as Organizations spells them. */
export function isParentId(value: string): boolean {
  return /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/.test(value);
}

/** Checks the ids and ARNs of an organization source a user typed (flags, settings), naming the first bad one. */
export function organizationSourceProblem(source: { ous?: string[]; accounts?: string[]; excludeAccounts?: string[]; roleArns?: string[]; memberRole?: string; externalId?: string }): string | undefined {
  for (const id of source.ous ?? []) if (!isParentId(id)) return `"${id}" is not a root id (r-...) or an OU id (ou-...-...)`;
  for (const id of [...(source.accounts ?? []), ...(source.excludeAccounts ?? [])]) {
    if (!isAccountId(id)) return `"${id}" is not an AWS account id (12 digits)`;
  }
  for (const arn of source.roleArns ?? []) if (!parseRoleArn(arn)) return `"${arn}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`;
  if (source.memberRole !== undefined && !parseRoleArn(roleArnOf('000000000000', source.memberRole))) return `"${source.memberRole}" is not an IAM role name (or path/name)`;
  if (source.externalId !== undefined && !isExternalId(source.externalId)) return 'the ExternalId has characters STS does not accept (2 to 1224 of letters, digits and +=,.@:/-_)';
  if (source.roleArns?.length && source.ous?.length) return 'role ARNs name the accounts themselves: use them without OUs';
  return undefined;
}
