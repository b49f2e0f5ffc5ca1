#!/usr/bin/env node
// `npm test`: every suite, in order, the same on a developer's machine and in CI.
// Runs all steps even after a failure so one run shows everything, then exits non-zero
// if any failed. Mocha's counts are summed into one closing line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Each step: a name, a command, and whether its output holds mocha counts. */
const steps = [
  { name: 'typecheck', cmd: [bin('tsc'), '--noEmit', '-p', '.'] },
  { name: 'lint', cmd: [bin('eslint'), '.'] },
  { name: 'build', cmd: [process.execPath, 'esbuild.mjs'] },
  { name: 'unit', cmd: [bin('mocha')], counts: true },
  { name: 'emulator + AWS CLI', cmd: [bin('mocha'), '--config', 'test/emulator/mocharc.json'], counts: true, needs: requireAwsCli },
  { name: 'VS Code integration', cmd: [process.execPath, 'test/integration/run.mjs'], counts: true },
];

/** The suite runs Debian's AWS CLI v2 (/usr/bin/aws), or $AWS_CLI: the same choice as tools/aws-emulator/awsCli.ts. */
function requireAwsCli() {
  const cli = process.env.AWS_CLI || '/usr/bin/aws';
  return existsSync(cli) ? undefined : `the AWS CLI (${cli}) is missing: install Debian's with \`apt-get install -y awscli\` (.ci/run does).`;
}

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.cmd[0], step.cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const forward = (stream, sink) => stream.on('data', (chunk) => { output += chunk; sink.write(chunk); });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('error', (error) => resolve({ code: 127, output: String(error), ms: Date.now() - started }));
    child.on('close', (code) => resolve({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

/** Reads mocha's "N passing" / "N failing" (and our host's "N passed, N failed") lines. */
function countsOf(output) {
  const last = (re) => { let m, v = 0; for (const line of output.split('\n')) if ((m = re.exec(line))) v = Number(m[1]); return v; };
  const passed = last(/^\s*(\d+) passing\b/) || last(/^\s*(\d+) passed, \d+ failed/);
  const failed = last(/^\s*(\d+) failing\b/) || last(/^\s*\d+ passed, (\d+) failed/);
  return { passed, failed };
}

const only = process.argv.slice(2);
const results = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n=== ${step.name} ===`);
  const missing = step.needs?.();
  if (missing) {
    console.error(`✘ ${step.name}: ${missing}`);
    results.push({ step, code: 1, passed: 0, failed: 1, ms: 0 });
    continue;
  }
  const { code, output, ms } = await run(step);
  const counts = step.counts ? countsOf(output) : { passed: 0, failed: 0 };
  // A suite that exits non-zero without a mocha failure line (crash, timeout) still counts as one failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  results.push({ step, code, ...counts, ms });
}

console.log('\n=== summary ===');
for (const r of results) {
  const what = r.step.counts ? ` (${r.passed} passed, ${r.failed} failed)` : '';
  console.log(`${r.code === 0 ? '✔' : '✘'} ${r.step.name}${what} in ${(r.ms / 1000).toFixed(1)} s`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + results.filter((r) => !r.step.counts && r.code !== 0).length;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
