#!/usr/bin/env node
// The VS Code integration suite: builds the extension and the tests, then runs the tests inside a
// real VS Code (test/host: code-server's workbench driven by headless Chromium) twice: once in a
// trusted workspace (everything but untrusted.test), once in Restricted Mode (untrusted.test).
//
//   node test/integration/run.mjs [--grep REGEX] [--keep] [--no-build] [--host code-server|electron]
//
// --host electron runs the same tests module in desktop VS Code through @vscode/test-electron
// (test/integration/electron.mjs: the minimum engines.vscode unless VSCODE_TEST_VERSION or
// VSCODE_EXECUTABLE says otherwise); the default, code-server, needs no download.
//
// The workspace is a temp folder holding evidence/ (a copy of samples/demo-account, edited by the
// tests) and iac/ (a copy of samples/iac). The AWS profiles come from a temp AWS_CONFIG_FILE:
// `emulator` and `org-admin` (static keys; the tests point auroraSg.endpointUrl at tools/aws-emulator), `broken`
// (a missing source_profile) and `sso-dev` (an SSO profile that was never logged in).
// The screenshot of the workbench lands in test-results/tree-and-problems.png.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const keep = args.includes('--keep');
// code-server (test/host, works offline) or electron (@vscode/test-electron, downloads VS Code).
const host = args.includes('--host') ? args[args.indexOf('--host') + 1] : (process.env.AURORA_SG_TEST_HOST || 'code-server');
if (!['code-server', 'electron'].includes(host)) {
  console.error(`--host must be code-server or electron, not ${JSON.stringify(host)}`);
  process.exit(2);
}
const outDir = join(root, 'out', 'integration');
const resultsDir = join(root, 'test-results');

function run(cmd, cmdArgs, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; process.stdout.write(chunk); });
    child.stderr.on('data', (chunk) => { output += chunk; process.stderr.write(chunk); });
    child.on('error', (error) => resolve({ code: 127, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

// 1. The extension as it ships (dist/extension.js + dist/aws.js).
if (!args.includes('--no-build')) {
  const build = await run(process.execPath, ['esbuild.mjs']);
  if (build.code !== 0) process.exit(build.code);
}

// 2. One bundle per test file; `vscode` comes from the host. jsonc-parser's UMD entry cannot be
// bundled, hence its ESM build (mainFields).
rmSync(outDir, { recursive: true, force: true });
const testFiles = readdirSync(join(root, 'test', 'integration')).filter((f) => f.endsWith('.test.ts')).sort();
await esbuild.build({
  entryPoints: testFiles.map((f) => join(root, 'test', 'integration', f)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  mainFields: ['module', 'main'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
const compiled = testFiles.map((f) => join(outDir, f.replace(/\.ts$/, '.js')));

// 3. A workspace and AWS profiles of our own.
const scratch = mkdtempSync(join(tmpdir(), 'aurora-sg-it-'));
const workspace = join(scratch, 'workspace');
mkdirSync(workspace);
cpSync(join(root, 'samples', 'demo-account'), join(workspace, 'evidence'), { recursive: true });
cpSync(join(root, 'samples', 'iac'), join(workspace, 'iac'), { recursive: true });
const awsDir = join(scratch, 'aws');
mkdirSync(awsDir);
writeFileSync(join(awsDir, 'config'), '[profile emulator]\nregion = eu-west-1\n\n[profile org-admin]\nregion = eu-west-1\n\n[profile broken]\nrole_arn = arn:aws:iam::123456789012:role/audit\nsource_profile = nowhere\nregion = eu-west-1\n\n'
  + '[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nregion = eu-west-1\n\n'
  + '[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n');
// `org-admin`: the management account of the emulated organization (test/fixtures/org) for org.test.
writeFileSync(join(awsDir, 'credentials'), '[emulator]\naws_access_key_id = AKIAEMULATOREXAMPLE1\naws_secret_access_key = emulator-secret\n'
  + '\n[org-admin]\naws_access_key_id = AKIAORGADMINEXAMPLE1\naws_secret_access_key = org-secret\n');
const awsEnv = { AWS_CONFIG_FILE: join(awsDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials') };
const childEnv = { ...process.env };
for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete childEnv[name];

async function hostRun(name, files, extraArgs) {
  console.log(`\n--- integration: ${name} ---`);
  const env = { ...awsEnv, VSCODE_TEST_FILES: JSON.stringify(files), ...(grep ? { VSCODE_TEST_GREP: grep } : {}) };
  const result = host === 'electron'
    ? await run(process.execPath, ['test/integration/electron.mjs'], {
      env: { ...childEnv, AURORA_SG_IT_WORKSPACE: workspace, AURORA_SG_IT_ENV: JSON.stringify(env), AURORA_SG_IT_USER_DATA: join(scratch, `user-data-${name.split(' ')[0]}`) },
    })
    : await run(process.execPath, [
      'test/host/run.mjs', '--tests', join(root, 'test', 'host', 'mocha-runner.cjs'), '--workspace', workspace,
      '--env', JSON.stringify(env), '--results-dir', resultsDir, '--timeout', '400', ...extraArgs,
    ], { env: childEnv });
  const match = [...result.output.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  const passed = match ? Number(match[1]) : 0;
  const failed = match ? Number(match[2]) : 0;
  return { code: result.code, passed, failed: result.code !== 0 && failed === 0 ? 1 : failed };
}

const untrusted = compiled.filter((f) => f.endsWith('untrusted.test.js'));
const results = [await hostRun('trusted workspace', compiled.filter((f) => !untrusted.includes(f)), [])];
if (host === 'electron') {
  // runTests always passes --disable-workspace-trust, so Restricted Mode cannot be reached there.
  console.log('\n--- integration: untrusted workspace: runs only under the code-server host (test-electron always disables workspace trust) ---');
} else {
  results.push(await hostRun('untrusted workspace (Restricted Mode)', untrusted, ['--trust']));
}
if (!keep) rmSync(scratch, { recursive: true, force: true });
else console.log(`kept ${scratch}`);

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
// Mocha's own summary shape, so tools/run-tests.mjs counts both sessions together.
console.log(`\n  ${passed} passing`);
if (failed) console.log(`  ${failed} failing`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
