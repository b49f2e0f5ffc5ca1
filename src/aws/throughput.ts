// Bounds on requests in flight (design 11): AWS throttles per account and region, so requests
// are bounded per (credentials, region) target; sockets and this process's CPU are shared, so
// also globally; and STS and Organizations, which throttle per caller across all targets, each
// on their own. A request waits for a slot only while it is sent, never during a backoff.

/** A counting semaphore, first come first served. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`A bound on requests in flight must be at least 1, not ${limit}.`);
  }

  get inFlight(): number {
    return this.active;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        const error = new Error('The operation was cancelled.');
        error.name = 'AbortError';
        reject(error);
      };
      this.waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // The releasing holder handed its slot over (active was not decremented).
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}

export interface RequestLimits {
  /** Requests in flight across the whole pool (sockets, CPU). */
  global: number;
  /** Requests in flight per (credentials, region): what AWS throttles per account and region. */
  perTarget: number;
  /** AssumeRole and GetCallerIdentity in flight (STS throttles per caller). */
  sts: number;
  /** Organizations calls in flight (it throttles the whole organization's management account). */
  organizations: number;
}

/**
 * Measured with bench/live-audit.ts and bench/org-audit.ts on a 2-core machine: 128 requests in
 * flight keep a 100 ms-latency audit CPU-bound rather than latency-bound; 10 per target is more
 * than one target's widest level (six describe calls) asks for; STS and Organizations are kept low.
 */
export const DEFAULT_LIMITS: Readonly<RequestLimits> = Object.freeze({ global: 128, perTarget: 10, sts: 8, organizations: 4 });

/** The slots of one pool: a global semaphore, one per target, and one per global service. */
export class RequestLimiter {
  private readonly global: Semaphore;
  private readonly targets = new Map<string, Semaphore>();
  private readonly services: Record<'sts' | 'organizations', Semaphore>;

  constructor(readonly limits: RequestLimits = DEFAULT_LIMITS) {
    this.global = new Semaphore(limits.global);
    this.services = { sts: new Semaphore(limits.sts), organizations: new Semaphore(limits.organizations) };
  }

  /** Runs one request of `target` ("credentials/region") holding a target slot and a global slot. */
  async request<T>(target: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let own = this.targets.get(target);
    if (!own) {
      own = new Semaphore(this.limits.perTarget);
      this.targets.set(target, own);
    }
    const slot = own;
    // The target's slot first: a target with many calls waits on itself, not on everyone's global slots.
    return slot.run(() => this.global.run(work, signal), signal);
  }

  /** Runs one call of a global service, bounded on its own and by the global slots. */
  service<T>(service: 'sts' | 'organizations', work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.services[service].run(() => this.global.run(work, signal), signal);
  }

  /** Requests in flight right now (tests and benchmarks read it). */
  get inFlight(): number {
    return this.global.inFlight;
  }
}
