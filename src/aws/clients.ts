// One SDK client per (service, credentials key, region, endpoint), created on first use and
// destroyed on dispose. The SDK modules are imported here, lazily, so nothing pays for
// them until the first live call. Every request goes through the pool's bounds (throughput.ts)
// and our throttling retry; a member account's role is assumed once per account, chained from
// the organization profile, and refreshed before it expires (credentials.ts).

import * as http from 'node:http';
import * as https from 'node:https';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, FinalizeHandler, MetadataBearer } from '@smithy/types';
import { ROLE_SESSION_SECONDS, stsRegionOf } from '../model/roles';
import { shareCredentials, type SharedProvider } from './credentials';
import { roleOfKey, type RoleKey } from './credentialsKey';
import { environmentProvider } from './environmentCredentials';
import { AwsError, awsErrorCode, toAwsError } from './errors';
import { ENVIRONMENT_PROFILE, sharedFilePaths } from './profiles';
import { DEFAULT_RETRY_POLICY, withThrottleRetry, type RetryPolicy } from './retry';
import { credentialProvidersSdk, ec2Sdk, organizationsSdk, rdsSdk, stsSdk } from './sdk';
import { DEFAULT_LIMITS, RequestLimiter, type RequestLimits } from './throughput';

export type Service = 'ec2' | 'rds' | 'sts' | 'organizations';

type AnyClient = EC2Client | RDSClient | STSClient | OrganizationsClient;

/** Per host: the SDK's own default is 50 per client; a pool shares one agent among all its clients. */
const MAX_SOCKETS_PER_HOST = 512;

/** AWS's answers to a request signed with a session that has just expired. */
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);

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
  /** Credentials to use instead of the profile's (tests); a role is then assumed from these. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Bounds on requests in flight (defaults: DEFAULT_LIMITS). */
  limits?: Partial<RequestLimits>;
}

/** The pool options a request carries (a live load, a run, a collect); absent fields keep the pool's defaults. */
export function poolOptionsOf(request: Pick<ClientPoolOptions, 'endpointUrl' | 'env' | 'maxAttempts' | 'retry' | 'limits'>): ClientPoolOptions {
  const options: ClientPoolOptions = {};
  if (request.endpointUrl) options.endpointUrl = request.endpointUrl;
  if (request.env) options.env = request.env;
  if (request.maxAttempts) options.maxAttempts = request.maxAttempts;
  if (request.retry) options.retry = request.retry;
  if (request.limits) options.limits = request.limits;
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

export class ClientPool {
  readonly counter = new CallCounter();
  readonly limiter: RequestLimiter;
  private readonly clients = new Map<string, Promise<AnyClient>>();
  private readonly credentials = new Map<string, Promise<SharedProvider>>();
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

  constructor(readonly options: ClientPoolOptions = {}) {
    this.limiter = new RequestLimiter({ ...DEFAULT_LIMITS, ...options.limits });
  }

  get size(): number {
    return this.clients.size;
  }

  ec2(profile: string, region: string): Promise<EC2Client> {
    return this.client('ec2', profile, region) as Promise<EC2Client>;
  }

  rds(profile: string, region: string): Promise<RDSClient> {
    return this.client('rds', profile, region) as Promise<RDSClient>;
  }

  sts(profile: string, region: string): Promise<STSClient> {
    return this.client('sts', profile, region) as Promise<STSClient>;
  }

  /** Organizations has one endpoint per partition; its calls are signed for us-east-1 in the commercial one. */
  organizations(profile: string, region = 'us-east-1'): Promise<OrganizationsClient> {
    return this.client('organizations', profile, region) as Promise<OrganizationsClient>;
  }

  client(service: Service, profile: string, region: string): Promise<AnyClient> {
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

  /**
   * Forgets the clients of one target (credentials key and region), once it is read: an
   * organization has thousands of targets, and each SDK client holds tens of kilobytes. Nothing
   * is destroyed (their sockets belong to the pool's shared agents); a later call creates anew.
   */
  release(profile: string, region: string): void {
    for (const service of ['ec2', 'rds'] as const) this.clients.delete([service, profile, region, this.options.endpointUrl ?? ''].join('|'));
  }

  /**
   * The credential provider for a credentials key: the environment's keys, a profile (fromIni:
   * static, SSO, assume-role, credential_process), or a member account's role. The promise is
   * cached, not the provider: clients of one key created side by side (EC2 and RDS, several
   * regions) must share one provider, so a role is assumed once per account.
   */
  credentialsFor(profile: string): Promise<SharedProvider> {
    let provider = this.credentials.get(profile);
    if (!provider) {
      provider = this.createCredentials(profile);
      this.credentials.set(profile, provider);
      provider.catch(() => this.credentials.delete(profile));
    }
    return provider;
  }

  /** How many times a key's credentials were fetched (for a role: AssumeRole calls that were answered). */
  async credentialFetches(profile: string): Promise<number> {
    const provider = this.credentials.get(profile);
    return provider ? (await provider).fetches : 0;
  }

  private async createCredentials(profile: string): Promise<SharedProvider> {
    const role = roleOfKey(profile);
    if (role) return this.roleCredentials(profile, role);
    if (this.options.credentials) {
      const given = this.options.credentials;
      return shareCredentials(typeof given === 'function' ? given : async () => given);
    }
    const sdk = await credentialProvidersSdk();
    const paths = sharedFilePaths(this.options.env);
    const raw: AwsCredentialIdentityProvider = profile === ENVIRONMENT_PROFILE
      ? environmentProvider(sdk, this.options.env ?? process.env, paths, this.options.endpointUrl)
      // No mfaCodeProvider: a profile that needs an MFA code fails instead of prompting. The inner
      // STS and SSO clients of a role or SSO profile go to the endpoint every other client goes to.
      : sdk.fromIni({
        profile, filepath: paths.credentialsFile, configFilepath: paths.configFile, ignoreCache: true,
        ...(this.options.endpointUrl ? { clientConfig: { endpoint: this.options.endpointUrl } } : {}),
      });
    return shareCredentials(async () => {
      try {
        return await raw();
      } catch (error) {
        throw toAwsError(error, { profile });
      }
    });
  }

  /**
   * A member account's role, assumed with fromTemporaryCredentials from its source's (shared)
   * provider: one AssumeRole per account, bounded with the other STS calls, retried on
   * throttling, counted as sts:AssumeRole, and fetched again shortly before the session ends.
   */
  private async roleCredentials(key: string, role: RoleKey): Promise<SharedProvider> {
    const { fromTemporaryCredentials } = await credentialProvidersSdk();
    const source = await this.credentialsFor(role.source);
    const region = stsRegionOf(role.roleArn);
    const assume = fromTemporaryCredentials({
      masterCredentials: source,
      params: {
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: ROLE_SESSION_SECONDS,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      },
      clientConfig: {
        region,
        maxAttempts: this.options.maxAttempts ?? 3,
        requestHandler: this.agents,
        ...(this.options.endpointUrl ? { endpoint: this.options.endpointUrl } : {}),
      },
    });
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    return shareCredentials(async () => {
      this.counter.record(targetKey(key, region), 'sts:AssumeRole');
      try {
        return await withThrottleRetry(() => this.limiter.service('sts', () => assume()), policy, { onRetry: () => { this.counter.retries++; } });
      } catch (error) {
        throw assumeRoleError(error, role);
      }
    });
  }

  private async create(service: Service, profile: string, region: string): Promise<AnyClient> {
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
    const client: AnyClient = service === 'ec2' ? new (await ec2Sdk()).EC2Client(config)
      : service === 'rds' ? new (await rdsSdk()).RDSClient(config)
        : service === 'sts' ? new (await stsSdk()).STSClient(config)
          : new (await organizationsSdk()).OrganizationsClient(config);
    const policy = this.options.retry ?? DEFAULT_RETRY_POLICY;
    const { counter, limiter } = this;
    const target = targetKey(profile, region);
    const stack = client.middlewareStack as EC2Client['middlewareStack'];
    // Outermost step: once per send (per page), around the SDK's own retries. A session that
    // expired between signing and AWS reading the request is fetched anew and the call sent again, once.
    stack.add(
      (next, context) => async (args) => {
        const action = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        counter.record(target, action);
        const send = () => withThrottleRetry(() => next(args), policy, { onRetry: () => { counter.retries++; } });
        try {
          return await send();
        } catch (error) {
          if (!EXPIRED.has(awsErrorCode(error) ?? '')) throw error;
          credentials.expire();
          counter.retries++;
          return send();
        }
      },
      { step: 'initialize', name: 'auroraSgThrottleRetry', priority: 'high' },
    );
    // Each attempt on the wire holds a slot, after the credentials are resolved and before it is
    // signed; never during a backoff. Organizations and STS are bounded on their own.
    const limited = (next: FinalizeHandler<object, MetadataBearer>): FinalizeHandler<object, MetadataBearer> => (args) => (service === 'ec2' || service === 'rds'
      ? limiter.request(target, () => next(args))
      : limiter.service(service, () => next(args)));
    stack.addRelativeTo(
      limited as Parameters<typeof stack.addRelativeTo>[0],
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'auroraSgRequestLimits' },
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

/** An AssumeRole that failed, as one message naming the account, the role and AWS's reason. */
function assumeRoleError(error: unknown, role: RoleKey): AwsError {
  if (error instanceof AwsError && error.code !== 'aws-error') {
    // The source's own failure (an expired SSO session of the organization profile) says what to do already.
    if (error.code === 'sso-expired' || error.code === 'no-credentials' || error.code === 'profile-broken') return error;
  }
  const mapped = toAwsError(error, { action: 'sts:AssumeRole' });
  if (mapped.code === 'cancelled' || mapped.code === 'unreachable' || mapped.code === 'throttled') return mapped;
  const raw = error instanceof Error ? error.message : String(error);
  const account = role.accountName ? `${role.accountName} (${role.accountId})` : role.accountId;
  const from = role.source === ENVIRONMENT_PROFILE ? 'the environment\'s credentials' : `profile ${role.source}`;
  const code = mapped.code === 'access-denied' ? 'role-denied' as const : mapped.code;
  return new AwsError(code, `Cannot assume role ${role.roleArn} in account ${account} from ${from}: ${raw}`, mapped.awsCode);
}
