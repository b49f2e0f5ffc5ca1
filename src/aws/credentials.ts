// Credential providers shared by a pool's clients: one per credentials key, cached, refreshed
// before they expire. A member account's role is assumed once (never once per region or client)
// with the SDK's fromTemporaryCredentials, chained from its source's provider.

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** How long before expiry a role's credentials are fetched anew: ten minutes, or a quarter of a short session. */
export function refreshBefore(lifetimeMs: number): number {
  return Math.min(10 * 60_000, Math.max(1, lifetimeMs / 4));
}

/** Static credentials, and sessions whose life is not known, count as fresh for five minutes before expiry (the SDK's own margin). */
const DEFAULT_MARGIN_MS = 5 * 60_000;

export interface SharedProvider extends AwsCredentialIdentityProvider {
  /** Drops the cached credentials (AWS answered that they expired): the next call fetches anew. */
  expire(): void;
  /** How many times the underlying provider was called (tests and stats). */
  readonly fetches: number;
}

/**
 * One credentials promise shared by every caller, fetched again when it is about to expire.
 * Callers that find it stale at the same moment share one new fetch; a failed fetch is not
 * kept (the next caller tries again).
 */
export function shareCredentials(provider: AwsCredentialIdentityProvider, now: () => number = Date.now): SharedProvider {
  let current: Promise<{ credentials: AwsCredentialIdentity; fetchedAt: number }> | undefined;
  let fetches = 0;
  const fresh = ({ credentials, fetchedAt }: { credentials: AwsCredentialIdentity; fetchedAt: number }): boolean => {
    if (!credentials.expiration) return true;
    const expires = credentials.expiration.getTime();
    const margin = credentials.sessionToken ? refreshBefore(expires - fetchedAt) : DEFAULT_MARGIN_MS;
    return expires - now() > margin;
  };
  const shared = (async () => {
    for (;;) {
      const seen = current;
      if (seen) {
        const got = await seen.catch(() => undefined);
        if (current !== seen) continue; // someone fetched anew while we waited: use theirs
        if (got && fresh(got)) return got.credentials;
      }
      fetches++;
      const started = now();
      const fetching = provider().then((credentials) => ({ credentials, fetchedAt: started }));
      current = fetching;
      fetching.catch(() => { if (current === fetching) current = undefined; });
      return (await fetching).credentials;
    }
  }) as SharedProvider;
  shared.expire = () => { current = undefined; };
  Object.defineProperty(shared, 'fetches', { get: () => fetches });
  return shared;
}
