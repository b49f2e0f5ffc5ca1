// Tests module for integration suites: runs INSIDE the extension host (code-server under
// test/host/run.mjs, or desktop VS Code under @vscode/test-electron) and runs mocha there.
//
//   VSCODE_TEST_FILES  JSON array of absolute paths to compiled test files (.js/.cjs/.mjs), or
//   VSCODE_TEST_DIR    a folder searched recursively for *.test.js / *.test.cjs / *.test.mjs;
//   VSCODE_TEST_GREP   optional: only tests whose full title matches this regular expression.
//
// Output goes through console.log, which the extension host forwards to the driver's stdout.
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../..');
const TEST_FILE = /\.test\.(c|m)?js$/;

// The extension host's cwd is not the repo: resolve mocha from the repo's node_modules. Mocha 12's
// package entry is ESM; its CommonJS build is lib/mocha.cjs.
function loadMocha() {
  try {
    return require(require.resolve('mocha/lib/mocha.cjs', { paths: [REPO_ROOT] }));
  } catch {
    return require(require.resolve('mocha', { paths: [REPO_ROOT] }));
  }
}

function listTestFiles(env = process.env) {
  if (env.VSCODE_TEST_FILES) {
    let files;
    try {
      files = JSON.parse(env.VSCODE_TEST_FILES);
    } catch (error) {
      throw new Error(`VSCODE_TEST_FILES is not JSON (${error.message}): ${env.VSCODE_TEST_FILES}`);
    }
    if (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || !path.isAbsolute(f))) {
      throw new Error(`VSCODE_TEST_FILES must be a JSON array of absolute paths, got: ${env.VSCODE_TEST_FILES}`);
    }
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length) throw new Error(`VSCODE_TEST_FILES names missing files: ${missing.join(', ')}`);
    return files;
  }
  if (env.VSCODE_TEST_DIR) {
    const dir = path.resolve(env.VSCODE_TEST_DIR);
    if (!fs.existsSync(dir)) throw new Error(`VSCODE_TEST_DIR does not exist: ${dir}`);
    return fs.readdirSync(dir, { recursive: true })
      .map(String)
      .filter((name) => TEST_FILE.test(name))
      .map((name) => path.join(dir, name))
      .sort();
  }
  throw new Error('set VSCODE_TEST_FILES (JSON array of absolute paths) or VSCODE_TEST_DIR (folder of *.test.js)');
}

/** Mocha's spec output plus a last line `N passed, N failed` that scripts and people can grep. */
function summaryReporter(Mocha) {
  const { Spec } = Mocha.reporters;
  return class SpecWithSummary extends Spec {
    constructor(runner, options) {
      super(runner, options);
      runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
        const { passes, failures, pending } = this.stats;
        console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} pending` : ''}`);
      });
    }
  };
}

async function run() {
  const Mocha = loadMocha();
  const files = listTestFiles();
  if (files.length === 0) throw new Error(`no test files found (${process.env.VSCODE_TEST_DIR ?? process.env.VSCODE_TEST_FILES})`);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60000,
    color: false,
    reporter: summaryReporter(Mocha),
    ...(process.env.VSCODE_TEST_GREP ? { grep: process.env.VSCODE_TEST_GREP } : {}),
  });
  for (const file of files) mocha.addFile(file);
  // mocha.run() loads files with require(), which keeps `require('vscode')` in test files working;
  // ESM files need the async loader first.
  if (files.some((f) => f.endsWith('.mjs'))) await mocha.loadFilesAsync();
  const failures = await new Promise((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}

module.exports = { run, listTestFiles };
