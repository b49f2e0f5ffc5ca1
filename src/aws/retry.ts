// Our own bounded retry on throttling, on top of the SDK's: under heavy throttling the
// SDK's retry quota runs dry and it gives up; a bounded outer loop with exponential
// backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter")
// lets an audit of many targets finish anyway.

import { isThrottlingError } from './errors';

export interface RetryPolicy {
  /** Rounds of our own retry after the SDK gave up on throttling (0 disables it). */
  throttleRetries: number;
  /** First backoff ceiling in ms; doubles each round up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ throttleRetries: 6, baseDelayMs: 100, maxDelayMs: 5000 });

/** Full jitter: a uniform delay in [0, min(cap, base * 2^round)). */
export function backoffDelay(round: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** round));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(abortError()); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(abortError()); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(): Error {
  const error = new Error('The operation was cancelled.');
  error.name = 'AbortError';
  return error;
}

/** Runs `call`, retrying it on throttling errors as the policy says. `onRetry` sees every retry. */
export async function withThrottleRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; onRetry?: (round: number, error: unknown) => void } = {},
): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottlingError(error) || round >= policy.throttleRetries) throw error;
      options.onRetry?.(round, error);
      await sleep(backoffDelay(round, policy), options.signal);
    }
  }
}
