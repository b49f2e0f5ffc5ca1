// STS (AWS query protocol): AssumeRole into an organization's member account and
// GetCallerIdentity. A role that was not seeded, a wrong ExternalId, a caller outside the
// management account or a suspended account is AccessDenied, worded as AWS words it.

import { AwsError } from './errors';
import type { Caller, Identities, Session } from './identity';
import type { Organization } from './organization';
import type { Json } from './state';

export interface StsContext {
  caller: Caller;
  organization?: Organization;
  identities: Identities;
  /** Caps every session's life (the short-expiry option); AWS's own limits still apply to DurationSeconds. */
  sessionSeconds?: number;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** A role's MaxSessionDuration when nobody changed it. */
const ROLE_MAX_SESSION_SECONDS = 3600;

/** The Credentials and AssumedRoleUser of every AssumeRole* answer. */
function assumed(session: Session): Json {
  return {
    Credentials: { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: new Date(session.expiresAt) },
    AssumedRoleUser: { AssumedRoleId: session.assumedRoleId, Arn: session.arn },
  };
}

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

function assumeRole(input: Json, ctx: StsContext): Json {
  const roleArn = String(input.RoleArn ?? '');
  const sessionName = String(input.RoleSessionName ?? '');
  if (!roleArn) throw validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const duration = input.DurationSeconds === undefined ? 3600 : Number(input.DurationSeconds);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw validation(`1 validation error detected: Value '${String(input.DurationSeconds)}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`);
  }
  // Role chaining (a session assuming another role) is capped at one hour, whatever the role allows.
  if (ctx.caller.session && duration > 3600) {
    throw validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  const denied = () => new AwsError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validation(`${roleArn} is not a valid role ARN`);
  const [, accountId, roleName] = match;
  const org = ctx.organization;
  const account = org?.accounts.find((a) => a.id === accountId);
  const role = account?.roles.find((r) => r.Name === roleName);
  // The member role trusts the management account (OrganizationAccountAccessRole's trust policy).
  if (!org || !account || !role || ctx.caller.accountId !== org.managementAccountId || account.state !== 'ACTIVE') throw denied();
  if (role.ExternalId !== undefined && input.ExternalId !== role.ExternalId) throw denied();
  if (duration > ROLE_MAX_SESSION_SECONDS) throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  const seconds = Math.min(duration, ctx.sessionSeconds ?? duration);
  const session = ctx.identities.issue(accountId, roleName, sessionName, seconds);
  return assumed(session);
}

/**
 * AssumeRoleWithWebIdentity (EKS IRSA, GitHub Actions OIDC, the AWS_WEB_IDENTITY_TOKEN_FILE of a
 * CI runner): unsigned; any non-empty token is a valid identity of the provider; the role must be
 * the default account's (any name: its trust policy is taken to trust the provider) or a seeded
 * role of an organization's account.
 */
function assumeRoleWithWebIdentity(input: Json, ctx: StsContext): Json {
  const roleArn = String(input.RoleArn ?? '');
  const sessionName = String(input.RoleSessionName ?? '');
  const token = String(input.WebIdentityToken ?? '');
  if (!token) throw validation("1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null");
  if (!SESSION_NAME.test(sessionName)) {
    throw validation(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validation(`${roleArn} is not a valid role ARN`);
  const [, accountId, roleName] = match;
  const seeded = ctx.organization?.accounts.find((a) => a.id === accountId)?.roles.some((r) => r.Name === roleName);
  if (accountId !== ctx.caller.accountId && !seeded) throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  const duration = input.DurationSeconds === undefined ? 3600 : Number(input.DurationSeconds);
  const session = ctx.identities.issue(accountId, roleName, sessionName, Math.min(duration, ctx.sessionSeconds ?? duration));
  return {
    ...assumed(session),
    SubjectFromWebIdentityToken: 'system:serviceaccount:emulator:aurora-sg',
    Provider: 'emulator.oidc.example',
    Audience: 'sts.amazonaws.com',
  };
}

function getCallerIdentity(_input: Json, ctx: StsContext): Json {
  return { UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
}

export type StsHandler = (input: Json, ctx: StsContext) => Json;

export const STS_HANDLERS: Record<string, StsHandler> = {
  AssumeRole: assumeRole,
  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
  GetCallerIdentity: getCallerIdentity,
};

/** The account an AssumeRole call is about (the role's), for the call log. */
export function assumedAccountOf(params: URLSearchParams): string | undefined {
  return ROLE_ARN.exec(params.get('RoleArn') ?? '')?.[1];
}
