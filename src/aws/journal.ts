// The run journal: one JSON file per run, rewritten atomically (temp file, fsync, rename)
// before and after every call, so that a crash or a kill loses nothing and a backout can
// still be computed from it.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsService, Plan } from '../model/plan';
import type { StateSnapshot } from './state';

export type RunStatus = 'running' | 'completed' | 'failed' | 'drift' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface JournalStep {
  index: number;
  explanation: string;
  service: AwsService;
  sdkCommand: string;
  /** The CLI argv with produced values filled in, once known. */
  cli: string[];
  /** The SDK input as sent (produced values filled in). */
  input?: Record<string, unknown>;
  mutating: boolean;
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  /** What the call returned that a backout needs. */
  result?: { GroupId?: string; SecurityGroupRuleIds?: string[] };
  /** The state the preconditions were checked against, just before the call. */
  before?: StateSnapshot;
  /** Why it was skipped or failed. */
  message?: string;
  errorCode?: string;
}

export interface JournalRun {
  version: 1;
  id: string;
  kind: 'run' | 'backout';
  /** For a backout: the run it undoes. */
  backoutOf?: string;
  /** For a run: the backouts run against it. */
  backedOutBy?: string[];
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  message?: string;
  profile: string;
  region: string;
  endpointUrl?: string;
  /** The process running it, so a backout can tell a live run from one that died. */
  owner?: { pid: number; host: string };
  plan: Plan;
  /** The groups, clusters and instances the plan touches, as they were when the run started. */
  before: StateSnapshot;
  steps: JournalStep[];
  /** Values produced by steps, by ref name (e.g. the new group's id). */
  produced: Record<string, string | string[]>;
  verification?: { ok: boolean; message: string; details?: string[] };
}

export interface JournalSummary {
  id: string;
  file: string;
  kind: 'run' | 'backout';
  status: RunStatus | 'unreadable';
  title: string;
  fix?: string;
  findingId?: string;
  profile?: string;
  region?: string;
  createdAt?: string;
  updatedAt?: string;
  stepsDone: number;
  stepsTotal: number;
  backoutOf?: string;
  backedOutBy?: string[];
  /** Marked running, but its process is gone (killed, crashed): back it out or look at it. */
  interrupted?: boolean;
  /** Why the file could not be read, for an unreadable one. */
  problem?: string;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Who is writing this run: this process on this machine. */
export function currentOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: os.hostname() };
}

/**
 * Whether a run marked 'running' may still be running: its process is alive on this
 * machine, or (another machine's) it was written in the last minute.
 */
export function mayStillBeRunning(run: JournalRun, now = Date.now()): boolean {
  if (run.status !== 'running') return false;
  if (run.owner && run.owner.host === os.hostname()) {
    if (run.owner.pid === process.pid) return false;
    try {
      process.kill(run.owner.pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return Date.parse(run.updatedAt) > now - 60_000;
}

/** A journal that is missing, unreadable or not ours: the user named the wrong run or file. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
}

export function newRunId(kind: 'run' | 'backout', fix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const label = kind === 'backout' ? 'backout' : fix.replace(/[^A-Za-z0-9-]/g, '');
  return `${stamp}-${label}-${randomBytes(3).toString('hex')}`;
}

export function journalFile(journalDir: string, id: string): string {
  if (!ID_PATTERN.test(id)) throw new JournalError(`"${id}" is not a journal id (letters, digits, dot, dash and underscore only).`);
  return path.join(journalDir, `${id}.json`);
}

/** Writes the whole run atomically: readers see the old file or the new one, never half of one. */
export async function writeRun(journalDir: string, run: JournalRun): Promise<void> {
  await fs.mkdir(journalDir, { recursive: true });
  const file = journalFile(journalDir, run.id);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  run.updatedAt = new Date().toISOString();
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(run, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  // The rename itself is durable only once the directory is synced (not possible on every platform).
  try {
    const dir = await fs.open(journalDir, 'r');
    try { await dir.sync(); } finally { await dir.close(); }
  } catch { /* e.g. Windows cannot open a directory */ }
}

export async function readRun(journalDir: string, id: string): Promise<JournalRun> {
  const file = journalFile(journalDir, id);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new JournalError(`No journal "${id}" in ${journalDir} (aurora-sg journal lists the runs).`);
    throw error;
  }
  let run: JournalRun;
  try {
    run = JSON.parse(text) as JournalRun;
  } catch (error) {
    throw new JournalError(`Journal ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (run?.version !== 1 || run.id !== id || !Array.isArray(run.steps) || !run.plan) throw new JournalError(`Journal ${file} is not an aurora-sg journal (version 1).`);
  return run;
}

function summarise(run: JournalRun, file: string): JournalSummary {
  const summary: JournalSummary = {
    id: run.id,
    file,
    kind: run.kind,
    status: run.status,
    title: run.plan.title,
    fix: run.plan.fix,
    findingId: run.plan.findingId,
    profile: run.profile,
    region: run.region,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    stepsDone: run.steps.filter((s) => s.status === 'done').length,
    stepsTotal: run.steps.length,
  };
  if (run.backoutOf) summary.backoutOf = run.backoutOf;
  if (run.backedOutBy?.length) summary.backedOutBy = run.backedOutBy;
  if (run.status === 'running' && !mayStillBeRunning(run)) summary.interrupted = true;
  return summary;
}

/** Every run in the directory, newest first; a file that cannot be read is listed with the reason. */
export async function listRuns(journalDir: string): Promise<JournalSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(journalDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const summaries = await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (name) => {
    const id = name.slice(0, -'.json'.length);
    const file = path.join(journalDir, name);
    try {
      return summarise(await readRun(journalDir, id), file);
    } catch (error) {
      return { id, file, kind: 'run' as const, status: 'unreadable' as const, title: name, stepsDone: 0, stepsTotal: 0, problem: (error as Error).message };
    }
  }));
  return summaries.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.id.localeCompare(a.id));
}
