#!/usr/bin/env node
// Test host driver: runs a VS Code extension's tests in the real VS Code workbench that code-server
// ships, driven by headless Chromium, with no download. See test/host/README.md.
import { HostInstallError } from './lib/codeServer.mjs';
import { runHost } from './lib/host.mjs';
import { USAGE, UsageError, parseOptions } from './lib/options.mjs';
import { runSelftest } from './selftest/selftest.mjs';

async function main() {
  let options;
  try {
    options = parseOptions();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`[host] ${error.message} (see --help)\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    return options.selftest ? await runSelftest(options) : await runHost(options);
  } catch (error) {
    if (!(error instanceof HostInstallError)) throw error;
    process.stderr.write(`[host] ${error.message}\n`);
    return 2;
  }
}

process.exitCode = await main();
// Playwright and fetch may hold handles open; the result is decided, so leave now.
process.exit(process.exitCode);
