import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JournalError, journalFile, listRuns, newRunId, readRun, writeRun, type JournalRun } from '../../../src/aws/journal';
import { emptySnapshot } from '../../../src/aws/state';

function aRun(id: string, createdAt: string): JournalRun {
  return {
    version: 1, id, kind: 'run', createdAt, updatedAt: '', status: 'running', profile: 'p', region: 'eu-west-1',
    plan: { fix: 'revoke', findingId: 'AURSG-001-x', title: 'Revoke it', summary: '', target: {}, steps: [], backout: [], warnings: [] },
    before: emptySnapshot(),
    steps: [{ index: 0, explanation: 'e', service: 'ec2', sdkCommand: 'RevokeSecurityGroupIngressCommand', cli: [], mutating: true, status: 'done' }],
    produced: {},
  };
}

describe('aws/journal: one JSON file per run, written atomically', () => {
  it('writes and reads back a run, leaving no temporary files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-journal-'));
    const run = aRun(newRunId('run', 'revoke'), '2026-01-01T00:00:00Z');
    await writeRun(dir, run);
    run.status = 'completed';
    await writeRun(dir, run);
    assert.deepEqual(readdirSync(dir), [`${run.id}.json`]);
    const back = await readRun(dir, run.id);
    assert.equal(back.status, 'completed');
    assert.ok(back.updatedAt);
  });

  it('lists runs newest first and names a damaged file instead of failing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-journal-'));
    await writeRun(dir, aRun('old-run', '2026-01-01T00:00:00Z'));
    await writeRun(dir, aRun('new-run', '2026-02-01T00:00:00Z'));
    writeFileSync(path.join(dir, 'broken.json'), '{"version": 1, "id": ');
    const runs = await listRuns(dir);
    assert.deepEqual(runs.filter((r) => r.status !== 'unreadable').map((r) => r.id), ['new-run', 'old-run']);
    const broken = runs.find((r) => r.id === 'broken')!;
    assert.equal(broken.status, 'unreadable');
    assert.match(broken.problem!, /not valid JSON/);
    assert.equal(runs[0]!.stepsDone, 1);
    assert.deepEqual(await listRuns(path.join(dir, 'missing')), []);
  });

  it('refuses ids that could escape the journal folder', () => {
    assert.throws(() => journalFile('/j', '../etc/passwd'), /not a journal id/);
    assert.match(newRunId('run', 'dedicated-sg', new Date('2026-11-26T13:30:05.123Z')), /^20261126T133005Z-dedicated-sg-[0-9a-f]{6}$/);
  });

  it('says which run is missing', async () => {
    await assert.rejects(readRun(mkdtempSync(path.join(tmpdir(), 'j-')), 'nope'), (error: Error) => error instanceof JournalError && /No journal "nope"/.test(error.message));
  });
});
