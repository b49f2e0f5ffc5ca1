import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from './runCli';

describe('cli: backout names the wrong journal and exits 2', () => {
  const journal = mkdtempSync(path.join(tmpdir(), 'aurora-sg-journal-'));

  it('an id with no journal', async () => {
    const result = await runCli(['backout', '20261126T000000Z-revoke-abc123', '--journal', journal]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /No journal "20261126T000000Z-revoke-abc123" in /);
  });

  it('a file that is not a journal', async () => {
    writeFileSync(path.join(journal, 'broken.json'), '{ not json');
    const result = await runCli(['backout', 'broken', '--journal', journal]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Journal .*broken\.json is not valid JSON/);
  });

  it('an id that could escape the journal folder', async () => {
    const result = await runCli(['backout', '../../etc/passwd', '--journal', journal]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /is not a journal id/);
  });
});
