// Command line: npx tsx tools/aws-emulator/main.ts --seed samples/demo-account --port 4599
// Prints "listening on http://127.0.0.1:PORT" once ready; Ctrl-C (SIGINT/SIGTERM) stops it.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from './index';

const USAGE = `usage: npx tsx tools/aws-emulator/main.ts [--seed DIR] [--port N] [--latency-ms N] [--throttle-rate R]
       [--page-size N] [--seed-region R]... [--region R]... [--fail-region R]... [--random-seed N]
       [--organization FILE] [--session-seconds N]`;

function number(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number between ${min} and ${max}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** Without --seed: the demo account when it exists, else the small AWS-shapes fixture. */
function defaultSeed(): string {
  const demo = join('samples', 'demo-account');
  return existsSync(join(demo, 'describe-db-clusters.json')) ? demo : join('test', 'fixtures', 'aws-shapes');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      port: { type: 'string' },
      'latency-ms': { type: 'string' },
      'throttle-rate': { type: 'string' },
      'page-size': { type: 'string' },
      'seed-region': { type: 'string', multiple: true },
      region: { type: 'string', multiple: true },
      'fail-region': { type: 'string', multiple: true },
      'random-seed': { type: 'string' },
      organization: { type: 'string' },
      'session-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({
    seedDir: values.seed ?? defaultSeed(),
    port: number('port', values.port, 0, 65535),
    latencyMs: number('latency-ms', values['latency-ms'], 0, 600_000),
    throttleRate: number('throttle-rate', values['throttle-rate'], 0, 1),
    pageSize: number('page-size', values['page-size'], 1, 1000),
    seedRegions: values['seed-region'],
    regions: values.region,
    failRegions: values['fail-region'],
    randomSeed: number('random-seed', values['random-seed'], 0, 2 ** 32 - 1),
    organization: values.organization,
    sessionSeconds: number('session-seconds', values['session-seconds'], 1, 43200),
  });
  console.log(`listening on ${emulator.url}`);
  const stop = () => {
    emulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`aws-emulator: ${(error as Error).message}`);
  console.error(USAGE);
  process.exit(2);
});
