// The loopback AWS emulator: EC2 (security groups, network, prefix lists, regions) and RDS
// (clusters, instances, subnet groups) over their query protocols, seeded from an evidence
// folder; and for organizations, STS (AssumeRole, GetCallerIdentity) and Organizations, with
// one state per member account, each seeded from its own evidence folder. A test and demo
// tool; it never ships.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOrganization, type OrganizationFile } from './organization';
import { loadSeed } from './seed';
import { type Call, DEFAULT_REGIONS, Emulator } from './server';
import { type RegionSnapshot, snapshotRegion } from './snapshot';

export type { Call } from './server';
export type { RegionSnapshot } from './snapshot';
export type { AccountFile, OrganizationFile, RoleSeed } from './organization';
export { DEFAULT_MEMBER_ROLE } from './organization';
export { DEFAULT_REGIONS } from './server';

export interface EmulatorOptions {
  /** An evidence folder (AWS CLI JSON files). Without one every region starts empty. */
  seedDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added to every API call. */
  latencyMs?: number;
  /** 0..1: share of API calls answered with RequestLimitExceeded (EC2) or Throttling (RDS). */
  throttleRate?: number;
  /** Largest page any describe call returns (default 5), so clients must paginate. */
  pageSize?: number;
  /** The regions DescribeRegions reports (default: the 17 regions enabled in every account). */
  regions?: string[];
  /** Regions that get a copy of the seed besides the seed's own (ARNs and zones renamed). */
  seedRegions?: string[];
  /** Regions whose every call fails with AuthFailure / InvalidClientTokenId (a disabled or denied region). */
  failRegions?: string[];
  /** Seeds the PRNG behind throttling (default 1). */
  randomSeed?: number;
  /**
   * An organization: an organization.json file, or its content (evidence folders relative to
   * `organizationDir`, default the working folder). Keys the emulator did not issue then act as
   * the management account.
   */
  organization?: string | OrganizationFile;
  organizationDir?: string;
  /** Caps the life of every AssumeRole session, in seconds (to test refreshing before expiry). */
  sessionSeconds?: number;
}

export interface EmulatorHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
  /** API calls answered so far (throttled and failed ones included). */
  callCount(): number;
  calls(): Call[];
  /** Restores the seeded state, forgets the calls, restarts the throttling sequence. */
  reset(): void;
  /** The region's state (of `account`, default: the default account), normalised (sorted) for comparisons. */
  state(region?: string, options?: { ruleIds?: boolean; account?: string }): RegionSnapshot;
  /** The region the seed came from (its clusters' ARNs), or eu-west-1. */
  region: string;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const throttleRate = options.throttleRate ?? 0;
  if (!(throttleRate >= 0 && throttleRate <= 1)) throw new Error(`throttleRate must be between 0 and 1, not ${throttleRate}`);
  const pageSize = options.pageSize ?? 5;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be a positive integer, not ${pageSize}`);
  const emulator = new Emulator({
    seed: options.seedDir ? loadSeed(options.seedDir) : undefined,
    seedRegions: options.seedRegions ?? [],
    regions: options.regions ?? DEFAULT_REGIONS,
    failRegions: options.failRegions ?? [],
    latencyMs: options.latencyMs ?? 0,
    throttleRate,
    pageSize,
    randomSeed: options.randomSeed ?? 1,
    ...(options.organization ? { organization: loadOrganization(options.organization, options.organizationDir) } : {}),
    ...(options.sessionSeconds !== undefined ? { sessionSeconds: options.sessionSeconds } : {}),
  });
  const server = createServer((request, response) => {
    emulator.handle(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  // Many clients with keep-alive must not hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    region: emulator.defaultRegion,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
    callCount: () => emulator.calls().length,
    calls: () => emulator.calls(),
    reset: () => emulator.reset(),
    state: (region = emulator.defaultRegion, { account, ...snapshotOptions } = {}) => structuredClone(snapshotRegion(emulator.regionState(region, account), snapshotOptions)),
  };
}
