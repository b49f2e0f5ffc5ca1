// `node test/host/run.mjs --selftest`: runs the driver as a child process on tiny tests modules
// and checks the exit codes, output, screenshots and that no process of the run outlives it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUN = path.join(HERE, '..', 'run.mjs');
const FIXTURE_EXTENSION = path.join(HERE, '..', 'fixture-extension');

function cases(scratch) {
  const workspace = path.join(scratch, 'workspace');
  const results = path.join(scratch, 'results');
  const finalShot = path.join(scratch, 'final.png');
  return [
    {
      name: 'pass',
      expect: 0,
      args: ['--tests', path.join(HERE, 'pass.cjs'), '--workspace', workspace, '--results-dir', results,
        '--screenshot', finalShot, '--settings', '{"editor.tabSize":7}',
        '--env', JSON.stringify({ HOST_SELFTEST_WORKSPACE: workspace })],
      output: ['selftest pass: every check held'],
      files: [finalShot, path.join(results, 'host-selftest.png'), path.join(results, 'host-selftest-driver.png')],
    },
    {
      name: 'fail',
      expect: 1,
      args: ['--tests', path.join(HERE, 'fail.cjs'), '--results-dir', results],
      output: ['deliberately false: this run must fail'],
      files: [path.join(results, 'host-failure.png')],
    },
    {
      name: 'mocha',
      expect: 1,
      args: ['--tests', path.join(HERE, '..', 'mocha-runner.cjs'), '--results-dir', results,
        '--env', JSON.stringify({ VSCODE_TEST_DIR: path.join(HERE, 'mocha') })],
      output: ['✔ sees the vscode API', 'deliberate mocha failure', '2 passed, 1 failed'],
      files: [],
    },
    {
      name: 'untrusted',
      expect: 0,
      args: ['--tests', path.join(HERE, 'untrusted.cjs'), '--trust', '--results-dir', results],
      output: ['selftest untrusted: folder is in Restricted Mode'],
      files: [],
    },
    {
      name: 'timeout',
      expect: 124,
      // Whether run() was reached before the timer fired depends on the machine's load; the
      // point is that no result means 124, never 0.
      args: ['--tests', path.join(HERE, 'hang.cjs'), '--timeout', '20', '--results-dir', results],
      output: ['no result after 20 s'],
      files: [],
    },
  ];
}

function runDriver(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUN, '--extension-dir', FIXTURE_EXTENSION, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code, signal) => resolve({ code: code ?? signal, output }));
  });
}

/** Processes still in code-server's process group: the server, its extension host, their children. */
function survivors(groupId) {
  const alive = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // Field 5 of /proc/PID/stat is the process group; the command name in field 2 may hold spaces.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === groupId && fields[0] !== 'Z') alive.push(`${pid} ${stat.slice(0, stat.lastIndexOf(')') + 1)}`);
    } catch {
      // exited meanwhile
    }
  }
  return alive;
}

export async function runSelftest() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-sg-host-selftest-'));
  fs.mkdirSync(path.join(scratch, 'workspace'));
  const wanted = (process.env.VSCODE_HOST_SELFTEST_CASES ?? '').split(',').filter(Boolean);
  const selected = cases(scratch).filter((c) => wanted.length === 0 || wanted.includes(c.name));
  const problems = [];
  const started = Date.now();
  for (const testCase of selected) {
    const caseStarted = Date.now();
    const { code, output } = await runDriver(testCase.args);
    const caseProblems = [];
    if (code !== testCase.expect) caseProblems.push(`exit ${code}, expected ${testCase.expect}`);
    for (const text of testCase.output) if (!output.includes(text)) caseProblems.push(`output lacks ${JSON.stringify(text)}`);
    for (const file of testCase.files) if (!fs.existsSync(file)) caseProblems.push(`missing ${file}`);
    const tempDir = /\[host\] temp dir (\S+)/.exec(output)?.[1];
    if (!tempDir) caseProblems.push('driver did not report its temp dir');
    else if (fs.existsSync(tempDir)) caseProblems.push(`temp dir ${tempDir} not removed`);
    const groupId = Number(/\[host\] code-server process group (\d+)/.exec(output)?.[1]);
    if (!groupId) caseProblems.push('driver did not report the code-server process group');
    else {
      const alive = survivors(groupId);
      if (alive.length) caseProblems.push(`processes outlived the run:\n  ${alive.join('\n  ')}`);
    }
    const took = ((Date.now() - caseStarted) / 1000).toFixed(1);
    process.stdout.write(`[selftest] ${testCase.name}: ${caseProblems.length ? 'FAILED' : 'ok'} (exit ${code}, ${took} s)\n`);
    if (caseProblems.length) {
      process.stdout.write(`${output.replace(/^/gm, '    | ')}\n`);
      problems.push(...caseProblems.map((p) => `${testCase.name}: ${p}`));
    }
  }
  if (problems.length === 0) fs.rmSync(scratch, { recursive: true, force: true });
  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length) {
    process.stdout.write(`[selftest] FAILED in ${total} s (scratch kept: ${scratch}):\n  ${problems.join('\n  ')}\n`);
    return 1;
  }
  process.stdout.write(`[selftest] all ${selected.length} cases behaved in ${total} s\n`);
  return 0;
}
