// One run: code-server + headless Chromium, the development payload, and the exit code that the
// workbench reports through window.codeAutomationExit once the extension host's run() settles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort, loadHostInstall, startCodeServer, waitForHealthy } from './codeServer.mjs';
import { createLogForwarder } from './logForwarder.mjs';
import { startDriverBridge } from './driverBridge.mjs';
import { userSettings } from './settings.mjs';

export const EXIT_TIMEOUT = 124;
export const EXIT_HOST_BROKEN = 3;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Every outside lookup fails at once; the EXCLUDEs keep the page itself reachable.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const say = (message) => process.stdout.write(`[host] ${message}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A vscode-remote URI for an absolute path on this machine, on the authority the page came from. */
function remoteUri(authority, absPath) {
  return `vscode-remote://${authority}${pathToFileURL(absPath).pathname}`;
}

/** Writes atomically so a test polling for the file never sees half a PNG. */
async function screenshotTo(page, file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}.png`;
  await page.screenshot({ path: partial });
  fs.renameSync(partial, file);
  return file;
}

/**
 * Runs options.tests inside the workbench and resolves with the exit code: the tests' own (0 or 1),
 * 124 when no result arrived in time, 3 when the host could not start, 130/143 on SIGINT/SIGTERM.
 * Never resolves 0 without a result from the workbench.
 */
export async function runHost(options) {
  const started = Date.now();
  const install = loadHostInstall();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-sg-host-'));
  const codeServerLog = path.join(tempDir, 'code-server.log');
  say(`temp dir ${tempDir}`);
  const workspace = options.workspace ?? path.join(tempDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });

  let server;
  let browser;
  let page;
  let bridge;
  const pendingScreenshots = new Set();
  let settled = false;
  let resolveRun;
  const result = new Promise((resolve) => { resolveRun = resolve; });

  const killOnExit = () => server?.stopNow();
  const onSignal = (signal) => finish(signal === 'SIGINT' ? 130 : 143, `interrupted by ${signal}`);
  process.on('exit', killOnExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = setTimeout(
    () => finish(EXIT_TIMEOUT, `no result after ${options.timeoutSeconds} s`),
    options.timeoutSeconds * 1000,
  );

  async function takeScreenshot(file) {
    if (!page || page.isClosed()) return;
    const job = screenshotTo(page, file).then(
      (saved) => say(`screenshot saved: ${saved}`),
      (error) => say(`screenshot ${file} failed: ${error.message}`),
    );
    pendingScreenshots.add(job);
    await job;
    pendingScreenshots.delete(job);
  }

  async function finish(code, reason, workbenchLogs) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (reason) say(reason);
    try {
      await Promise.allSettled([...pendingScreenshots]);
      if (options.screenshot) await takeScreenshot(options.screenshot);
      if (code !== 0 && code !== 130 && code !== 143) {
        await takeScreenshot(path.join(options.resultsDir, 'host-failure.png'));
        if (code !== 1) say(`code-server log tail (${codeServerLog}):\n${tail(codeServerLog)}`);
      }
      if (options.keep && Array.isArray(workbenchLogs)) {
        for (const { relativePath, contents } of workbenchLogs) {
          const file = path.join(tempDir, 'workbench-logs', relativePath);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, contents);
        }
      }
      await Promise.all([browser?.close().catch(() => {}), server?.stop(), bridge?.close()]);
    } finally {
      process.off('exit', killOnExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (options.keep) say(`kept ${tempDir}`);
      else fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
      say(`exit ${code} after ${seconds(Date.now() - started)}`);
      resolveRun(code);
    }
  }

  const forwardLog = createLogForwarder({
    verbose: options.verbose,
    onScreenshotRequest: (name) => takeScreenshot(path.join(options.resultsDir, `${name}.png`)),
  });

  (async () => {
    const port = await freePort();
    const authority = `127.0.0.1:${port}`;
    server = startCodeServer({
      install,
      tempDir,
      port,
      trust: options.trust,
      userSettings: userSettings({ trust: options.trust, extra: options.settings }),
      logFile: codeServerLog,
      verbose: options.verbose,
    });
    say(`code-server process group ${server.pid}`);
    // Chromium starts while code-server boots: about a second saved per run.
    const launching = chromium.launch({
      executablePath: install.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      // Chromium's crash-report folder and caches go to the temp dir, not ~/.config/chromium.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(tempDir, 'chromium-config'), XDG_CACHE_HOME: path.join(tempDir, 'chromium-cache') },
    }).then((launched) => {
      browser = launched;
      if (settled) launched.close().catch(() => {}); // the run ended while Chromium was starting
      return launched;
    });
    launching.catch(() => {}); // awaited below; this only stops an early rejection going unhandled
    await waitForHealthy(server, Date.now() + 60_000, () => tail(codeServerLog));
    if (settled) return;
    say(`code-server ${install.codeServerVersion} (VS Code ${install.vscodeVersion}) ready at ${server.url} in ${seconds(Date.now() - started)}`);
    await launching;
    if (settled) return;
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('crash', () => finish(EXIT_HOST_BROKEN, 'the workbench page crashed'));
    if (options.verbose) {
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') process.stdout.write(`[page:${message.type()}] ${message.text()}\n`);
      });
      page.on('pageerror', (error) => process.stdout.write(`[page:error] ${error.stack ?? error.message}\n`));
    }
    await page.exposeFunction('codeAutomationLog', forwardLog);
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      // Answer the page right away; cleanup closes the browser this call came from.
      setImmediate(() => finish(typeof code === 'number' ? code : 1, undefined, logs));
    });

    // Tests drive the workbench through this endpoint (test/host/driver.cjs).
    bridge = await startDriverBridge({ getPage: () => page, resultsDir: options.resultsDir });
    const extensionEnv = { VSCODE_HOST_RESULTS_DIR: options.resultsDir, VSCODE_HOST_DRIVER: bridge.url, ...options.extensionEnv };
    const payload = [
      ['extensionDevelopmentPath', remoteUri(authority, options.extensionDir)],
      ['extensionTestsPath', remoteUri(authority, options.tests)],
      ['extensionEnvironment', JSON.stringify(extensionEnv)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    say(`opening ${workspace} with tests ${options.tests}${options.trust ? ' (workspace trust on, folder untrusted)' : ''}`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
  })().catch((error) => finish(EXIT_HOST_BROKEN, `host failed to start: ${error.stack ?? error.message}`));

  return result;
}
