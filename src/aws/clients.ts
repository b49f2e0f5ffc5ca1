// One SDK client per (service, profile, region, endpoint), created on first use and
// destroyed on dispose. The SDK modules are imported here, lazily, so nothing pays for
// them until the first live call.

import * as http from 'node:http';
import * as https from 'node:https';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AwsError, toAwsError } from './errors';
import { ENVIRONMENT_PROFILE, sharedFilePaths } from './profiles';
import { DEFAULT_RETRY_POLICY, withThrottleRetry, type RetryPolicy } from './retry';
import { credentialProvidersSdk, ec2Sdk, rdsSdk } from './sdk';

export type Service = 'ec2' | 'rds';

/** Per host: the SDK's own default is 50 per client; a pool shares one agent among all its clients. */
const MAX_SOCKETS_PER_HOST = 512;

export interface ClientPoolOptions {
  /** Points every client at another endpoint (the local emulator, LocalStack, moto). */
  endpointUrl?: string;
  /** Where to read AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The SDK's own attempts per call (standard retry mode). */
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
  /** Our bounded retry on throttling around each call. */
  retry?: RetryPolicy;
  /** Credentials to use instead of the profile's (tests). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** The pool options a request carries (a live load, a run, a collect); absent fields keep the pool's defaults. */
export function poolOptionsOf(request: Pick<ClientPoolOptions, 'endpointUrl' | 'env' | 'maxAttempts' | 'retry'>): ClientPoolOptions {
  const options: ClientPoolOptions = {};
  if (request.endpointUrl) options.endpointUrl = request.endpointUrl;
  if (request.env) options.env = request.env;
  if (request.maxAttempts) options.maxAttempts = request.maxAttempts;
  if (request.retry) options.retry = request.retry;
  return options;
}

/** Counts the API calls each client makes: one per request sent (a page is a call), retries apart. */
export class CallCounter {
  total = 0;
  retries = 0;
  readonly byTarget = new Map<string, number>();
  readonly byAction = new Map<string, number>();

  record(target: string, action: string): void {
    this.total++;
    this.byTarget.set(target, (this.byTarget.get(target) ?? 0) + 1);
    this.byAction.set(action, (this.byAction.get(action) ?? 0) + 1);
  }
}

export function targetKey(profile: string, region: string): string {
  return `${profile}/${region}`;
}

/** The endpoint a client talks to, for messages. */
export function endpointOf(service: Service, region: string, endpointUrl?: string): string {
  return endpointUrl ?? `https://${service}.${region}.amazonaws.com`;
}

/** Shares one credential promise per profile across its clients, refreshed before it expires. */
function memoize(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (current) {
      const credentials = await current.catch(() => undefined);
      if (credentials && (!credentials.expiration || credentials.expiration.getTime() - Date.now() > 5 * 60_000)) return credentials;
    }
    current = provider();
    return current;
  };
}

export class ClientPool {
  readonly counter = new CallCounter();
  private readonly clients = new Map<string, Promise<EC2Client | RDSClient>>();
  private readonly credentials = new Map<string, Promise<AwsCredentialIdentityProvider>>();
  private disposed = false;
  /**
   * One keep-alive agent pair for all the pool's clients: clients of one endpoint (all
   * regions of an emulator, a region's EC2 and RDS calls of every profile) reuse each
   * other's connections instead of each opening its own.
   */
  private readonly agents = {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_HOST }),
  };

  constructor(readonly options: ClientPoolOptions = {}) {}

  get size(): number {
    return this.clients.size;
  }

  ec2(profile: string, region: string): Promise<EC2Client> {
    return this.client('ec2', profile, region) as Promise<EC2Client>;
  }

  rds(profile: string, region: string): Promise<RDSClient> {
    return this.client('rds', profile, region) as Promise<RDSClient>;
  }

  client(service: Service, profile: string, region: string): Promise<EC2Client | RDSClient> {
    if (this.disposed) throw new Error('The AWS client pool was disposed.');
    const key = [service, profile, region, this.options.endpointUrl ?? ''].join('|');
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(service, profile, region);
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  /** The credential provider for a profile: the environment's keys, or fromIni (static, SSO, assume-role, credential_process). */
  credentialsFor(profile: string): Promise<AwsCredentialIdentityProvider> {
    if (this.options.credentials) {
      const given = this.options.credentials;
      return Promise.resolve(typeof given === 'function' ? given : async () => given);
    }
    // The promise is cached, not the provider: clients of one profile created side by side
    // (EC2 and RDS, several regions) must share one provider, so an assume-role or SSO
    // profile fetches its credentials once.
    let provider = this.credentials.get(profile);
    if (!provider) {
      provider = this.createCredentials(profile);
      this.credentials.set(profile, provider);
    }
    return provider;
  }

  private async createCredentials(profile: string): Promise<AwsCredentialIdentityProvider> {
    const { fromEnv, fromIni } = await credentialProvidersSdk();
    const paths = sharedFilePaths(this.options.env);
    const raw: AwsCredentialIdentityProvider = profile === ENVIRONMENT_PROFILE
      ? ((this.options.env ?? process.env).AWS_ACCESS_KEY_ID
        ? fromEnv()
        : () => Promise.reject(new AwsError('no-credentials', 'No profile was named and AWS_ACCESS_KEY_ID is not set: name a profile (--profile) or export the keys.')))
      // No mfaCodeProvider: a profile that needs an MFA code fails instead of prompting.
      : fromIni({ profile, filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true });
    return memoize(async () => {
      try {
        return await raw();
      } catch (error) {
        throw toAwsError(error, { profile });
      }
    });
  }

  private async create(service: Service, profile: string, region: string): Promise<EC2Client | RDSClient> {
    // The SDK warns on Node 20 about *future* SDK releases; the bundled SDK is pinned, and the
    // warning would only land in users' terminals and output channels with nothing to act on.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const credentials = await this.credentialsFor(profile);
    const config = {
      region,
      credentials,
      maxAttempts: this.options.maxAttempts ?? 3,
      retryMode: this.options.retryMode ?? 'standard',
      requestHandler: this.agents,
      ...(this.options.endpointUrl ? { endpoint: this.options.endpointUrl } : {}),
    };
    const client = service === 'ec2'
      ? new (await ec2Sdk()).EC2Client(config)
      : new (await rdsSdk()).RDSClient(config);
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const counter = this.counter;
    const target = targetKey(profile, region);
    // Outermost step: once per send (per page), around the SDK's own retries.
    (client.middlewareStack as EC2Client['middlewareStack']).add(
      (next, context) => async (args) => {
        const action = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        counter.record(target, action);
        return withThrottleRetry(() => next(args), policy, { onRetry: () => { counter.retries++; } });
      },
      { step: 'initialize', name: 'auroraSgThrottleRetry', priority: 'high' },
    );
    return client;
  }

  /** Destroys every client (closing their sockets). The pool cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const clients = await Promise.allSettled([...this.clients.values()]);
    for (const result of clients) if (result.status === 'fulfilled') result.value.destroy();
    this.clients.clear();
    this.credentials.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
