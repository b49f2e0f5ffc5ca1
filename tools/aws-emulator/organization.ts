// An emulated AWS organization: its accounts (each with its own state per region, seeded from
// its own evidence folder), OUs, the roles each account can be assumed through, and which
// regions each account has enabled. Read from an `organization.json` file or given as an object.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { type Seed, SeedError, loadSeed } from './seed';

export const DEFAULT_MEMBER_ROLE = 'OrganizationAccountAccessRole';

/** A role of an account that the management account's principals may assume. */
export interface RoleSeed {
  Name: string;
  /** When set, AssumeRole must pass this ExternalId (the trust policy's sts:ExternalId condition). */
  ExternalId?: string;
}

/** One account of the organization file. */
export interface AccountFile {
  Id: string;
  Name: string;
  Email?: string;
  /** ACTIVE (default), SUSPENDED, PENDING_CLOSURE, CLOSED, PENDING_ACTIVATION; sent as State, and as the older Status where it has a value. */
  State?: string;
  /** The root or OU the account sits in (default: the root). */
  ParentId?: string;
  /** An evidence folder that seeds the account (relative to the organization file). */
  Evidence?: string;
  /** Regions that get a copy of the evidence (default: the evidence's own region). */
  SeedRegions?: string[];
  /** The regions enabled in the account (DescribeRegions); others answer as a disabled region does. Default: every region of the emulator. */
  Regions?: string[];
  /** Roles that can be assumed (names, or {Name, ExternalId}). Default: [OrganizationAccountAccessRole], except in the management account. */
  Roles?: (string | RoleSeed)[];
  /** Calls answered AccessDenied / UnauthorizedOperation in this account, e.g. "ec2:DescribeNetworkInterfaces". */
  DeniedActions?: string[];
}

export interface OrganizationFile {
  ManagementAccountId: string;
  /** Default o-aurorasgemu. */
  OrganizationId?: string;
  /** Default r-emu0. */
  RootId?: string;
  OrganizationalUnits?: { Id: string; Name: string; ParentId?: string }[];
  Accounts: AccountFile[];
}

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  state: string;
  parentId: string;
  seed?: Seed;
  seedRegions: string[];
  regions?: string[];
  roles: RoleSeed[];
  deniedActions: Set<string>;
}

export interface OrgUnit { id: string; name: string; parentId: string }

export interface Organization {
  id: string;
  rootId: string;
  managementAccountId: string;
  units: OrgUnit[];
  /** In the file's order; the management account first when the file does not list it. */
  accounts: OrgAccount[];
}

const ACCOUNT_ID = /^\d{12}$/;
const STATES = new Set(['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'PENDING_ACTIVATION']);

/** Reads an organization.json (or checks an object); evidence folders are read relative to `baseDir`. */
export function loadOrganization(source: string | OrganizationFile, baseDir?: string): Organization {
  let file: OrganizationFile;
  let base = baseDir ?? process.cwd();
  const where = typeof source === 'string' ? source : 'the organization';
  if (typeof source === 'string') {
    if (!existsSync(source)) throw new SeedError(`${source}: organization file not found`);
    try {
      file = JSON.parse(readFileSync(source, 'utf8')) as OrganizationFile;
    } catch (error) {
      throw new SeedError(`${source}: not valid JSON (${(error as Error).message})`);
    }
    base = baseDir ?? dirname(source);
  } else {
    file = source;
  }
  if (!file || typeof file !== 'object' || !ACCOUNT_ID.test(String(file.ManagementAccountId)) || !Array.isArray(file.Accounts)) {
    throw new SeedError(`${where}: expected {"ManagementAccountId": "<12 digits>", "Accounts": [...]}`);
  }
  const rootId = file.RootId ?? 'r-emu0';
  const units = (file.OrganizationalUnits ?? []).map((u, i) => {
    if (!u || typeof u.Id !== 'string' || !/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/.test(u.Id) || typeof u.Name !== 'string') {
      throw new SeedError(`${where}: OrganizationalUnits[${i}] needs an Id like ou-ab12-cd34ef56 and a Name`);
    }
    return { id: u.Id, name: u.Name, parentId: u.ParentId ?? rootId };
  });
  const parents = new Set([rootId, ...units.map((u) => u.id)]);
  for (const unit of units) if (!parents.has(unit.parentId)) throw new SeedError(`${where}: OU ${unit.id} names an unknown parent ${unit.parentId}`);

  // Many accounts may share one evidence folder (the benchmark's organization): read it once.
  const seeds = new Map<string, Seed>();
  const seedOf = (dir: string): Seed => {
    const path = isAbsolute(dir) ? dir : join(base, dir);
    let seed = seeds.get(path);
    if (!seed) { seed = loadSeed(path); seeds.set(path, seed); }
    return seed;
  };
  const accounts = file.Accounts.map((a, i): OrgAccount => {
    if (!a || !ACCOUNT_ID.test(String(a.Id)) || typeof a.Name !== 'string') throw new SeedError(`${where}: Accounts[${i}] needs a 12-digit Id and a Name`);
    const state = a.State ?? 'ACTIVE';
    if (!STATES.has(state)) throw new SeedError(`${where}: account ${a.Id} has an unknown State ${JSON.stringify(state)}`);
    const parentId = a.ParentId ?? rootId;
    if (!parents.has(parentId)) throw new SeedError(`${where}: account ${a.Id} names an unknown parent ${parentId}`);
    const isManagement = a.Id === file.ManagementAccountId;
    const roles = (a.Roles ?? (isManagement ? [] : [DEFAULT_MEMBER_ROLE])).map((r) => (typeof r === 'string' ? { Name: r } : r));
    const account: OrgAccount = {
      id: a.Id, name: a.Name, email: a.Email ?? `aws+${a.Id}@example.com`, state, parentId,
      seedRegions: a.SeedRegions ?? [], roles, deniedActions: new Set(a.DeniedActions ?? []),
    };
    if (a.Regions) account.regions = a.Regions;
    if (a.Evidence) account.seed = seedOf(a.Evidence);
    return account;
  });
  const ids = new Set<string>();
  for (const account of accounts) {
    if (ids.has(account.id)) throw new SeedError(`${where}: account ${account.id} is listed twice`);
    ids.add(account.id);
  }
  if (!ids.has(file.ManagementAccountId)) {
    accounts.unshift({
      id: file.ManagementAccountId, name: 'management', email: `aws+${file.ManagementAccountId}@example.com`, state: 'ACTIVE',
      parentId: rootId, seedRegions: [], roles: [], deniedActions: new Set(),
    });
  }
  return { id: file.OrganizationId ?? 'o-aurorasgemu', rootId, managementAccountId: file.ManagementAccountId, units, accounts };
}
