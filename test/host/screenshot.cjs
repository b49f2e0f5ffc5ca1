// For tests running inside the extension host: ask the test host driver for a screenshot of the
// workbench and wait until the PNG is on disk. Under @vscode/test-electron (no driver) it does
// nothing and resolves undefined, so the same test runs in both hosts.
const fs = require('node:fs');
const path = require('node:path');

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

/**
 * @param {string} name file name without .png: letters, digits, '.', '_', '-'
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<string | undefined>} the saved file, or undefined when not under the driver
 */
async function requestScreenshot(name, { timeoutMs = 15000 } = {}) {
  if (!NAME.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)} must match ${NAME}`);
  const dir = process.env.VSCODE_HOST_RESULTS_DIR;
  if (!dir) return undefined;
  const file = path.join(dir, `${name}.png`);
  fs.rmSync(file, { force: true });
  // The driver watches the extension host's console for this exact line (test/host/lib/logForwarder.mjs).
  console.log(`[host] screenshot ${name}`);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the test host did not save ${file} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return file;
}

module.exports = { requestScreenshot };
