// Starts code-server (the VS Code workbench + a Node extension host) on a free local port in its
// own process group, so that stopping it also stops the extension host and its children.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './options.mjs';

export class HostInstallError extends Error {}

/** Reads the manifest that tools/install-vscode-host.sh writes, and checks the binaries it names. */
export function loadHostInstall(env = process.env) {
  const hostDir = path.resolve(env.VSCODE_HOST_DIR || path.join(REPO_ROOT, '.cache/vscode-host'));
  const manifestPath = path.join(hostDir, 'host.json');
  const hint = `run tools/install-vscode-host.sh${env.VSCODE_HOST_DIR ? ' with the same VSCODE_HOST_DIR' : ''}`;
  if (!fs.existsSync(manifestPath)) throw new HostInstallError(`no VS Code test host in ${hostDir}: ${hint}`);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new HostInstallError(`${manifestPath} is unreadable (${error.message}): ${hint}`);
  }
  for (const key of ['node', 'codeServerEntry', 'chromium']) {
    if (typeof manifest[key] !== 'string' || !fs.existsSync(manifest[key])) {
      throw new HostInstallError(`${manifestPath}: ${key} ${JSON.stringify(manifest[key])} does not exist: ${hint}`);
    }
  }
  return manifest;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ install: object, tempDir: string, port: number, trust: boolean, userSettings: object, logFile: string, verbose: boolean }} o
 * @returns {{ url: string, stop(): Promise<void>, stopNow(): void, exited: Promise<number|null> }}
 */
export function startCodeServer({ install, tempDir, port, trust, userSettings, logFile, verbose }) {
  const dirs = Object.fromEntries(
    ['ud', 'ext', 'tmp', 'xdg-config', 'xdg-data', 'xdg-cache', 'xdg-runtime'].map((name) => [name, path.join(tempDir, name)]),
  );
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.ud, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  // Our own config so ~/.config/code-server/config.yaml (password auth) is never read.
  const configPath = path.join(tempDir, 'config.yaml');
  fs.writeFileSync(configPath, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const args = [
    install.codeServerEntry,
    '--config', configPath,
    '--user-data-dir', dirs.ud,
    '--extensions-dir', dirs.ext,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--disable-proxy',
    // Without this the built workbench ignores the development payload and the run hangs.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  if (!trust) args.push('--disable-workspace-trust');

  const env = {
    ...process.env,
    EXTENSIONS_GALLERY: '{}', // no marketplace lookups offline
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    XDG_RUNTIME_DIR: dirs['xdg-runtime'],
  };
  // Inherited from a VS Code terminal these would make code-server talk to that VS Code instead.
  for (const name of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_IPC_HOOK', 'ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']) delete env[name];

  const log = fs.openSync(logFile, 'a');
  const child = spawn(install.node, args, { env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  if (verbose) {
    // Follow the log file rather than piping, so code-server never blocks on a full pipe.
    process.stdout.write(`[host] code-server output: ${logFile}\n`);
  }

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  let groupAlive = true;
  const signalGroup = (signal) => {
    if (!groupAlive) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if (error.code === 'ESRCH') groupAlive = false;
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    exited,
    /** Synchronous last resort for process 'exit' handlers. */
    stopNow() {
      signalGroup('SIGKILL');
      groupAlive = false;
    },
    /** TERM the whole group (extension host included), then KILL whatever is left after 1.5 s. */
    async stop() {
      signalGroup('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1500).unref())]);
      // The leader may be gone while its children (the extension host) linger in the group.
      signalGroup('SIGKILL');
      groupAlive = false;
    },
  };
}

/** Polls /healthz until code-server answers 200, it exits, or the deadline passes. */
export async function waitForHealthy(server, deadlineMs, readLogTail) {
  let exitedWith;
  server.exited.then((code) => { exitedWith = code; });
  while (Date.now() < deadlineMs) {
    if (exitedWith !== undefined) {
      throw new Error(`code-server exited with ${exitedWith} before it was ready:\n${readLogTail()}`);
    }
    try {
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`code-server did not answer ${server.url}/healthz in time:\n${readLogTail()}`);
}
