// Loads many (profile, region) targets concurrently, with a bound on targets in progress (the
// pool bounds the requests themselves). A target that fails becomes an error entry for that
// target alone.

import type { Inventory } from '../model/types';
import { ClientPool, poolOptionsOf } from './clients';
import { AwsError, toAwsError } from './errors';
import { loadTarget, type RawTargetData } from './loader';
import { listProfiles, resolveCredentialsKey } from './profiles';
import type { RetryPolicy } from './retry';
import { ec2Sdk } from './sdk';
import type { RequestLimits } from './throughput';

export interface LiveRequest {
  profiles: string[];
  /** An explicit list, 'all' for every enabled region (DescribeRegions), or the profile's region when absent. */
  regions?: string[] | 'all';
  endpointUrl?: string;
  /** How many targets are in progress at once (default DEFAULT_CONCURRENCY); the pool bounds their requests. */
  concurrency?: number;
  /** Bounds on requests in flight: global, per (credentials, region), STS, Organizations. */
  limits?: Partial<RequestLimits>;
  signal?: AbortSignal;
  /** Where the shared config files are named; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The SDK's attempts per call, and our throttling retry around it. */
  maxAttempts?: number;
  retry?: RetryPolicy;
  /** Only these clusters (the executor's verification re-read). */
  clusterIds?: string[];
  /** Keep what AWS returned, per target (for `collect`). */
  keepRaw?: boolean;
  /** Use this pool instead of a fresh one (the caller disposes it). */
  pool?: ClientPool;
}

export interface LiveError {
  /** The credentials key (a profile, the environment's, or a member account's role). */
  profile: string;
  region?: string;
  message: string;
  code?: string;
  /** For a member account of an organization: which one, and the role it is read through. */
  accountId?: string;
  accountName?: string;
  roleArn?: string;
}

export interface LiveResult {
  inventories: Inventory[];
  errors: LiveError[];
  stats: {
    apiCalls: number;
    durationMs: number;
    /** Calls per "profile/region". */
    apiCallsByTarget: Record<string, number>;
    /** Calls per "service:Action". */
    apiCallsByAction: Record<string, number>;
    /** Rounds of our own throttling retry. */
    throttleRetries: number;
  };
  raw?: { profile: string; region: string; data: RawTargetData; accountId?: string; accountName?: string }[];
}

/**
 * Targets in progress at once. The pool's request bounds (throughput.ts) are what protect AWS
 * and this process; this only keeps started targets finishing before new ones start, so their
 * later levels do not queue behind every other target's first call.
 */
export const DEFAULT_CONCURRENCY = 64;

/** The stats of what a pool did since `started`. */
export function statsOf(pool: ClientPool, started: number): LiveResult['stats'] {
  return {
    apiCalls: pool.counter.total,
    durationMs: Date.now() - started,
    apiCallsByTarget: Object.fromEntries(pool.counter.byTarget),
    apiCallsByAction: Object.fromEntries(pool.counter.byAction),
    throttleRetries: pool.counter.retries,
  };
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the input order in the output. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Every region enabled for the account (opted-in or not requiring opt-in). */
export async function enabledRegions(pool: ClientPool, profile: string, homeRegion: string): Promise<string[]> {
  const { DescribeRegionsCommand } = await ec2Sdk();
  const client = await pool.ec2(profile, homeRegion);
  try {
    const out = await client.send(new DescribeRegionsCommand({ AllRegions: false }));
    return (out.Regions ?? []).map((r) => r.RegionName).filter((r): r is string => !!r).sort();
  } catch (error) {
    throw toAwsError(error, { profile, region: homeRegion, action: 'ec2:DescribeRegions' });
  }
}

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export async function loadLiveInventories(request: LiveRequest): Promise<LiveResult> {
  const started = Date.now();
  const env = request.env ?? process.env;
  const pool = request.pool ?? new ClientPool(poolOptionsOf({ ...request, env }));
  const errors: LiveError[] = [];
  const profiles = await listProfiles(env);
  const fallbackRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION;

  try {
    // Resolve each profile's regions; a profile that cannot becomes one error entry.
    const targets: { profile: string; region: string }[] = [];
    const wanted = unique(request.profiles.map((name) => resolveCredentialsKey(name, profiles, env)?.name ?? name));
    await mapWithConcurrency(wanted, request.concurrency ?? DEFAULT_CONCURRENCY, async (name) => {
      const info = resolveCredentialsKey(name, profiles, env);
      if (!info) {
        errors.push({ profile: name, message: `Profile "${name}" is not in the AWS config or credentials file.`, code: 'no-credentials' });
        return;
      }
      if (info.broken) {
        errors.push({ profile: name, message: `Profile "${name}" is broken: ${info.broken}`, code: 'profile-broken' });
        return;
      }
      const home = info.region ?? fallbackRegion;
      let regions: string[];
      if (request.regions === 'all') {
        try {
          regions = await enabledRegions(pool, name, home ?? 'us-east-1');
        } catch (error) {
          const mapped = toAwsError(error, { profile: name });
          errors.push({ profile: name, message: mapped.message, code: mapped.code });
          return;
        }
      } else if (request.regions?.length) {
        regions = request.regions;
      } else if (home) {
        regions = [home];
      } else {
        errors.push({ profile: name, message: `Profile "${name}" has no region. Set region in its config or pass --region.`, code: 'no-region' });
        return;
      }
      for (const region of unique(regions)) targets.push({ profile: name, region });
    });

    const raw: NonNullable<LiveResult['raw']> = [];
    const loaded = await mapWithConcurrency(targets, request.concurrency ?? DEFAULT_CONCURRENCY, async ({ profile, region }) => {
      if (request.signal?.aborted) {
        errors.push({ profile, region, message: 'Cancelled before this target was loaded.', code: 'cancelled' });
        return undefined;
      }
      if (!REGION_PATTERN.test(region)) {
        errors.push({ profile, region, message: `"${region}" is not an AWS region name (like eu-west-1).`, code: 'bad-region' });
        return undefined;
      }
      try {
        const result = await loadTarget(pool, profile, region, { ...(request.clusterIds ? { clusterIds: request.clusterIds } : {}), ...(request.signal ? { signal: request.signal } : {}) });
        if (request.keepRaw) raw.push({ profile, region, data: result.raw });
        return result.inventory;
      } catch (error) {
        const mapped = error instanceof AwsError ? error : toAwsError(error, { profile, region });
        errors.push({ profile, region, message: mapped.message, code: mapped.code });
        return undefined;
      }
    });

    const result: LiveResult = {
      inventories: loaded.filter((i): i is Inventory => !!i),
      errors,
      stats: statsOf(pool, started),
    };
    if (request.keepRaw) result.raw = raw;
    return result;
  } finally {
    if (!request.pool) await pool.dispose();
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
