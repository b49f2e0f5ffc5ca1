import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../../src/cli/commands';
import { REPO, runCli } from './runCli';

describe('aurora-sg demo and help', () => {
  it('demo: audits the demo account grouped by cluster, then prints the plan of the worst finding', async () => {
    const { code, stdout } = await runCli(['demo']);
    assert.equal(code, 0);
    assert.match(stdout, /evidence: samples\/demo-account {3}settings: samples\/demo-account\/aurora-sg\.config\.json/);
    const clusters = ['analytics-pg', 'legacy-orders', 'ledger-pg', 'payments-aurora'].map((c) => stdout.indexOf(`\n${c}  `));
    assert.ok(clusters.every((i) => i > 0));
    assert.deepEqual([...clusters].sort((a, b) => a - b), clusters, 'worst cluster first');
    for (let n = 1; n <= 10; n++) assert.match(stdout, new RegExp(`AURSG-0${String(n).padStart(2, '0')}-[0-9a-f]{12}`), `rule ${n} appears`);
    const worst = /Worst finding: (AURSG-\d{3}-[0-9a-f]{12}) \(critical\)/.exec(stdout);
    assert.ok(worst, 'the worst finding is critical');
    const script = stdout.slice(stdout.indexOf('#!/usr/bin/env bash'), stdout.indexOf('\nOther fixes:'));
    assert.ok(script.includes(`Finding ${worst[1]}`));
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-demo-')), 'plan.sh');
    await fs.writeFile(file, script);
    assert.equal(spawnSync('bash', ['-n', file]).status, 0, 'the printed plan is valid bash');
  });

  it('top-level help lists every command; each command has its own --help', async () => {
    const top = await runCli(['--help']);
    assert.equal(top.code, 0);
    for (const command of COMMANDS) assert.match(top.stdout, new RegExp(`\\n  ${command.name} +${command.summary.replace(/[()]/g, '.')}`));
    assert.equal((await runCli([])).stdout, top.stdout);
    for (const command of COMMANDS) {
      const help = await runCli([command.name, '--help']);
      assert.equal(help.code, 0, command.name);
      assert.match(help.stdout, new RegExp(`^Usage: aurora-sg ${command.name}`));
      assert.equal((await runCli(['help', command.name])).stdout, help.stdout);
    }
    const unknown = await runCli(['help', 'audti']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "audti"; the commands are audit, /);
    const audit = (await runCli(['audit', '--help'])).stdout;
    for (const flag of ['--evidence', '--config', '--format', '--fail-on', '--profile', '--all-profiles', '--region', '--all-regions', '--endpoint-url']) {
      assert.ok(audit.includes(flag), `audit --help mentions ${flag}`);
    }
    assert.match(audit, /default: high/);
    const plan = (await runCli(['plan', '--help'])).stdout;
    for (const flag of ['--finding', '--cluster', '--fix', '--allow', '--shell', '--only']) assert.ok(plan.includes(flag), `plan --help mentions ${flag}`);
  });

  it('the built bundle runs (spawned smoke test of dist/cli.js)', function () {
    const bundle = path.join(REPO, 'dist/cli.js');
    if (!existsSync(bundle)) this.skip();
    const result = spawnSync(process.execPath, [bundle, 'audit', '--evidence', 'samples/demo-account', '--format', 'json', '--fail-on', 'critical'], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH } });
    // jsonc-parser's UMD entry hides its requires from esbuild (evanw/esbuild#1619): the bundle must use its ESM entry.
    assert.ok(!result.stderr.includes("Cannot find module './impl/"), 'dist/cli.js cannot load jsonc-parser: esbuild.mjs needs mainFields: [\'module\', \'main\']');
    assert.equal(result.status, 1, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.version, 1);
    assert.ok(json.findings.length > 0);
    const usage = spawnSync(process.execPath, [bundle, 'audit', '--bogus'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown option --bogus/);
  });
});
