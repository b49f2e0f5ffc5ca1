// The HTTP side: reads a query-protocol request, routes it to EC2 or RDS by the SigV4
// credential scope, injects latency and throttling, counts calls, answers in AWS's XML.
// Signatures are not checked: any credentials are accepted.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EC2_HANDLERS, type Handler } from './ec2';
import { AwsError, dryRunOperation, throttled } from './errors';
import { RDS_HANDLERS } from './rds';
import { type Seed, DEFAULT_ACCOUNT, DEFAULT_REGION, stateFromSeed } from './seed';
import { snapshotRegion } from './snapshot';
import { type Json, type RegionState, emptyRegionState } from './state';
import { API_VERSION, type Service, UnknownParameterError, operationSchema, parseInput, renderError, renderResponse } from './wire';
import { prng } from '../prng';

/** The regions of the standard partition enabled in every account (no opt-in needed). */
export const DEFAULT_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1',
  'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

export interface Call {
  service: Service;
  action: string;
  region: string;
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
}


const CREDENTIAL_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export class Emulator {
  private readonly states = new Map<string, RegionState>();
  private log: Call[] = [];
  private random: () => number;

  constructor(readonly settings: EmulatorSettings) {
    this.random = prng(settings.randomSeed);
    this.reset();
  }

  get defaultRegion(): string {
    return this.settings.seed?.region ?? DEFAULT_REGION;
  }

  /** Back to the seeded state; forgets the calls; replays the same throttling sequence. */
  reset(): void {
    this.states.clear();
    this.log = [];
    this.random = prng(this.settings.randomSeed);
    const seed = this.settings.seed;
    if (seed) for (const region of new Set([seed.region, ...this.settings.seedRegions])) this.states.set(region, stateFromSeed(seed, region));
  }

  regionState(region: string): RegionState {
    let state = this.states.get(region);
    if (!state) {
      state = emptyRegionState(region, this.settings.seed?.accountId ?? DEFAULT_ACCOUNT);
      this.states.set(region, state);
    }
    return state;
  }

  calls(): Call[] {
    return this.log.map((c) => ({ ...c }));
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    if (url.pathname.startsWith('/_emulator/')) {
      this.handleAdmin(request.method ?? 'GET', url, response);
      return;
    }
    const params = new URLSearchParams(body);
    for (const [key, value] of url.searchParams) if (!params.has(key)) params.append(key, value);

    const scope = CREDENTIAL_SCOPE.exec(String(request.headers.authorization ?? params.get('X-Amz-Credential') ?? ''));
    const version = params.get('Version');
    const scopedService = scope?.[2];
    const service: Service = scopedService === 'ec2' || scopedService === 'rds'
      ? scopedService
      : version === API_VERSION.rds ? 'rds' : 'ec2';
    const region = scope?.[1] ?? this.defaultRegion;
    const action = params.get('Action') ?? '';
    const requestId = randomUUID();

    const call: Call = { service, action, region, outcome: 'ok' };
    this.log.push(call);
    try {
      if (this.settings.latencyMs > 0) await new Promise((r) => setTimeout(r, this.settings.latencyMs));
      if (this.settings.throttleRate > 0 && this.random() < this.settings.throttleRate) throw throttled(service);
      const xml = this.dispatch(service, action, region, params, requestId);
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

  private dispatch(service: Service, action: string, region: string, params: URLSearchParams, requestId: string): string {
    if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action');
    const handler: Handler | undefined = (service === 'ec2' ? EC2_HANDLERS : RDS_HANDLERS)[action];
    const schema = operationSchema(service, action);
    if (!handler || !schema) {
      throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service (the emulator answers: ${Object.keys(service === 'ec2' ? EC2_HANDLERS : RDS_HANDLERS).join(', ')}).`);
    }
    if (this.settings.failRegions.includes(region)) {
      throw service === 'ec2'
        ? new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401)
        : new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
    let input: Json;
    try {
      input = parseInput(service, schema.input, params);
    } catch (error) {
      if (error instanceof UnknownParameterError) throw new AwsError('UnknownParameter', error.message);
      throw error;
    }
    const ctx = { pageSize: this.settings.pageSize, regions: this.settings.regions };
    const state = this.regionState(region);
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
      send(200, snapshotRegion(this.regionState(region), { ruleIds: url.searchParams.get('ruleIds') !== 'false' }));
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
