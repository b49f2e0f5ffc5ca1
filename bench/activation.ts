// Activation cost: time to load dist/extension.js and run activate() in a fresh Node process,
// with a minimal fake `vscode` module (bench/support/fake-vscode.cjs) standing in for the host.
// Prints the median of N runs and checks that no AWS SDK module (nor dist/aws.js) was loaded.
//
//   npx tsx bench/activation.ts [--runs 21] [--no-build]
// Goal (issue 4): under 15 ms.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 21;
const GOAL_MS = 15;

/** Runs inside each child: plain Node, no tsx, so nothing but the bundle is being loaded. */
const CHILD = String.raw`
const path = require('path');
const { performance } = require('perf_hooks');
const root = process.argv[1];
const fake = require(path.join(root, 'bench', 'support', 'fake-vscode.cjs'));
fake.install();
const context = fake.context(root);
const started = performance.now();
const extension = require(path.join(root, 'dist', 'extension.js'));
const loaded = performance.now();
extension.activate(context);
const activated = performance.now();
const modules = Object.keys(require.cache);
const sdk = modules.filter((m) => /@aws-sdk|@smithy|[\\/]dist[\\/]aws\.js$/.test(m));
const runtimeLoaded = modules.some((m) => /[\\/]dist[\\/]runtime\.js$/.test(m));
process.stdout.write(JSON.stringify({ loadMs: loaded - started, activateMs: activated - loaded, totalMs: activated - started, commands: fake.captured.commands.length, subscriptions: context.subscriptions.length, sdk, runtimeLoaded }));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (!args.includes('--no-build')) execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });

const samples: { loadMs: number; activateMs: number; totalMs: number; commands: number; subscriptions: number; sdk: string[]; runtimeLoaded: boolean }[] = [];
for (let i = 0; i < runs; i++) {
  samples.push(JSON.parse(execFileSync(process.execPath, ['-e', CHILD, root], { cwd: root, encoding: 'utf8' })));
}
const sdkLoaded = [...new Set(samples.flatMap((s) => s.sdk))];
const total = median(samples.map((s) => s.totalMs));
console.log(`activation (dist/extension.js, production build, ${runs} fresh processes):`);
console.log(`  load bundle  median ${median(samples.map((s) => s.loadMs)).toFixed(2)} ms`);
console.log(`  activate()   median ${median(samples.map((s) => s.activateMs)).toFixed(2)} ms`);
console.log(`  total        median ${total.toFixed(2)} ms (min ${Math.min(...samples.map((s) => s.totalMs)).toFixed(2)}, max ${Math.max(...samples.map((s) => s.totalMs)).toFixed(2)}); goal < ${GOAL_MS} ms`);
console.log(`  registered ${samples[0].commands} commands, ${samples[0].subscriptions} subscriptions`);
console.log(`  AWS SDK modules loaded during activation: ${sdkLoaded.length ? sdkLoaded.join(', ') : 'none'}`);
const split = existsSync(path.join(root, 'dist', 'runtime.js'));
console.log(`  runtime: ${split ? `dist/runtime.js, loaded during activation: ${samples.some((s) => s.runtimeLoaded) ? 'yes' : 'no'}` : 'inside dist/extension.js (evaluated on first use)'}`);
if (sdkLoaded.length) {
  console.error('FAIL: activation loaded the AWS SDK.');
  process.exit(1);
}
if (total >= GOAL_MS) console.log(`  note: above the ${GOAL_MS} ms goal`);
