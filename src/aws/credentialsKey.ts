// The credentials a live target uses: a named profile of the shared files, the environment's
// keys, or a role assumed in an organization's member account from one of those. Only a named
// profile ever becomes --profile in a script, a terminal run or a snippet. Pure: the extension's
// labels use it without loading the SDK.

import type { AssumedRole } from '../model/types';

/**
 * The key under which credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (CI, `aws-vault
 * exec`, an exported SSO session) are listed and held. It is not a profile: it is never written as
 * `--profile` (the AWS CLI would stop with "The config profile (env) could not be found"), and it
 * is spelled so that no profile of the shared files can be mistaken for it.
 */
export const ENVIRONMENT_PROFILE = '(environment)';

const ROLE_PREFIX = '(assume-role)';

/** A member account's role, with what names the account for people. */
export interface RoleKey {
  /** The credentials key the role is assumed from: the organization profile, or the environment's keys. */
  source: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
  accountId: string;
  accountName?: string;
}

/**
 * The key of a role assumed in a member account. It carries everything needed to assume the role
 * again (a journal holds it, so a backout days later re-assumes it) and, like the environment's
 * key, is spelled so that no profile name can be mistaken for it.
 */
export function roleCredentialsKey(role: Omit<RoleKey, 'accountId'>): string {
  return ROLE_PREFIX + JSON.stringify([role.source, role.roleArn, role.sessionName, role.externalId ?? null, role.accountName ?? null]);
}

/** The role a key names, or undefined for a profile or the environment's credentials. */
export function roleOfKey(key: string | undefined): RoleKey | undefined {
  if (!key?.startsWith(ROLE_PREFIX)) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(key.slice(ROLE_PREFIX.length));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || typeof parts[0] !== 'string' || typeof parts[1] !== 'string' || typeof parts[2] !== 'string') return undefined;
  const accountId = /^arn:[^:]+:iam::(\d{12}):role\//.exec(parts[1])?.[1];
  if (!accountId) return undefined;
  const role: RoleKey = { source: parts[0], roleArn: parts[1], sessionName: parts[2], accountId };
  if (typeof parts[3] === 'string') role.externalId = parts[3];
  if (typeof parts[4] === 'string') role.accountName = parts[4];
  return role;
}

/** The model's view of a role key: what a target and a plan carry. */
export function assumedRoleOf(key: string): AssumedRole | undefined {
  const role = roleOfKey(key);
  if (!role) return undefined;
  const assumed: AssumedRole = { roleArn: role.roleArn, sessionName: role.sessionName };
  const source = namedProfile(role.source);
  if (source) assumed.sourceProfile = source;
  if (role.externalId) assumed.externalId = role.externalId;
  return assumed;
}

/** The key a target's or plan's assumed role runs under again (executor, backout). */
export function keyOfAssumedRole(role: AssumedRole, accountName?: string): string {
  return roleCredentialsKey({
    source: role.sourceProfile ?? ENVIRONMENT_PROFILE, roleArn: role.roleArn, sessionName: role.sessionName,
    ...(role.externalId ? { externalId: role.externalId } : {}), ...(accountName ? { accountName } : {}),
  });
}

/** "Payments (222222222222)", or the id alone. */
export function accountLabel(accountId: string, accountName?: string): string {
  return accountName ? `${accountName} (${accountId})` : accountId;
}

/** The profile name to pass as --profile: undefined for the environment's credentials and for a member account's role. */
export function namedProfile(key: string | undefined): string | undefined {
  return key === ENVIRONMENT_PROFILE || key?.startsWith(ROLE_PREFIX) ? undefined : key;
}

/** How people read a credentials key: the profile's name, "environment credentials", or the member account. */
export function credentialsLabel(key: string): string {
  if (key === ENVIRONMENT_PROFILE) return 'environment credentials';
  const role = roleOfKey(key);
  return role ? accountLabel(role.accountId, role.accountName) : key;
}

/** What the environment itself names as credentials, before any profile or the instance's role. */
export type EnvironmentCredentials = 'keys' | 'web-identity' | 'container';

/**
 * The credentials the environment's variables name: static keys (AWS_ACCESS_KEY_ID), a web
 * identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: EKS IRSA, a CI provider's OIDC token), or
 * a container's role (AWS_CONTAINER_CREDENTIALS_*_URI: ECS, CodeBuild, EKS Pod Identity).
 */
export function environmentCredentials(env: NodeJS.ProcessEnv): EnvironmentCredentials | undefined {
  if (env.AWS_ACCESS_KEY_ID) return 'keys';
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return 'web-identity';
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return 'container';
  return undefined;
}

/**
 * The credentials the AWS CLI uses when no --profile is given (user guide, "Configuration and
 * credential precedence"): the environment's keys, which override AWS_PROFILE; else AWS_PROFILE;
 * else a web identity, which comes before the shared files' default; else `default`, which, when
 * the files have no such profile, is a container's or the EC2 instance's role (resolveCredentialsKey).
 */
export function defaultCredentialsKey(env: NodeJS.ProcessEnv): string {
  if (env.AWS_ACCESS_KEY_ID) return ENVIRONMENT_PROFILE;
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE;
  if (profile) return profile;
  return environmentCredentials(env) === 'web-identity' ? ENVIRONMENT_PROFILE : 'default';
}
