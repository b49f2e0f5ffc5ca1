// The IAM Identity Center (SSO) portal's GetRoleCredentials, the call an SSO profile's
// credentials come from: `GET /federation/credentials?account_id=&role_name=` with the access
// token of `aws sso login` in `x-amz-sso_bearer_token`, answered in REST-JSON. Any non-empty
// token is a signed-in user (the emulator has no OIDC side); the account must be one the
// emulator knows (the seed's, or an ACTIVE account of the organization), else "No access", as
// the portal answers for an account the user has no permission set in.

import { AwsError } from './errors';
import type { Identities } from './identity';
import type { Organization } from './organization';
import type { Json } from './state';

export const SSO_CREDENTIALS_PATH = '/federation/credentials';
/** SSO OIDC's CreateToken, which the SDK calls to refresh a token that has (nearly) run out. */
export const SSO_OIDC_TOKEN_PATH = '/token';

export interface SsoContext {
  identities: Identities;
  defaultAccount: string;
  organization?: Organization;
  /** Caps the life of the session (the short-expiry option). */
  sessionSeconds?: number;
}

/** A permission set's sessions last one hour unless the administrator changed it. */
const PERMISSION_SET_SESSION_SECONDS = 3600;

export function getRoleCredentials(query: URLSearchParams, bearerToken: string | undefined, ctx: SsoContext): Json {
  const accountId = query.get('account_id') ?? '';
  const roleName = query.get('role_name') ?? '';
  if (!bearerToken) throw new AwsError('UnauthorizedException', 'Session token not found or invalid', 401);
  if (!/^\d{12}$/.test(accountId) || !roleName) throw new AwsError('InvalidRequestException', 'Invalid request: account_id and role_name are required', 400);
  const account = ctx.organization?.accounts.find((a) => a.id === accountId);
  const known = accountId === ctx.defaultAccount || account?.state === 'ACTIVE';
  if (!known) throw new AwsError('ForbiddenException', 'No access', 403);
  const seconds = Math.min(PERMISSION_SET_SESSION_SECONDS, ctx.sessionSeconds ?? PERMISSION_SET_SESSION_SECONDS);
  // Identity Center names the role it creates in the account AWSReservedSSO_<permission set>_<hash>.
  const session = ctx.identities.issue(accountId, `AWSReservedSSO_${roleName}_emulator`, 'sso-user', seconds);
  return {
    roleCredentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiration: session.expiresAt,
    },
  };
}

/**
 * CreateToken with a refresh token: the emulator issues no OIDC tokens, so every refresh is
 * refused as AWS refuses one it did not issue, and the user is told to sign in again.
 */
export function createToken(): never {
  throw new AwsError('InvalidGrantException', 'Invalid grant provided', 400);
}
