// An organization as one source (design 11): its accounts as the organization profile lists
// them (scope.ts), each read through a role assumed once (or, for the profile's own account,
// with the profile's own credentials), each account's regions as targets. Accounts start as soon
// as their page of the listing arrives; the pool bounds every request. A role that cannot be
// assumed, a region an account has not enabled, a call that is denied: one error entry each,
// naming the account (name and id), the role and AWS's reason, and everything else goes on.

import type { Inventory } from '../../model/types';
import { ClientPool, poolOptionsOf } from '../clients';
import { accountLabel, assumedRoleOf } from '../credentialsKey';
import { AwsError, toAwsError } from '../errors';
import { REGION_PATTERN, enabledRegions, statsOf, type LiveError, type LiveRequest, type LiveResult } from '../live';
import { loadTarget, type TargetLoad, type TargetLoadOptions } from '../loader';
import { openSource, scanAccounts, type OrgAccountStatus, type OrgSource } from './scope';
import { summaryOf, type OrgSummary } from './summary';

export { accountsLine, summaryOf, type OrgSummary } from './summary';

export const DEFAULT_ACCOUNT_CONCURRENCY = 32;

export interface OrgResult extends LiveResult {
  /** Every account the source named, in listing order, with what became of it. */
  accounts: OrgAccountStatus[];
  summary: OrgSummary;
}

export type { AccountOutcome, OrgAccountStatus, OrgSource } from './scope';

export interface OrgProgress {
  accountsDone: number;
  /** Accounts to audit found so far (grows while the listing runs). */
  accountsTotal: number;
  listing: boolean;
  /** The account just finished. */
  account?: OrgAccountStatus;
}

export interface OrgRequest extends OrgSource, Omit<LiveRequest, 'profiles' | 'concurrency'> {
  /** Accounts in progress at once (default DEFAULT_ACCOUNT_CONCURRENCY); the pool bounds their requests. */
  accountConcurrency?: number;
  onProgress?: (progress: OrgProgress) => void;
  /** Each target as soon as it is read (the extension's tree fills while the audit runs). */
  onTarget?: (account: OrgAccountStatus, inventory: Inventory) => void;
}

/** The error entry of an account (and a region of it). */
export function accountError(status: OrgAccountStatus, error: AwsError, region?: string): LiveError {
  return {
    profile: status.credentials, message: error.message, code: error.code, accountId: status.id,
    ...(region ? { region } : {}), ...(status.name ? { accountName: status.name } : {}), ...(status.roleArn ? { roleArn: status.roleArn } : {}),
  };
}

/**
 * The regions to read in an account: the ones asked for, the account's enabled regions
 * ('all': DescribeRegions in the account), or the organization profile's region. Assumes the
 * account's role first, once: every region's clients share what it returns. Throws an AwsError
 * naming the account, the role and AWS's reason.
 */
export async function accountRegions(pool: ClientPool, status: OrgAccountStatus, regions: string[] | 'all' | undefined, home: string): Promise<string[]> {
  await (await pool.credentialsFor(status.credentials))();
  if (regions === 'all') return enabledRegions(pool, status.credentials, home);
  return regions?.length ? [...new Set(regions)] : [home];
}

/** One region of an account, with its target naming the account and the role it was read through. */
export async function loadAccountTarget(pool: ClientPool, status: Pick<OrgAccountStatus, 'id' | 'name' | 'credentials'>, region: string, options: TargetLoadOptions = {}): Promise<TargetLoad> {
  if (!REGION_PATTERN.test(region)) throw new AwsError('aws-error', `"${region}" is not an AWS region name (like eu-west-1).`);
  try {
    const result = await loadTarget(pool, status.credentials, region, options);
    const target = result.inventory.target;
    target.label = `${accountLabel(status.id, status.name)} / ${region}`;
    target.accountId = status.id;
    if (status.name) target.accountName = status.name;
    const role = assumedRoleOf(status.credentials);
    if (role) target.assumedRole = role;
    return result;
  } catch (error) {
    throw regionError(error, status, region);
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

  try {
    const { opened, error } = await openSource(request, env);
    if (!opened) {
      errors.push(error!);
      return finish();
    }
    const queue: { status: OrgAccountStatus; order: number }[] = [];
    const waiting: (() => void)[] = [];
    const wakeAll = () => { while (waiting.length) waiting.shift()!(); };
    let listing = true;
    let done = 0;
    const progress = (account?: OrgAccountStatus) => request.onProgress?.({
      accountsDone: done, accountsTotal: accounts.filter((a) => a.outcome !== 'skipped').length, listing, ...(account ? { account } : {}),
    });

    const auditAccount = async (status: OrgAccountStatus, order: number): Promise<void> => {
      if (request.signal?.aborted) { status.outcome = 'cancelled'; return; }
      let regions: string[];
      try {
        regions = await accountRegions(pool, status, request.regions, opened.home);
      } catch (error) {
        const mapped = toAwsError(error, { profile: status.credentials });
        status.outcome = mapped.code === 'cancelled' ? 'cancelled' : 'failed';
        status.reason = mapped.message;
        errors.push(accountError(status, mapped));
        return;
      }
      const outcomes = await Promise.all(regions.map(async (region) => {
        if (request.signal?.aborted) return false;
        try {
          const result = await loadAccountTarget(pool, status, region, {
            ...(request.clusterIds ? { clusterIds: request.clusterIds } : {}), ...(request.signal ? { signal: request.signal } : {}),
          });
          loaded.push({ order, region, inventory: result.inventory });
          if (request.keepRaw) raw.push({ profile: status.credentials, region, data: result.raw, accountId: status.id, ...(status.name ? { accountName: status.name } : {}) });
          status.regions.push(region);
          request.onTarget?.(status, result.inventory);
          return true;
        } catch (error) {
          errors.push(accountError(status, toAwsError(error, { profile: status.credentials, region }), region));
          return false;
        } finally {
          // Read: its clients are not needed again (thousands of targets, tens of kilobytes each).
          pool.release(status.credentials, region);
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

    await scanAccounts(pool, request, opened, request.signal, (status) => {
      accounts.push(status);
      if (status.outcome === 'pending') {
        queue.push({ status, order: accounts.length });
        wakeAll();
      }
      progress();
    }, (error) => errors.push(error));
    listing = false;
    wakeAll();
    await Promise.all(workers);
    // Accounts never started (cancelled while listed) say so.
    for (const status of accounts) if (status.outcome === 'pending') status.outcome = 'cancelled';
    progress();
    return finish();
  } finally {
    if (!request.pool) await pool.dispose();
  }
}

/**
 * A region of an account that could not be read, named with the account. AWS answers a region
 * the account has not enabled as if the (valid) session were not: AuthFailure /
 * InvalidClientTokenId; the role was assumed already, so that is what it means here.
 */
function regionError(error: unknown, status: Pick<OrgAccountStatus, 'id' | 'name' | 'credentials'>, region: string): AwsError {
  const mapped = error instanceof AwsError ? error : toAwsError(error, { profile: status.credentials, region });
  if (mapped.code !== 'invalid-credentials') return mapped;
  return new AwsError('region-disabled', `Region ${region} is not enabled in account ${accountLabel(status.id, status.name)}: it refused the account's credentials (${mapped.awsCode ?? 'AuthFailure'}). Enable the region, or leave it out (--region). ${mapped.message}`, mapped.awsCode);
}
