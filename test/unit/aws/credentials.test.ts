import * as assert from 'node:assert/strict';
import { refreshBefore, shareCredentials } from '../../../src/aws/credentials';

const HOUR = 3_600_000;

describe('aws/credentials: one shared, refreshed credential fetch per key', () => {
  it('fetches once for every caller while the credentials are fresh, also for callers arriving together', async () => {
    let now = 0;
    let fetches = 0;
    const shared = shareCredentials(async () => { fetches++; return { accessKeyId: `ASIA${fetches}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now + HOUR) }; }, () => now);
    const all = await Promise.all(Array.from({ length: 20 }, () => shared()));
    assert.equal(fetches, 1);
    assert.ok(all.every((c) => c.accessKeyId === 'ASIA1'));
    now = 49 * 60_000;
    assert.equal((await shared()).accessKeyId, 'ASIA1', '11 minutes before the end of a one-hour session it is still fresh');
    assert.equal(shared.fetches, 1);
  });

  it('a one-hour role session is fetched anew ten minutes before it ends: a fix started 55 minutes in runs on a new session', async () => {
    let now = 0;
    let fetches = 0;
    const shared = shareCredentials(async () => { fetches++; return { accessKeyId: `ASIA${fetches}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now + HOUR) }; }, () => now);
    await shared();
    now = 55 * 60_000;
    const [a, b] = await Promise.all([shared(), shared()]);
    assert.equal(a.accessKeyId, 'ASIA2');
    assert.equal(b.accessKeyId, 'ASIA2', 'callers that find it stale together share one new fetch');
    assert.equal(fetches, 2);
    assert.ok(a.expiration!.getTime() - now === HOUR);
  });

  it('short sessions are renewed a quarter of their life before they end', () => {
    assert.equal(refreshBefore(HOUR), 10 * 60_000);
    assert.equal(refreshBefore(2000), 500);
  });

  it('keeps no failed fetch, and forgets credentials AWS said have expired', async () => {
    let fetches = 0;
    const shared = shareCredentials(async () => {
      fetches++;
      if (fetches === 1) throw new Error('AccessDenied');
      return { accessKeyId: `AKIA${fetches}`, secretAccessKey: 's' };
    });
    await assert.rejects(shared(), /AccessDenied/);
    assert.equal((await shared()).accessKeyId, 'AKIA2');
    assert.equal((await shared()).accessKeyId, 'AKIA2', 'static keys stay');
    shared.expire();
    assert.equal((await shared()).accessKeyId, 'AKIA3');
  });
});
