#!/usr/bin/env node
// The integration suite in desktop VS Code through @vscode/test-electron, for machines that can
// download VS Code (or have one: VSCODE_EXECUTABLE). run.mjs starts this with --host electron;
// the default host is code-server (test/host), because this project's CI cannot download VS Code.
//
// Input (environment): AURORA_SG_IT_WORKSPACE, AURORA_SG_IT_ENV (JSON: the extension host's
// environment, VSCODE_TEST_FILES included), AURORA_SG_IT_USER_DATA; optional VSCODE_EXECUTABLE
// and VSCODE_TEST_VERSION (default: the minimum engines.vscode, so the floor we declare is tested).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const minimum = manifest.engines.vscode.replace(/^[\^~>=\s]+/, '');

try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION || minimum,
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
    cachePath: join(root, '.vscode-test'),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'test', 'host', 'mocha-runner.cjs'),
    extensionTestsEnv: JSON.parse(process.env.AURORA_SG_IT_ENV ?? '{}'),
    launchArgs: [process.env.AURORA_SG_IT_WORKSPACE, '--disable-extensions', `--user-data-dir=${process.env.AURORA_SG_IT_USER_DATA}`],
  });
} catch (error) {
  console.error(`@vscode/test-electron: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
