// An organization as one source (design 11): its accounts as the organization profile lists
// them, each read through a role assumed once (or, for the profile's own account, with the
// profile's own credentials), each account's regions as targets. Accounts start as soon as their
// page of the listing arrives; the pool bounds every request. A role that cannot be assumed, a
// region an account has not enabled, a call that is denied: one error entry each, naming the
// account (name and id), the role and AWS's reason, and everything else goes on.

import type { Inventory } from '../../model/types';
import { DEFAULT_MEMBER_ROLE, SESSION_NAME, roleArnOf } from '../../model/roles';
import { ClientPool, poolOptionsOf } from '../clients';
import { accountLabel, assumedRoleOf, namedProfile, roleCredentialsKey } from '../credentialsKey';
import { AwsError, toAwsError } from '../errors';
import { REGION_PATTERN, enabledRegions, statsOf, type LiveError, type LiveRequest, type LiveResult } from '../live';
import { loadTarget } from '../loader';
import { ENVIRONMENT_PROFILE, listProfiles } from '../profiles';
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

export type AccountOutcome = 'audited' | 'partial' | 'failed' | 'skipped' | 'cancelled';

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

export interface OrgProgress {
  accountsDone: number;
  /** Accounts to audit found so far (grows while the listing runs). */
  accountsTotal: number;
  listing: boolean;
  /** The account just finished. */
  account?: OrgAccountStatus;
}

export interface OrgRequest extends OrgSource, Omit<LiveRequest, 'profiles' | 'concurrency'> {
  /** Accounts in progress at once (default 32); the pool bounds their requests. */
  accountConcurrency?: number;
  onProgress?: (progress: OrgProgress) => void;
  /** Each target as soon as it is read (the extension's tree fills while the audit runs). */
  onTarget?: (account: OrgAccountStatus, inventory: Inventory) => void;
}

export interface OrgSummary { total: number; audited: number; partial: number; failed: number; skipped: number; cancelled: number }

export interface OrgResult extends LiveResult {
  /** Every account the source named, in listing order, with what became of it. */
  accounts: OrgAccountStatus[];
  summary: OrgSummary;
}

export const DEFAULT_ACCOUNT_CONCURRENCY = 32;

/** "3 of 5 accounts audited (1 partly, 1 failed); 1 skipped (not ACTIVE)": the line every output carries. */
export function accountsLine(summary: OrgSummary): string {
  const parts = [summary.partial && `${summary.partial} partly`, summary.failed && `${summary.failed} failed`, summary.cancelled && `${summary.cancelled} cancelled`].filter(Boolean);
  const skipped = summary.skipped ? `; ${summary.skipped} skipped (not ACTIVE, or excluded)` : '';
  return `${summary.audited} of ${summary.total} account${summary.total === 1 ? '' : 's'} audited${parts.length ? ` (${parts.join(', ')})` : ''}${skipped}`;
}

function summaryOf(accounts: OrgAccountStatus[]): OrgSummary {
  const count = (outcome: AccountOutcome) => accounts.filter((a) => a.outcome === outcome).length;
  const skipped = count('skipped');
  return { total: accounts.length - skipped, audited: count('audited'), partial: count('partial'), failed: count('failed'), skipped, cancelled: count('cancelled') };
}

/** The caller's own account (GetCallerIdentity): read with the profile's own credentials, not through a member role. */
async function callerAccount(pool: ClientPool, key: string, region: string): Promise<string | undefined> {
  const { GetCallerIdentityCommand } = await stsSdk();
  const client = await pool.sts(key, region);
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    throw toAwsError(error, { profile: key, region, action: 'sts:GetCallerIdentity' });
  }
}

export async function loadOrganization(request: OrgRequest): Promise<OrgResult> {
  const started = Date.now();
  const env = request.env ?? process.env;
  const pool = request.pool ?? new ClientPool(poolOptionsOf({ ...request, env }));
  const errors: LiveError[] = [];
  const accounts: OrgAccountStatus[] = [];
  const loaded: { order: number; region: string; inventory: Inventory }[] = [];
  const raw: NonNullable<LiveResult['raw']> = [];
  const finish = (): OrgResult => {
    loaded.sort((a, b) => a.order - b.order || a.region.localeCompare(b.region));
    const result: OrgResult = { inventories: loaded.map((l) => l.inventory), errors, stats: statsOf(pool, started), accounts, summary: summaryOf(accounts) };
    if (request.keepRaw) result.raw = raw;
    return result;
  };
  const orgKey = request.profile;
  const orgLabel = namedProfile(orgKey) ? `profile ${orgKey}` : 'the environment\'s credentials';

  try {
    const problem = sourceProblem(request);
    if (problem) {
      errors.push({ profile: orgKey, message: `The organization source is not valid: ${problem}.`, code: 'bad-source' });
      return finish();
    }
    const known = (await listProfiles(env)).find((p) => p.name === orgKey);
    if (!known) {
      const message = orgKey === ENVIRONMENT_PROFILE ? 'No organization profile was named and AWS_ACCESS_KEY_ID is not set.' : `Profile "${orgKey}" is not in the AWS config or credentials file.`;
      errors.push({ profile: orgKey, message, code: 'no-credentials' });
      return finish();
    }
    if (known.broken) {
      errors.push({ profile: orgKey, message: `Profile "${orgKey}" is broken: ${known.broken}`, code: 'profile-broken' });
      return finish();
    }
    const home = known.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';

    // Who we are, while the first page of accounts is listed.
    const ownAccount = request.roleArns?.length ? Promise.resolve(undefined) : callerAccount(pool, orgKey, home);
    ownAccount.catch(() => undefined);

    const include = request.accounts?.length ? new Set(request.accounts) : undefined;
    const exclude = new Set(request.excludeAccounts ?? []);
    const queue: { status: OrgAccountStatus; order: number }[] = [];
    const waiting: (() => void)[] = [];
    const wakeAll = () => { while (waiting.length) waiting.shift()!(); };
    let listing = true;
    let done = 0;
    const progress = (account?: OrgAccountStatus) => request.onProgress?.({
      accountsDone: done, accountsTotal: accounts.filter((a) => a.outcome !== 'skipped').length, listing, ...(account ? { account } : {}),
    });

    const fail = (status: OrgAccountStatus, error: AwsError, region?: string) => {
      errors.push({
        profile: status.credentials, message: error.message, code: error.code, accountId: status.id,
        ...(region ? { region } : {}), ...(status.name ? { accountName: status.name } : {}), ...(status.roleArn ? { roleArn: status.roleArn } : {}),
      });
    };

    const auditAccount = async (status: OrgAccountStatus, order: number): Promise<void> => {
      if (request.signal?.aborted) { status.outcome = 'cancelled'; return; }
      // The role, once for the account: every region's clients share what it returns.
      try {
        await (await pool.credentialsFor(status.credentials))();
      } catch (error) {
        const mapped = toAwsError(error, { profile: status.credentials });
        status.outcome = mapped.code === 'cancelled' ? 'cancelled' : 'failed';
        status.reason = mapped.message;
        fail(status, mapped);
        return;
      }
      let regions: string[];
      if (request.regions === 'all') {
        try {
          regions = await enabledRegions(pool, status.credentials, home);
        } catch (error) {
          const mapped = toAwsError(error, { profile: status.credentials });
          status.outcome = mapped.code === 'cancelled' ? 'cancelled' : 'failed';
          status.reason = mapped.message;
          fail(status, mapped);
          return;
        }
      } else {
        regions = request.regions?.length ? [...new Set(request.regions)] : [home];
      }
      const outcomes = await Promise.all(regions.map(async (region) => {
        if (!REGION_PATTERN.test(region)) {
          fail(status, new AwsError('aws-error', `"${region}" is not an AWS region name (like eu-west-1).`), region);
          return false;
        }
        if (request.signal?.aborted) return false;
        try {
          const result = await loadTarget(pool, status.credentials, region, {
            ...(request.clusterIds ? { clusterIds: request.clusterIds } : {}), ...(request.signal ? { signal: request.signal } : {}),
          });
          const target = result.inventory.target;
          target.label = `${accountLabel(status.id, status.name)} / ${region}`;
          target.accountId = status.id;
          if (status.name) target.accountName = status.name;
          const role = assumedRoleOf(status.credentials);
          if (role) target.assumedRole = role;
          loaded.push({ order, region, inventory: result.inventory });
          if (request.keepRaw) raw.push({ profile: status.credentials, region, data: result.raw, accountId: status.id, ...(status.name ? { accountName: status.name } : {}) });
          status.regions.push(region);
          request.onTarget?.(status, result.inventory);
          return true;
        } catch (error) {
          fail(status, regionError(error, status, region), region);
          return false;
        }
      }));
      status.regions.sort();
      const ok = outcomes.filter(Boolean).length;
      if (request.signal?.aborted && ok < regions.length) status.outcome = 'cancelled';
      else status.outcome = ok === regions.length ? 'audited' : ok > 0 ? 'partial' : 'failed';
      if (status.outcome === 'failed' || status.outcome === 'partial') status.reason = `${regions.length - ok} of ${regions.length} region(s) could not be read`;
    };

    const workers = Array.from({ length: Math.max(1, request.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY) }, async () => {
      for (;;) {
        const next = queue.shift();
        if (!next) {
          if (!listing) return;
          await new Promise<void>((resolve) => waiting.push(resolve));
          continue;
        }
        await auditAccount(next.status, next.order);
        done++;
        progress(next.status);
      }
    });

    const own = await ownAccount.catch((error: unknown) => {
      const mapped = toAwsError(error, { profile: orgKey });
      errors.push({ profile: orgKey, message: `Cannot use ${orgLabel} for the organization: ${mapped.message}`, code: mapped.code });
      return null;
    });
    if (own !== null) {
      const found = new Set<string>();
      const admit = (listed: ListedAccount) => {
        if (found.has(listed.id)) return;
        found.add(listed.id);
        const roleArn = listed.roleArn ?? (listed.id === own ? undefined : roleArnOf(listed.id, request.memberRole ?? DEFAULT_MEMBER_ROLE));
        const credentials = roleArn
          ? roleCredentialsKey({ source: orgKey, roleArn, sessionName: SESSION_NAME, ...(request.externalId ? { externalId: request.externalId } : {}), ...(listed.name ? { accountName: listed.name } : {}) })
          : orgKey;
        const status: OrgAccountStatus = { id: listed.id, state: listed.state, credentials, outcome: 'cancelled', regions: [], ...(listed.name ? { name: listed.name } : {}), ...(roleArn ? { roleArn } : {}) };
        accounts.push(status);
        if ((include && !include.has(listed.id)) || exclude.has(listed.id)) {
          status.outcome = 'skipped';
          status.reason = include && !include.has(listed.id) ? 'not among the accounts asked for' : 'excluded';
          // Accounts outside an include list are not worth a line each.
          if (include && !include.has(listed.id)) accounts.pop();
          return;
        }
        if (listed.state !== 'ACTIVE') {
          status.outcome = 'skipped';
          status.reason = `${listed.state}: only ACTIVE accounts are audited`;
          return;
        }
        queue.push({ status, order: accounts.length });
        wakeAll();
      };
      try {
        for await (const page of discoverAccounts(pool, { profile: orgKey, ...(request.ous ? { ous: request.ous } : {}), ...(request.roleArns ? { roleArns: request.roleArns } : {}), ...(request.signal ? { signal: request.signal } : {}) })) {
          for (const listed of page) admit(listed);
          progress();
        }
      } catch (error) {
        const mapped = toAwsError(error, { profile: orgKey });
        const hint = mapped.code === 'access-denied' || mapped.awsCode === 'AWSOrganizationsNotInUseException'
          ? ' Use the management account or a delegated administrator, or name the accounts\' roles with --role-arn.'
          : '';
        errors.push({ profile: orgKey, message: `Cannot list the organization's accounts with ${orgLabel}: ${mapped.message}${hint}`, code: mapped.code });
      }
      // Accounts asked for by id that the organization does not list.
      for (const id of include ?? []) {
        if (found.has(id)) continue;
        const status: OrgAccountStatus = { id, state: 'UNKNOWN', credentials: orgKey, outcome: 'failed', regions: [], reason: `account ${id} is not in the organization ${orgLabel} lists` };
        accounts.push(status);
        errors.push({ profile: orgKey, accountId: id, message: `Account ${id} was asked for, but the organization ${orgLabel} lists has no such account.`, code: 'not-found' });
      }
    }
    listing = false;
    wakeAll();
    await Promise.all(workers);
    progress();
    return finish();
  } finally {
    if (!request.pool) await pool.dispose();
  }
}

/**
 * A region of an account that could not be read. AWS answers a region the account has not enabled
 * as if the (valid) session were not: AuthFailure / InvalidClientTokenId; the role was assumed
 * already, so that is what it means here.
 */
function regionError(error: unknown, status: OrgAccountStatus, region: string): AwsError {
  const mapped = error instanceof AwsError ? error : toAwsError(error, { profile: status.credentials, region });
  if (mapped.code !== 'invalid-credentials') return mapped;
  return new AwsError('region-disabled', `Region ${region} is not enabled in account ${accountLabel(status.id, status.name)}: it refused the account's credentials (${mapped.awsCode ?? 'AuthFailure'}). Enable the region, or leave it out (--region). ${mapped.message}`, mapped.awsCode);
}
