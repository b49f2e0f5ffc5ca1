// Running things the way a user does, for the emulator suite: a generated bash script under
// Debian's real AWS CLI, and the shipped CLI bundle (dist/cli.js) in a process of its own.

import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findAwsCli } from '../../../tools/aws-emulator/awsCli';

export interface Ran { code: number; stdout: string; stderr: string }

function ran(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export function runBash(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return ran('bash', [script, ...args], env);
}

const SHIPPED_CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** `aurora-sg ARGS` from the built bundle, with exactly `env` (nothing of the machine's AWS setup leaks in). */
export function runShippedCli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return ran(process.execPath, [SHIPPED_CLI, ...args], env);
}

/**
 * The environment a generated script runs in: Debian's AWS CLI 2.9 predates AWS_ENDPOINT_URL
 * (CLI 2.13), so an `aws` first on PATH (in `workDir`/bin) adds --endpoint-url; the script is
 * unchanged. The instance metadata service is off unless `extra` says otherwise.
 */
export function awsCliShellEnv(workDir: string, endpointUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const bin = path.join(workDir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'aws'), `#!/bin/sh\nexec '${findAwsCli()}' --endpoint-url "$AURORA_SG_TEST_ENDPOINT" "$@"\n`);
  chmodSync(path.join(bin, 'aws'), 0o755);
  return {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, LANG: 'C.UTF-8', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONIOENCODING: 'utf-8', AURORA_SG_TEST_ENDPOINT: endpointUrl, ...extra,
  };
}
