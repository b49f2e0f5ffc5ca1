import * as assert from 'node:assert/strict';
import { backoffDelay, withThrottleRetry } from '../../../src/aws/retry';

const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
const fast = { throttleRetries: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('aws/retry: bounded retry with exponential backoff and full jitter', () => {
  it('draws each delay uniformly below min(cap, base * 2^round)', () => {
    const policy = { throttleRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(0, policy, () => 0.999), 99);
    assert.equal(backoffDelay(3, policy, () => 0.5), 400);
    assert.equal(backoffDelay(10, policy, () => 0.999), 999, 'capped');
    assert.equal(backoffDelay(2, policy, () => 0), 0, 'full jitter reaches zero');
  });

  it('retries throttling until it succeeds', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await withThrottleRetry(async () => { if (++calls < 3) throw throttling(); return 'ok'; }, fast, { onRetry: (round) => retries.push(round) });
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(retries, [0, 1]);
  });

  it('gives up after the configured rounds', async () => {
    let calls = 0;
    await assert.rejects(withThrottleRetry(async () => { calls++; throw throttling(); }, fast), /Rate exceeded/);
    assert.equal(calls, 5);
  });

  it('never retries other errors', async () => {
    let calls = 0;
    await assert.rejects(withThrottleRetry(async () => { calls++; throw Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }); }, fast), /denied/);
    assert.equal(calls, 1);
  });
});
