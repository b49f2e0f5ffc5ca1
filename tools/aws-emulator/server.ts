// The HTTP side: reads a request, works out who sent it (the access key: a session the emulator
// issued acts in its role's account), routes it to EC2, RDS or STS (query protocols, by the SigV4
// credential scope) or to Organizations (JSON 1.1, by X-Amz-Target), injects latency and
// throttling, counts calls, answers in AWS's XML or JSON. Signatures are not checked.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EC2_HANDLERS, type Handler } from './ec2';
import { AwsError, dryRunOperation, throttled } from './errors';
import { hostCredentials } from './hostCredentials';
import { type Caller, Identities } from './identity';
import type { OrgAccount, Organization } from './organization';
import { ORGANIZATIONS_HANDLERS, ORGANIZATIONS_TARGET_PREFIX, renderJsonError } from './organizations';
import { RDS_HANDLERS } from './rds';
import { type Seed, DEFAULT_ACCOUNT, DEFAULT_REGION, stateFromSeed } from './seed';
import { snapshotRegion } from './snapshot';
import { type Json, type RegionState, emptyRegionState } from './state';
import { SSO_CREDENTIALS_PATH, SSO_OIDC_TOKEN_PATH, createToken, getRoleCredentials } from './sso';
import { STS_HANDLERS, assumedAccountOf } from './sts';
import { API_VERSION, type Service, UnknownParameterError, operationSchema, parseInput, renderError, renderResponse } from './wire';
import { prng } from '../prng';

/** The regions of the standard partition enabled in every account (no opt-in needed). */
export const DEFAULT_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1',
  'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

/** `host`: the instance metadata service and the container credentials endpoint. */
export type CallService = Service | 'organizations' | 'sso' | 'host';

export interface Call {
  service: CallService;
  action: string;
  region: string;
  /** The account the call acted in (for AssumeRole: the role's account). */
  account: string;
  /** 'ok', or the error code the call was answered with. */
  outcome: string;
}

export interface EmulatorSettings {
  seed?: Seed;
  seedRegions: string[];
  regions: string[];
  failRegions: string[];
  latencyMs: number;
  throttleRate: number;
  pageSize: number;
  randomSeed: number;
  organization?: Organization;
  /** Caps the life of every session AssumeRole issues (seconds). */
  sessionSeconds?: number;
}


const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const ACCESS_KEY = /(?:^|Credential=)([A-Z0-9]{16,128})\//;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class Emulator {
  /** Per "account/region". */
  private readonly states = new Map<string, RegionState>();
  private log: Call[] = [];
  private random: () => number;
  readonly identities: Identities;

  constructor(readonly settings: EmulatorSettings) {
    this.random = prng(settings.randomSeed);
    this.identities = new Identities(() => this.defaultAccount);
    this.reset();
  }

  get defaultRegion(): string {
    return this.settings.seed?.region ?? DEFAULT_REGION;
  }

  /** The account of keys the emulator did not issue: the organization's management account, else the seed's. */
  get defaultAccount(): string {
    return this.settings.organization?.managementAccountId ?? this.settings.seed?.accountId ?? DEFAULT_ACCOUNT;
  }

  /** Back to the seeded state; forgets the calls and the sessions; replays the same throttling sequence. */
  reset(): void {
    this.states.clear();
    this.log = [];
    this.identities.reset();
    this.random = prng(this.settings.randomSeed);
    const seed = this.settings.seed;
    if (seed) {
      for (const region of new Set([seed.region, ...this.settings.seedRegions])) this.states.set(`${seed.accountId}/${region}`, stateFromSeed(seed, region));
    }
    for (const account of this.settings.organization?.accounts ?? []) {
      if (!account.seed) continue;
      const regions = account.seedRegions.length ? account.seedRegions : [account.seed.region];
      for (const region of regions) this.states.set(`${account.id}/${region}`, stateFromSeed(account.seed, region, account.id));
    }
  }

  regionState(region: string, accountId = this.defaultAccount): RegionState {
    const key = `${accountId}/${region}`;
    let state = this.states.get(key);
    if (!state) {
      state = emptyRegionState(region, accountId);
      this.states.set(key, state);
    }
    return state;
  }

  calls(): Call[] {
    return this.log.map((c) => ({ ...c }));
  }

  private account(id: string): OrgAccount | undefined {
    return this.settings.organization?.accounts.find((a) => a.id === id);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    if (url.pathname.startsWith('/_emulator/')) {
      this.handleAdmin(request.method ?? 'GET', url, response);
      return;
    }
    const host = hostCredentials(request.method ?? 'GET', url.pathname, request.headers as Record<string, string | undefined>, this.identities, this.defaultAccount);
    if (host) {
      this.log.push({ service: 'host', action: url.pathname.startsWith('/latest/') ? 'InstanceMetadata' : 'ContainerCredentials', region: this.defaultRegion, account: this.defaultAccount, outcome: host.status === 200 ? 'ok' : String(host.status) });
      response.writeHead(host.status, { 'content-type': host.contentType });
      response.end(host.body);
      return;
    }
    if ((request.method === 'GET' && url.pathname === SSO_CREDENTIALS_PATH) || (request.method === 'POST' && url.pathname === SSO_OIDC_TOKEN_PATH)) {
      await this.handleSso(request, url, response);
      return;
    }
    const target = header(request, 'x-amz-target');
    if (target?.startsWith(ORGANIZATIONS_TARGET_PREFIX)) {
      await this.handleOrganizations(request, target.slice(ORGANIZATIONS_TARGET_PREFIX.length), body, response);
      return;
    }
    const params = new URLSearchParams(body);
    for (const [key, value] of url.searchParams) if (!params.has(key)) params.append(key, value);

    const authorization = String(header(request, 'authorization') ?? params.get('X-Amz-Credential') ?? '');
    const scope = CREDENTIAL_SCOPE.exec(authorization);
    const version = params.get('Version');
    const scopedService = scope?.[2];
    const service: Service = scopedService === 'ec2' || scopedService === 'rds' || scopedService === 'sts'
      ? scopedService
      : version === API_VERSION.rds ? 'rds' : version === API_VERSION.sts ? 'sts' : 'ec2';
    const region = scope?.[1] ?? this.defaultRegion;
    const action = params.get('Action') ?? '';
    const requestId = randomUUID();

    const call: Call = { service, action, region, account: this.defaultAccount, outcome: 'ok' };
    this.log.push(call);
    try {
      if (this.settings.latencyMs > 0) await new Promise((r) => setTimeout(r, this.settings.latencyMs));
      if (this.settings.throttleRate > 0 && this.random() < this.settings.throttleRate) throw throttled(service);
      const caller = this.identities.resolve(ACCESS_KEY.exec(authorization)?.[1], header(request, 'x-amz-security-token') ?? params.get('X-Amz-Security-Token') ?? undefined, false);
      call.account = service === 'sts' && action === 'AssumeRole' ? assumedAccountOf(params) ?? caller.accountId : caller.accountId;
      const xml = this.dispatch(service, action, region, params, requestId, caller);
      response.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
      response.end(xml);
    } catch (error) {
      const failure = error instanceof AwsError
        ? error
        : new AwsError(service === 'ec2' ? 'InternalError' : 'InternalFailure', `The emulator failed: ${(error as Error).message}`, 500, 'Receiver');
      if (!(error instanceof AwsError)) console.error(error);
      call.outcome = failure.code;
      response.writeHead(failure.status, { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId });
      response.end(renderError(service, failure.code, failure.message, requestId, failure.type));
    }
  }

  private async handleOrganizations(request: IncomingMessage, action: string, body: string, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const call: Call = { service: 'organizations', action, region: 'us-east-1', account: this.defaultAccount, outcome: 'ok' };
    this.log.push(call);
    const contentType = 'application/x-amz-json-1.1';
    try {
      if (this.settings.latencyMs > 0) await new Promise((r) => setTimeout(r, this.settings.latencyMs));
      if (this.settings.throttleRate > 0 && this.random() < this.settings.throttleRate) throw new AwsError('TooManyRequestsException', 'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.', 400);
      const authorization = String(header(request, 'authorization') ?? '');
      const caller = this.identities.resolve(ACCESS_KEY.exec(authorization)?.[1], header(request, 'x-amz-security-token'), true);
      call.account = caller.accountId;
      const handler = ORGANIZATIONS_HANDLERS[action];
      if (!handler) throw new AwsError('UnknownOperationException', `The action ${action} is not valid for this web service (the emulator answers: ${Object.keys(ORGANIZATIONS_HANDLERS).join(', ')}).`, 400);
      let input: Json;
      try {
        input = body ? JSON.parse(body) as Json : {};
      } catch {
        throw new AwsError('SerializationException', 'The request body is not valid JSON.', 400);
      }
      const output = handler(input, { caller, organization: this.settings.organization, pageSize: this.settings.pageSize });
      response.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': requestId });
      response.end(JSON.stringify(output));
    } catch (error) {
      const failure = error instanceof AwsError ? error : new AwsError('ServiceException', `The emulator failed: ${(error as Error).message}`, 500);
      if (!(error instanceof AwsError)) console.error(error);
      call.outcome = failure.code;
      response.writeHead(failure.status, { 'content-type': contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': failure.code });
      response.end(renderJsonError(failure.code, failure.message));
    }
  }

  /** The SSO portal and SSO OIDC (REST-JSON): the error code travels in x-amzn-errortype, the body holds the message. */
  private async handleSso(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const refresh = url.pathname === SSO_OIDC_TOKEN_PATH;
    const call: Call = { service: 'sso', action: refresh ? 'CreateToken' : 'GetRoleCredentials', region: this.defaultRegion, account: url.searchParams.get('account_id') ?? '', outcome: 'ok' };
    this.log.push(call);
    try {
      if (this.settings.latencyMs > 0) await new Promise((r) => setTimeout(r, this.settings.latencyMs));
      if (refresh) createToken();
      const output = getRoleCredentials(url.searchParams, header(request, 'x-amz-sso_bearer_token'), {
        identities: this.identities, defaultAccount: this.defaultAccount,
        ...(this.settings.organization ? { organization: this.settings.organization } : {}),
        ...(this.settings.sessionSeconds !== undefined ? { sessionSeconds: this.settings.sessionSeconds } : {}),
      });
      response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
      response.end(JSON.stringify(output));
    } catch (error) {
      const failure = error instanceof AwsError ? error : new AwsError('InternalServerException', `The emulator failed: ${(error as Error).message}`, 500);
      call.outcome = failure.code;
      response.writeHead(failure.status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': failure.code });
      response.end(JSON.stringify({ message: failure.message }));
    }
  }

  private dispatch(service: Service, action: string, region: string, params: URLSearchParams, requestId: string, caller: Caller): string {
    if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action');
    const handlers: Record<string, unknown> = service === 'ec2' ? EC2_HANDLERS : service === 'rds' ? RDS_HANDLERS : STS_HANDLERS;
    const schema = operationSchema(service, action);
    if (!handlers[action] || !schema) {
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service (the emulator answers: ${Object.keys(handlers).join(', ')}).`);
    }
    const account = this.account(caller.accountId);
    const disabled = service !== 'sts' && account?.regions !== undefined && !account.regions.includes(region);
    if (this.settings.failRegions.includes(region) || disabled) {
      // What AWS answers in a region the account has not enabled (or one that fails for the test).
      throw service === 'ec2'
        ? new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401)
        : new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
    if (account?.deniedActions.has(`${service}:${action}`)) {
      throw service === 'ec2'
        ? new AwsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)
        : new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: ${service}:${action} on resource: arn:aws:${service}:${region}:${caller.accountId}:* because no identity-based policy allows the ${service}:${action} action`, 403);
    }
    let input: Json;
    try {
      input = parseInput(service, schema.input, params);
    } catch (error) {
      if (error instanceof UnknownParameterError) throw new AwsError('UnknownParameter', error.message);
      throw error;
    }
    if (service === 'sts') {
      const output = STS_HANDLERS[action](input, {
        caller, identities: this.identities,
        ...(this.settings.organization ? { organization: this.settings.organization } : {}),
        ...(this.settings.sessionSeconds !== undefined ? { sessionSeconds: this.settings.sessionSeconds } : {}),
      });
      return renderResponse(service, action, schema.output, output, requestId);
    }
    const handler = handlers[action] as Handler;
    const ctx = { pageSize: this.settings.pageSize, regions: account?.regions ?? this.settings.regions };
    const state = this.regionState(region, caller.accountId);
    if (service === 'ec2' && input.DryRun === true) {
      // Validate on a copy, so that a dry run reports the same errors and changes nothing.
      const { DryRun: _dryRun, ...rest } = input;
      handler(structuredClone(state), rest, ctx);
      throw dryRunOperation();
    }
    delete input.DryRun;
    const output = handler(state, input, ctx);
    return renderResponse(service, action, schema.output, output, requestId);
  }

  private handleAdmin(method: string, url: URL, response: ServerResponse): void {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body, null, 2));
    };
    if (method === 'GET' && url.pathname === '/_emulator/state') {
      const region = url.searchParams.get('region') ?? this.defaultRegion;
      const account = url.searchParams.get('account') ?? this.defaultAccount;
      send(200, snapshotRegion(this.regionState(region, account), { ruleIds: url.searchParams.get('ruleIds') !== 'false' }));
    } else if (method === 'GET' && url.pathname === '/_emulator/calls') {
      send(200, this.calls());
    } else if (method === 'POST' && url.pathname === '/_emulator/reset') {
      this.reset();
      send(200, { reset: true });
    } else {
      send(404, { error: `unknown emulator endpoint ${method} ${url.pathname}` });
    }
  }
}
