import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ClientPool } from '../../../src/aws/clients';
import { RequestLimiter, Semaphore } from '../../../src/aws/throughput';

const credentials = { accessKeyId: 'AKIATEST', secretAccessKey: 'secret' };

/** Resolves after `ms`, recording how many were running at once. */
function tracker() {
  let running = 0;
  let peak = 0;
  return {
    get peak() { return peak; },
    work: (ms: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
    },
  };
}

describe('aws/throughput: bounds on requests in flight', () => {
  it('a semaphore never lets more than its limit run, and serves waiters first come first served', async () => {
    const semaphore = new Semaphore(3);
    const t = tracker();
    const order: number[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => semaphore.run(async () => { order.push(i); await t.work(5)(); })));
    assert.equal(t.peak, 3);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.equal(semaphore.inFlight, 0);
  });

  it('a cancelled waiter leaves the queue without taking a slot', async () => {
    const semaphore = new Semaphore(1);
    const controller = new AbortController();
    const hold = semaphore.run(() => new Promise((resolve) => setTimeout(resolve, 20)));
    const waiting = semaphore.run(async () => 'ran', controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    await hold;
    assert.equal(await semaphore.run(async () => 'free'), 'free');
  });

  it('bounds each target and the whole pool; STS and Organizations have their own bounds', async () => {
    const limiter = new RequestLimiter({ global: 4, perTarget: 2, sts: 1, organizations: 1 });
    const all = tracker();
    const perTarget = new Map<string, ReturnType<typeof tracker>>();
    await Promise.all(['a/eu-west-1', 'b/eu-west-1', 'c/eu-west-1'].flatMap((target) => {
      const own = tracker();
      perTarget.set(target, own);
      return Array.from({ length: 6 }, () => limiter.request(target, async () => { await Promise.all([all.work(5)(), own.work(5)()]); }));
    }));
    assert.equal(all.peak, 4);
    for (const [target, own] of perTarget) assert.equal(own.peak, 2, target);
    const sts = tracker();
    await Promise.all(Array.from({ length: 4 }, () => limiter.service('sts', sts.work(5))));
    assert.equal(sts.peak, 1);
  });

  describe('in a client pool', () => {
    let server: Server;
    let url: string;
    let running = 0;
    let peak = 0;
    before(async () => {
      server = createServer((request, response) => {
        running++;
        peak = Math.max(peak, running);
        request.resume();
        setTimeout(() => {
          running--;
          response.writeHead(200, { 'content-type': 'text/xml' });
          response.end('<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><regionInfo/></DescribeRegionsResponse>');
        }, 15);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('no more requests reach AWS at once than the pool allows, whatever the callers send', async () => {
      peak = 0;
      const pool = new ClientPool({ credentials, endpointUrl: url, limits: { global: 5, perTarget: 3 } });
      try {
        const clients = await Promise.all(['eu-west-1', 'us-east-1', 'ap-south-1'].map((region) => pool.ec2('p', region)));
        await Promise.all(clients.flatMap((client) => Array.from({ length: 8 }, () => client.send(new DescribeRegionsCommand({})))));
        assert.equal(peak, 5, 'the global bound held');
        assert.equal(pool.counter.total, 24);
        peak = 0;
        const one = await pool.ec2('p', 'eu-west-2');
        await Promise.all(Array.from({ length: 8 }, () => one.send(new DescribeRegionsCommand({}))));
        assert.equal(peak, 3, 'one target alone gets its own bound');
      } finally {
        await pool.dispose();
      }
    });
  });
});
