// Holds every inventory the extension shows (demo, evidence folders, live targets, IaC files),
// audited with the current settings. The tree, the virtual documents, the diagnostics and the
// commands all read from here, so a finding has one identity everywhere.

import * as vscode from 'vscode';
import type { Log } from './log';
import { auditInventory } from '../rules';
import { loadEvidenceFolder } from '../sources/evidence';
import type { Finding, Inventory } from '../model/types';
import { FindingIndex } from './core/findingIndex';
import type { LiveFailure } from './core/liveErrors';
import type { SourceDescriptor } from './core/sources';
export { descriptorFromId, evidenceDescriptor, liveDescriptor, sourceIds, type SourceDescriptor, type SourceKind } from './core/sources';
import { loadAwsLayer } from './awsLayer';
import { roleOfKey } from '../aws/credentialsKey';
import type { ExtensionSettings } from './settings';

export interface LoadedSource {
  descriptor: SourceDescriptor;
  inventory: Inventory;
  findings: Finding[];
  index: FindingIndex;
}

/** A live target failed; carries what AWS said so the tree can explain it (expired SSO, ...). */
export class LiveLoadError extends Error {
  constructor(readonly failure: LiveFailure) {
    super(failure.message);
    this.name = 'LiveLoadError';
  }
}

export class SourceStore implements vscode.Disposable {
  private readonly loaded = new Map<string, LoadedSource>();
  private readonly pending = new Map<string, Promise<LoadedSource>>();
  /**
   * Sources whose last fetch failed, with the error: asked again (the tree redraws on every
   * change), they answer it without calling AWS again, until a retry, a refresh or an audit.
   */
  private readonly failed = new Map<string, unknown>();
  /** Per source, the ticket of its newest load or put: only that one's answer is stored. */
  private readonly latest = new Map<string, number>();
  private ticket = 0;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /**
   * The live session: loads started under it are aborted when everything is dropped (a full
   * refresh, a change of endpoint or profiles), so a stale answer never lands.
   */
  private session = new AbortController();
  /** Fires with the source id that changed, or undefined when all did (settings, refresh all). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly settings: () => ExtensionSettings,
    private readonly log: Log,
    /** Reads one region of an organization's member account (its key is a role's), through the organization's pool. */
    private readonly memberTarget?: (key: string, region: string, signal: AbortSignal) => Promise<Inventory>,
  ) {}

  get(id: string): LoadedSource | undefined {
    return this.loaded.get(id);
  }

  all(): LoadedSource[] {
    return [...this.loaded.values()];
  }

  /**
   * Loads (once) and audits a source; concurrent calls share one load. With force it fetches
   * anew even while an older load runs: that one may have started before the change the
   * caller wants to see (a run just fixed the finding), so it must not be the answer.
   */
  load(descriptor: SourceDescriptor, force = false): Promise<LoadedSource> {
    if (!force) {
      const ready = this.loaded.get(descriptor.id);
      if (ready) return Promise.resolve(ready);
      const running = this.pending.get(descriptor.id);
      if (running) return running;
      if (this.failed.has(descriptor.id)) return Promise.reject(this.failed.get(descriptor.id));
    }
    this.failed.delete(descriptor.id);
    const session = this.session;
    const ticket = this.nextTicket(descriptor.id);
    const loading: Promise<LoadedSource> = this.fetch(descriptor)
      .then((inventory) => {
        if (session !== this.session) throw new Error(`Loading ${descriptor.label} was superseded by a refresh.`);
        if (this.latest.get(descriptor.id) === ticket) return this.store(descriptor, inventory);
        // A later load or put of this source holds the fresher answer: never overwrite it.
        const newer = this.pending.get(descriptor.id);
        return newer && newer !== loading ? newer : this.loaded.get(descriptor.id) ?? this.store(descriptor, inventory);
      }, (error: unknown) => {
        if (session === this.session && this.latest.get(descriptor.id) === ticket) {
          this.failed.set(descriptor.id, error);
          this.log.warn(`Failed to load ${descriptor.label}: ${error instanceof Error ? error.message : String(error)}`);
        }
        throw error;
      })
      .finally(() => { if (this.pending.get(descriptor.id) === loading) this.pending.delete(descriptor.id); });
    this.pending.set(descriptor.id, loading);
    return loading;
  }

  /** Puts an inventory read elsewhere (an edited evidence file, an IaC file); a load started earlier no longer lands. */
  put(descriptor: SourceDescriptor, inventory: Inventory): LoadedSource {
    this.nextTicket(descriptor.id);
    return this.store(descriptor, inventory);
  }

  private nextTicket(id: string): number {
    this.ticket++;
    this.latest.set(id, this.ticket);
    return this.ticket;
  }

  forget(id: string): void {
    this.failed.delete(id);
    if (this.loaded.delete(id)) this.changed.fire(id);
  }

  /** Forgets failures (one source's, or all), so the next read fetches again: a retry, an audit. */
  retry(id?: string): void {
    if (id === undefined) this.failed.clear(); else this.failed.delete(id);
  }

  /**
   * Fetches a loaded source again, keeping the old inventory on show until the new one
   * arrives; a failure drops it so the tree shows the error. Sources read from the editor
   * (IaC) are left as they are.
   */
  async reload(id: string): Promise<void> {
    const source = this.loaded.get(id);
    if (!source || source.descriptor.kind === 'iac') return;
    try {
      await this.load(source.descriptor, true);
    } catch {
      // The failure is logged and kept by load(); drop the old inventory so the tree shows the error.
      this.loaded.delete(id);
      this.changed.fire(id);
    }
  }

  /** Drops cached inventories so the next read fetches again. */
  invalidate(id?: string): void {
    if (id === undefined) {
      this.session.abort();
      this.session = new AbortController();
      this.loaded.clear();
      this.pending.clear();
      this.failed.clear();
    } else {
      this.loaded.delete(id);
      this.failed.delete(id);
    }
    this.changed.fire(id);
  }

  /** Settings changed: judge every inventory again without fetching it again. */
  reaudit(): void {
    for (const source of [...this.loaded.values()]) this.store(source.descriptor, source.inventory, false);
    this.changed.fire(undefined);
  }

  private store(descriptor: SourceDescriptor, inventory: Inventory, notify = true): LoadedSource {
    // Findings, plans and reports name the source as the tree does ("Demo account"), never by the
    // folder the extension is installed in.
    inventory.target.label = descriptor.label;
    const findings = auditInventory(inventory, this.settings().audit);
    const source: LoadedSource = { descriptor, inventory, findings, index: new FindingIndex(findings) };
    this.loaded.set(descriptor.id, source);
    if (notify) this.changed.fire(descriptor.id);
    return source;
  }

  private async fetch(descriptor: SourceDescriptor): Promise<Inventory> {
    const started = Date.now();
    switch (descriptor.kind) {
      case 'demo':
      case 'evidence': {
        // The demo is shown through rendered group documents only: its files need no positions.
        const inventory = await loadEvidenceFolder(descriptor.path as string, { positions: descriptor.kind !== 'demo' });
        this.log.info(`Read evidence folder ${descriptor.path} in ${Date.now() - started} ms: ${inventory.clusters.length} clusters, ${inventory.securityGroups.length} security groups.`);
        return inventory;
      }
      case 'live': {
        const profile = descriptor.profile as string;
        const region = descriptor.region as string;
        const signal = this.session.signal;
        if (this.memberTarget && roleOfKey(profile)) {
          try {
            return await this.memberTarget(profile, region, signal);
          } catch (error) {
            const e = error as { message?: string; code?: string };
            throw new LiveLoadError({ profile, region, message: e.message ?? String(error), ...(e.code ? { code: e.code } : {}) });
          }
        }
        const aws = await loadAwsLayer();
        const result = await aws.loadLiveInventories({ profiles: [profile], regions: [region], endpointUrl: this.settings().endpointUrl, signal });
        if (signal.aborted) throw new Error(`Loading ${profile} / ${region} was cancelled by a refresh.`);
        this.log.info(`Loaded ${profile} / ${region}: ${result.stats.apiCalls} API calls in ${result.stats.durationMs} ms.`);
        const failure = result.errors.find((e) => e.profile === profile && (e.region === undefined || e.region === region));
        const inventory = result.inventories[0];
        if (failure || !inventory) {
          throw new LiveLoadError(failure ?? { profile, region, message: 'The AWS layer returned no inventory for this target.' });
        }
        return inventory;
      }
      default:
        throw new Error(`${descriptor.label} is read from the editor, not fetched.`);
    }
  }

  dispose(): void {
    this.session.abort();
    this.changed.dispose();
  }
}
