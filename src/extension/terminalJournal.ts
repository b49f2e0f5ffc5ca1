// The journal of plans run in a terminal with the AWS CLI: one JSON file per run, next to the
// SDK journal, holding the plan (its backout steps are what undoes it), the scripts written, the
// exit code when shell integration reported one, and the backouts run against it. The SDK's
// journal records the real ids each call returned; a terminal run's backout is the backout
// script of the plan that ran.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Plan } from '../model/plan';
import type { Shell } from '../remediation';

export type TerminalRunStatus = 'running' | 'completed' | 'failed' | 'sent';

export interface TerminalRun {
  version: 1;
  id: string;
  kind: 'run' | 'backout';
  route: 'terminal';
  createdAt: string;
  finishedAt?: string;
  /** completed / failed by the exit code; sent: no shell integration, so the result is unknown. */
  status: TerminalRunStatus;
  exitCode?: number;
  /** The credentials' name as people read it ("prod", "environment credentials"). */
  who: string;
  region?: string;
  endpointUrl?: string;
  shell: Shell;
  script: string;
  commandLine: string;
  plan: Plan;
  backoutOf?: string;
  backedOutBy?: string[];
}

const ID = /^[0-9TZ]+-terminal-[a-z-]+-[0-9a-f]{6}$/;

export function newTerminalRunId(kind: 'run' | 'backout', fix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-terminal-${kind === 'backout' ? 'backout' : fix.replace(/[^a-z-]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export function isTerminalRunId(id: string): boolean {
  return ID.test(id);
}

export async function writeTerminalRun(dir: string, run: TerminalRun): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${run.id}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temp, file);
}

export async function readTerminalRun(dir: string, id: string): Promise<TerminalRun> {
  if (!isTerminalRunId(id)) throw new Error(`"${id}" is not a terminal run of the journal.`);
  const run = JSON.parse(await fs.readFile(path.join(dir, `${id}.json`), 'utf8')) as TerminalRun;
  if (run?.version !== 1 || run.id !== id || run.route !== 'terminal' || !run.plan) throw new Error(`${id} is not a terminal run of the journal.`);
  return run;
}

/** Every terminal run, newest first; files that cannot be read are left out (the SDK journal lists its own). */
export async function listTerminalRuns(dir: string): Promise<TerminalRun[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const runs = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readTerminalRun(dir, n.slice(0, -5)).catch(() => undefined)));
  return runs.filter((r): r is TerminalRun => r !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
