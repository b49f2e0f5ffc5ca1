// The organizations of auroraSg.organizations, as the tree and Audit Organization use them: one
// client pool per organization profile (so each member role is assumed once, whatever the tree
// expands or the audit reads, and refreshed before it expires), the accounts listed once until a
// refresh, each account's regions once, and what the last audit said about each account.

import type * as vscode from 'vscode';
import type { ClientPool, OrgAccountStatus, OrgProgress, OrgResult } from '../aws';
import type { Inventory } from '../model/types';
import { roleOfKey } from '../aws/credentialsKey';
import { loadAwsLayer } from './awsLayer';
import type { Log } from './log';
import type { ExtensionSettings, OrganizationSetting } from './settings';

export interface AccountListing {
  accounts: OrgAccountStatus[];
  /** The listing itself failed (the profile cannot list the organization): why. */
  error?: string;
}

/** One configured organization. */
export class OrgSession {
  private listing: Promise<AccountListing> | undefined;
  private readonly regions = new Map<string, Promise<string[]>>();
  /** Accounts the last audit (or region listing) could not read: why. */
  readonly failures = new Map<string, string>();
  private home: string | undefined;
  /** The accounts of the last listing, once it is in (the organization node's description). */
  known: OrgAccountStatus[] | undefined;
  /** What the last Audit Organization found of each account (Export Report carries it). */
  lastAudit: Pick<OrgResult, 'accounts' | 'errors'> | undefined;

  constructor(readonly setting: OrganizationSetting, private readonly owner: OrgSessions) {}

  get id(): string {
    return `organization:${this.setting.profile}:${JSON.stringify([this.setting.organizationalUnits, this.setting.accounts, this.setting.excludeAccounts, this.setting.roleArns])}`;
  }

  private source() {
    const s = this.setting;
    return {
      profile: s.profile, ous: s.organizationalUnits, accounts: s.accounts, excludeAccounts: s.excludeAccounts, roleArns: s.roleArns,
      ...(s.memberRole ? { memberRole: s.memberRole } : {}), ...(s.externalId ? { externalId: s.externalId } : {}),
    };
  }

  /** The accounts, listed once (Organizations is slow and throttles), until a refresh. */
  accounts(): Promise<AccountListing> {
    this.listing ??= (async () => {
      const aws = await loadAwsLayer();
      const listed = await aws.listOrganization({ ...this.source(), pool: await this.owner.pool(this.setting.profile) });
      this.home = listed.home;
      this.known = listed.accounts;
      const fatal = listed.errors.find((e) => !e.accountId);
      return { accounts: listed.accounts, ...(fatal ? { error: fatal.message } : {}) };
    })();
    this.listing.catch(() => { this.listing = undefined; });
    return this.listing;
  }

  /** The regions of one account: the setting's, else auroraSg.regions, else the account's enabled ones. Assumes its role. */
  regionsOf(account: OrgAccountStatus): Promise<string[]> {
    let regions = this.regions.get(account.id);
    if (!regions) {
      regions = (async () => {
        const aws = await loadAwsLayer();
        const asked = this.setting.regions.length ? this.setting.regions : this.owner.settings().regions.length ? this.owner.settings().regions : 'all';
        try {
          const found = await aws.accountRegions(await this.owner.pool(this.setting.profile), account, asked, this.home ?? 'us-east-1');
          this.failures.delete(account.id);
          return found;
        } catch (error) {
          const message = aws.toAwsError(error, { profile: account.credentials }).message;
          this.failures.set(account.id, message);
          throw new Error(message);
        }
      })();
      // A failure is kept too: the view asks again on every redraw, and STS must not be asked each time. A retry resets it.
      this.regions.set(account.id, regions);
      regions.catch(() => undefined);
    }
    return regions;
  }

  /** Forgets one account's regions and failure (its retry), or everything (a refresh of the organization). */
  reset(accountId?: string): void {
    if (accountId) {
      this.regions.delete(accountId);
      this.failures.delete(accountId);
      return;
    }
    this.listing = undefined;
    this.known = undefined;
    this.lastAudit = undefined;
    this.regions.clear();
    this.failures.clear();
  }

  /** Audits every account: each target goes to `onTarget` as it lands; failed accounts are remembered for the tree. */
  async audit(options: { signal?: AbortSignal; onProgress?: (p: OrgProgress) => void; onTarget?: (account: OrgAccountStatus, inventory: Inventory) => void }): Promise<OrgResult> {
    const aws = await loadAwsLayer();
    const settings = this.owner.settings();
    const regions = this.setting.regions.length ? this.setting.regions : settings.regions.length ? settings.regions : 'all';
    const result = await aws.loadOrganization({
      ...this.source(), regions, pool: await this.owner.pool(this.setting.profile),
      ...(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {}),
      ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.onTarget ? { onTarget: options.onTarget } : {}),
    });
    this.failures.clear();
    for (const account of result.accounts) {
      if (account.outcome === 'failed' || account.outcome === 'partial') {
        const errors = result.errors.filter((e) => e.accountId === account.id).map((e) => (e.region ? `${e.region}: ${e.message}` : e.message));
        this.failures.set(account.id, errors.join('\n') || account.reason || 'could not be read');
      }
      if (account.regions.length && account.outcome !== 'partial') this.regions.set(account.id, Promise.resolve(account.regions));
    }
    const fatal = result.errors.find((e) => !e.accountId);
    this.known = result.accounts;
    this.lastAudit = { accounts: result.accounts, errors: result.errors };
    this.listing = Promise.resolve({ accounts: result.accounts, ...(fatal ? { error: fatal.message } : {}) });
    return result;
  }
}

export class OrgSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, OrgSession>();
  /** One pool per organization profile and endpoint: a member role is assumed once for all its uses. */
  private readonly pools = new Map<string, Promise<ClientPool>>();

  constructor(readonly settings: () => ExtensionSettings, private readonly log: Log) {}

  /** The sessions of the configured organizations, kept across calls while the settings stay. */
  all(): OrgSession[] {
    const wanted = this.settings().organizations;
    const live = new Set<string>();
    const out = wanted.map((setting) => {
      const probe = new OrgSession(setting, this);
      live.add(probe.id);
      let session = this.sessions.get(probe.id);
      if (!session) { session = probe; this.sessions.set(probe.id, session); }
      return session;
    });
    for (const id of [...this.sessions.keys()]) if (!live.has(id)) this.sessions.delete(id);
    return out;
  }

  find(profile: string): OrgSession | undefined {
    return this.all().find((s) => s.setting.profile === profile);
  }

  async pool(profile: string): Promise<ClientPool> {
    const endpointUrl = this.settings().endpointUrl;
    const key = `${profile}|${endpointUrl ?? ''}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = loadAwsLayer().then((aws) => new aws.ClientPool({ ...(endpointUrl ? { endpointUrl } : {}) }));
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** One region of a member account (a role credentials key), through its organization's pool. */
  async loadTarget(key: string, region: string, signal?: AbortSignal): Promise<Inventory> {
    const role = roleOfKey(key);
    if (!role) throw new Error('Not a member account of an organization.');
    const aws = await loadAwsLayer();
    const started = Date.now();
    const pool = await this.pool(role.source);
    const before = pool.counter.total;
    const { inventory } = await aws.loadAccountTarget(pool, { id: role.accountId, credentials: key, ...(role.accountName ? { name: role.accountName } : {}) }, region, signal ? { signal } : {});
    this.log.info(`Loaded ${inventory.target.label}: ${pool.counter.total - before} API calls in ${Date.now() - started} ms.`);
    return inventory;
  }

  /** Drops every listing, region and credential (a full refresh, a change of endpoint or organizations). */
  reset(): void {
    for (const session of this.sessions.values()) session.reset();
    this.sessions.clear();
    const pools = [...this.pools.values()];
    this.pools.clear();
    for (const pool of pools) void pool.then((p) => p.dispose(), () => undefined);
  }

  dispose(): void {
    this.reset();
  }
}
