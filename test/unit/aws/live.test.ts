import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadLiveInventories, mapWithConcurrency } from '../../../src/aws/live';

const fixtures = path.join(__dirname, 'fixtures');

describe('aws/live: targets, bounded concurrency, errors per target', () => {
  it('never runs more than the bound at once and keeps the input order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([50, 10, 30, 20, 40, 0, 5], 3, async (ms, i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return i;
    });
    assert.equal(most, 3);
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6]);
  });

  it('turns broken, unknown and region-less profiles into error entries without calling AWS', async () => {
    const env = { AWS_CONFIG_FILE: path.join(fixtures, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(fixtures, 'credentials'), HOME: '/nonexistent' };
    const result = await loadLiveInventories({ profiles: ['loop-a', 'nobody', 'chained-role'], env });
    assert.equal(result.inventories.length, 0);
    assert.equal(result.stats.apiCalls, 0);
    const codes = Object.fromEntries(result.errors.map((e) => [e.profile, e.code]));
    assert.deepEqual(codes, { 'loop-a': 'profile-broken', nobody: 'no-credentials', 'chained-role': 'no-region' });
    assert.match(result.errors.find((e) => e.profile === 'chained-role')!.message, /has no region\. Set region in its config or pass --region/);
  });
});
