// Turns what the SDK throws into messages a user can act on, with a stable code that
// callers (CLI exit paths, the tree's error nodes, tests) can branch on.

import { accountLabel, credentialsLabel, namedProfile, roleOfKey } from './credentialsKey';

export type AwsErrorCode =
  | 'sso-expired'
  | 'no-credentials'
  | 'invalid-credentials'
  | 'expired-credentials'
  | 'access-denied'
  | 'role-denied'
  | 'unreachable'
  | 'throttled'
  | 'region-disabled'
  | 'profile-broken'
  | 'not-found'
  | 'drift'
  | 'cancelled'
  | 'aws-error';

export class AwsError extends Error {
  readonly code: AwsErrorCode;
  /** The AWS error code (e.g. UnauthorizedOperation) or Node error code (ECONNREFUSED), when there is one. */
  readonly awsCode?: string;

  constructor(code: AwsErrorCode, message: string, awsCode?: string) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    if (awsCode) this.awsCode = awsCode;
  }
}

/** What was being done when the error happened; every field sharpens the message. */
export interface ErrorContext {
  profile?: string;
  region?: string;
  /** The API action, e.g. "ec2:DescribeSecurityGroups". */
  action?: string;
  /** The endpoint the client talks to (an --endpoint-url, or AWS's regional endpoint). */
  endpoint?: string;
}

const THROTTLING = new Set([
  'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'PriorRequestNotComplete',
]);

const ACCESS_DENIED = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'UnauthorizedAccess']);
const INVALID_CREDENTIALS = new Set(['AuthFailure', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'IncompleteSignature', 'InvalidAccessKeyId']);
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const REGION_DISABLED = new Set(['OptInRequired', 'InvalidRegion']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError', 'RequestTimeout']);

/** The AWS error code of an SDK error (its name), or a Node network code. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: string; code?: string; Code?: string; cause?: unknown };
  const code = e.Code ?? (typeof e.code === 'string' ? e.code : undefined);
  if (code && code !== 'ERR_UNKNOWN') return code;
  if (e.name && e.name !== 'Error') return e.name;
  return e.cause ? awsErrorCode(e.cause) : undefined;
}

export function isThrottlingError(error: unknown): boolean {
  const code = awsErrorCode(error);
  if (code && THROTTLING.has(code)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status === 429;
}

function where(context: ErrorContext): string {
  const parts: string[] = [];
  const role = roleOfKey(context.profile);
  // A member account is named by name and id, with the role it was read through.
  if (role) parts.push(`account ${accountLabel(role.accountId, role.accountName)}`, `role ${role.roleArn.replace(/^.*:role\//, '')}`);
  else if (context.profile) parts.push(namedProfile(context.profile) ? `profile ${context.profile}` : credentialsLabel(context.profile));
  if (context.region) parts.push(`region ${context.region}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Maps any error thrown by a credential provider or an SDK call to an AwsError with an actionable message. */
export function toAwsError(error: unknown, context: ErrorContext = {}): AwsError {
  if (error instanceof AwsError) return error;
  const code = awsErrorCode(error);
  const raw = messageOf(error);
  const at = where(context);
  const profileFlag = namedProfile(context.profile) ? ` --profile ${context.profile}` : '';

  if (code === 'AbortError' || (error as { name?: string })?.name === 'AbortError') {
    return new AwsError('cancelled', `Cancelled${at}.`, code);
  }
  // SSO: the provider says the session or token expired / is missing from the cache.
  if (/\bsso\b/i.test(raw) && /(expired|refresh|invalid|not found|could not|unable)/i.test(raw)) {
    return new AwsError('sso-expired', `The SSO session${at} has expired or was never started. Run \`aws sso login${profileFlag}\` and try again.`, code);
  }
  if (code === 'CredentialsProviderError' || /could not load credentials|could not be found or parsed|no credentials/i.test(raw)) {
    return new AwsError('no-credentials', `No credentials${at}: ${raw} Check the profile in your AWS config and credentials files, or set AWS_PROFILE / AWS_ACCESS_KEY_ID.`, code);
  }
  if (code && ACCESS_DENIED.has(code)) {
    const action = context.action ? ` to ${context.action}` : '';
    return new AwsError('access-denied', `Access denied${action}${at}. Grant the identity permission${action ? ` for ${context.action}` : ''}, or use another profile. AWS said: ${raw}`, code);
  }
  if (code && EXPIRED_CREDENTIALS.has(code)) {
    return new AwsError('expired-credentials', `The credentials${at} have expired. Refresh them (for SSO: \`aws sso login${profileFlag}\`) and try again.`, code);
  }
  if (code && INVALID_CREDENTIALS.has(code)) {
    return new AwsError('invalid-credentials', `AWS rejected the credentials${at} (${code}). Check the access key of the profile. AWS said: ${raw}`, code);
  }
  if (code && REGION_DISABLED.has(code)) {
    return new AwsError('region-disabled', `Region ${context.region ?? '?'} is not enabled for this account${at}. Enable it or leave it out. AWS said: ${raw}`, code);
  }
  if ((code && NETWORK.has(code)) || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up|connect ETIMEDOUT/i.test(raw)) {
    const url = context.endpoint ?? 'the AWS endpoint';
    return new AwsError('unreachable', `Cannot reach ${url}${at}: ${raw}. Check the network, a proxy, or the endpoint URL.`, code);
  }
  if (isThrottlingError(error)) {
    const action = context.action ? ` on ${context.action}` : '';
    return new AwsError('throttled', `AWS kept throttling the requests${action}${at} after every retry. Try again later, or audit fewer profiles and regions at once.`, code);
  }
  if (code && /NotFound$/.test(code)) {
    return new AwsError('not-found', `${raw}${at}`, code);
  }
  const action = context.action ? `${context.action} failed${at}: ` : `AWS error${at}: `;
  return new AwsError('aws-error', `${action}${code && !raw.includes(code) ? `${code}: ` : ''}${raw}`, code);
}
