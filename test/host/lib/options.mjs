// Command-line and environment options of the test host driver. Every option has an env twin
// (VSCODE_HOST_*) so npm scripts and CI can set them without quoting JSON on a command line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export class UsageError extends Error {}

export const USAGE = `Usage: node test/host/run.mjs [options]
       node test/host/run.mjs --selftest

Runs a VS Code extension's tests module inside the VS Code workbench of code-server,
driven by headless Chromium. Exit code: the tests' (0 pass, 1 failure), 124 on timeout,
2 on bad usage or no host install, 3 when the host could not start, 130/143 on SIGINT/SIGTERM.

  --extension-dir DIR   extension under development       [VSCODE_HOST_EXTENSION_DIR] (repo root)
  --tests FILE          compiled tests module (.js) exporting run()      [VSCODE_HOST_TESTS]
  --workspace DIR       folder to open                    [VSCODE_HOST_WORKSPACE] (empty temp dir)
  --env JSON            extensionEnvironment: env vars for the extension host [VSCODE_HOST_ENV]
  --settings JSON       extra user settings, merged over the quiet defaults   [VSCODE_HOST_SETTINGS]
  --trust               enable workspace trust; the opened folder starts untrusted [VSCODE_HOST_TRUST=1]
  --screenshot FILE     save a screenshot of the workbench when the tests end [VSCODE_HOST_SCREENSHOT]
  --results-dir DIR     where '[host] screenshot NAME' requests are saved
                                                          [VSCODE_HOST_RESULTS_DIR] (repo test-results/)
  --timeout SECONDS     exit 124 when no result arrives in time  [VSCODE_HOST_TIMEOUT] (300)
  --keep                keep the temp dir (logs, user data) [VSCODE_HOST_KEEP=1]
  --verbose             also print the workbench's own console errors and code-server's output
                                                          [VSCODE_HOST_VERBOSE=1]
  --selftest            run the host's own checks (pass, fail, mocha, untrusted, timeout);
                        VSCODE_HOST_SELFTEST_CASES=pass,fail picks some
  --help
Host binaries come from tools/install-vscode-host.sh, found in $VSCODE_HOST_DIR
(default <repo>/.cache/vscode-host).`;

function parseJsonObject(text, name) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON (${error.message}): ${text}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${name} must be a JSON object, got: ${text}`);
  }
  return value;
}

function existingDir(dir, name) {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UsageError(`${name}: no such folder: ${abs}`);
  return abs;
}

const truthy = (value) => value !== undefined && value !== '' && value !== '0' && value !== 'false';

/** Parses argv and VSCODE_HOST_* env into the options object runHost() takes. */
export function parseOptions(argv = process.argv.slice(2), env = process.env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        'extension-dir': { type: 'string' },
        tests: { type: 'string' },
        workspace: { type: 'string' },
        env: { type: 'string' },
        settings: { type: 'string' },
        trust: { type: 'boolean' },
        screenshot: { type: 'string' },
        'results-dir': { type: 'string' },
        timeout: { type: 'string' },
        keep: { type: 'boolean' },
        verbose: { type: 'boolean' },
        selftest: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error.message);
  }
  const pick = (flag, envName) => parsed[flag] ?? env[envName];
  const flag = (name, envName) => parsed[name] ?? truthy(env[envName]);

  const timeoutText = pick('timeout', 'VSCODE_HOST_TIMEOUT') ?? '300';
  const timeoutSeconds = Number(timeoutText);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got: ${timeoutText}`);
  }

  const options = {
    help: Boolean(parsed.help),
    selftest: Boolean(parsed.selftest),
    extensionDir: existingDir(pick('extension-dir', 'VSCODE_HOST_EXTENSION_DIR') ?? REPO_ROOT, '--extension-dir'),
    tests: undefined,
    workspace: undefined,
    extensionEnv: parseJsonObject(pick('env', 'VSCODE_HOST_ENV') ?? '{}', '--env'),
    settings: parseJsonObject(pick('settings', 'VSCODE_HOST_SETTINGS') ?? '{}', '--settings'),
    trust: flag('trust', 'VSCODE_HOST_TRUST'),
    screenshot: undefined,
    resultsDir: path.resolve(pick('results-dir', 'VSCODE_HOST_RESULTS_DIR') ?? path.join(REPO_ROOT, 'test-results')),
    timeoutSeconds,
    keep: flag('keep', 'VSCODE_HOST_KEEP'),
    verbose: flag('verbose', 'VSCODE_HOST_VERBOSE'),
  };
  for (const [key, value] of Object.entries(options.extensionEnv)) {
    if (typeof value !== 'string') throw new UsageError(`--env: value of ${key} must be a string, got ${JSON.stringify(value)}`);
  }
  const workspace = pick('workspace', 'VSCODE_HOST_WORKSPACE');
  if (workspace) options.workspace = existingDir(workspace, '--workspace');
  const screenshot = pick('screenshot', 'VSCODE_HOST_SCREENSHOT');
  if (screenshot) options.screenshot = path.resolve(screenshot);

  if (options.help || options.selftest) return options;
  const tests = pick('tests', 'VSCODE_HOST_TESTS');
  if (!tests) throw new UsageError('--tests is required: the compiled tests module (.js) that exports run()');
  // The workbench loads the module by URI with no Node resolution: it must be an existing file.
  options.tests = path.resolve(tests);
  if (!fs.existsSync(options.tests) || !fs.statSync(options.tests).isFile()) {
    throw new UsageError(`--tests: no such file: ${options.tests} (give the compiled .js file, not a folder or module name)`);
  }
  return options;
}
