// Which accounts an organization source covers, and how each is entered (design 11): the
// organization profile is checked once, asked who it is (GetCallerIdentity: its own account is
// read with its own credentials), and the accounts it lists are admitted one by one: ACTIVE only,
// include and exclude lists applied, each given the credentials key of its member role.

import { DEFAULT_MEMBER_ROLE, SESSION_NAME, roleArnOf } from '../../model/roles';
import type { ClientPool } from '../clients';
import { namedProfile, roleCredentialsKey } from '../credentialsKey';
import { toAwsError } from '../errors';
import type { LiveError } from '../live';
import { listProfiles, resolveCredentialsKey } from '../profiles';
import { stsSdk } from '../sdk';
import { discoverAccounts, sourceProblem, type ListedAccount } from './discovery';

/** Where an organization's accounts come from and how they are entered. */
export interface OrgSource {
  /** The organization profile (management account or delegated administrator), as a credentials key. */
  profile: string;
  /** The role assumed in every member account (default OrganizationAccountAccessRole). */
  memberRole?: string;
  externalId?: string;
  /** Only accounts under these roots or OUs, recursively. */
  ous?: string[];
  /** Only these accounts. */
  accounts?: string[];
  excludeAccounts?: string[];
  /** Without Organizations access: these roles, one per account. */
  roleArns?: string[];
}

/** `pending` until audited (or when only listed). */
export type AccountOutcome = 'pending' | 'audited' | 'partial' | 'failed' | 'skipped' | 'cancelled';

export interface OrgAccountStatus {
  id: string;
  name?: string;
  /** ACTIVE, SUSPENDED, ... as Organizations lists it. */
  state: string;
  /** The role the account is read through; absent for the organization profile's own account. */
  roleArn?: string;
  /** The credentials key its targets use. */
  credentials: string;
  outcome: AccountOutcome;
  /** The regions that were read without error. */
  regions: string[];
  /** Why it was skipped or failed. */
  reason?: string;
}

/** An opened source: the credentials key it reads with, where its accounts' regions default to, and how it names itself in messages. */
export interface OpenedSource {
  /** The source's profile as resolved: "default" with no such profile in the files is the environment's credentials. */
  profile: string;
  home: string;
  label: string;
}

/** "profile org" or "the environment's credentials". */
export function sourceLabel(key: string): string {
  return namedProfile(key) ? `profile ${key}` : 'the environment\'s credentials';
}

/** Checks the source and its profile; an error entry (and no source) when it cannot work. */
export async function openSource(source: OrgSource, env: NodeJS.ProcessEnv): Promise<{ opened?: OpenedSource; error?: LiveError }> {
  const key = source.profile;
  const problem = sourceProblem(source);
  if (problem) return { error: { profile: key, message: `The organization source is not valid: ${problem}.`, code: 'bad-source' } };
  const known = resolveCredentialsKey(key, await listProfiles(env), env);
  if (!known) return { error: { profile: key, message: `Profile "${key}" is not in the AWS config or credentials file.`, code: 'no-credentials' } };
  if (known.broken) return { error: { profile: key, message: `Profile "${key}" is broken: ${known.broken}`, code: 'profile-broken' } };
  return { opened: { profile: known.name, home: known.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1', label: sourceLabel(known.name) } };
}

/** The caller's own account (GetCallerIdentity), read with the profile's own credentials rather than a member role. */
export async function callerAccount(pool: ClientPool, key: string, region: string): Promise<string | undefined> {
  const { GetCallerIdentityCommand } = await stsSdk();
  const client = await pool.sts(key, region);
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    throw toAwsError(error, { profile: key, region, action: 'sts:GetCallerIdentity' });
  }
}

/**
 * Streams the source's accounts, each admitted or skipped, to `onAccount`; errors (the listing
 * failed, an account asked for is not there) go to `onError`. Resolves when the listing is done.
 */
export async function scanAccounts(
  pool: ClientPool, source: OrgSource, opened: OpenedSource, signal: AbortSignal | undefined,
  onAccount: (status: OrgAccountStatus) => void, onError: (error: LiveError, account?: OrgAccountStatus) => void,
): Promise<void> {
  const key = opened.profile;
  let own: string | undefined;
  if (!source.roleArns?.length) {
    try {
      own = await callerAccount(pool, key, opened.home);
    } catch (error) {
      const mapped = toAwsError(error, { profile: key });
      onError({ profile: key, message: `Cannot use ${opened.label} for the organization: ${mapped.message}`, code: mapped.code });
      return;
    }
  }
  const include = source.accounts?.length ? new Set(source.accounts) : undefined;
  const exclude = new Set(source.excludeAccounts ?? []);
  const found = new Set<string>();
  const admit = (listed: ListedAccount): void => {
    if (found.has(listed.id)) return;
    found.add(listed.id);
    // Accounts outside an include list are not worth a line each.
    if (include && !include.has(listed.id)) return;
    const roleArn = listed.roleArn ?? (listed.id === own ? undefined : roleArnOf(listed.id, source.memberRole ?? DEFAULT_MEMBER_ROLE));
    const credentials = roleArn
      ? roleCredentialsKey({ source: key, roleArn, sessionName: SESSION_NAME, ...(source.externalId ? { externalId: source.externalId } : {}), ...(listed.name ? { accountName: listed.name } : {}) })
      : key;
    const status: OrgAccountStatus = { id: listed.id, state: listed.state, credentials, outcome: 'pending', regions: [], ...(listed.name ? { name: listed.name } : {}), ...(roleArn ? { roleArn } : {}) };
    if (exclude.has(listed.id)) {
      status.outcome = 'skipped';
      status.reason = 'excluded';
    } else if (listed.state !== 'ACTIVE') {
      status.outcome = 'skipped';
      status.reason = `${listed.state}: only ACTIVE accounts are audited`;
    }
    onAccount(status);
  };
  try {
    for await (const page of discoverAccounts(pool, { profile: key, ...(source.ous ? { ous: source.ous } : {}), ...(source.roleArns ? { roleArns: source.roleArns } : {}), ...(signal ? { signal } : {}) })) {
      for (const listed of page) admit(listed);
    }
  } catch (error) {
    const mapped = toAwsError(error, { profile: key });
    const hint = mapped.code === 'access-denied' || mapped.awsCode === 'AWSOrganizationsNotInUseException'
      ? ' Use the management account or a delegated administrator, or name the accounts\' roles with --role-arn.'
      : '';
    onError({ profile: key, message: `Cannot list the organization's accounts with ${opened.label}: ${mapped.message}${hint}`, code: mapped.code });
    return;
  }
  // Accounts asked for by id that the organization does not list.
  for (const id of include ?? []) {
    if (found.has(id)) continue;
    const status: OrgAccountStatus = { id, state: 'UNKNOWN', credentials: key, outcome: 'failed', regions: [], reason: `not in the organization ${opened.label} lists` };
    onAccount(status);
    onError({ profile: key, accountId: id, message: `Account ${id} was asked for, but the organization ${opened.label} lists has no such account.`, code: 'not-found' }, status);
  }
}

/** The accounts of a source without auditing them (the extension's tree lists them on expand). */
export async function listOrganization(request: OrgSource & { pool: ClientPool; env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<{ accounts: OrgAccountStatus[]; errors: LiveError[]; home?: string }> {
  const accounts: OrgAccountStatus[] = [];
  const errors: LiveError[] = [];
  const { opened, error } = await openSource(request, request.env ?? process.env);
  if (!opened) return { accounts, errors: [error!] };
  await scanAccounts(request.pool, request, opened, request.signal, (status) => accounts.push(status), (e) => errors.push(e));
  return { accounts, errors, home: opened.home };
}
