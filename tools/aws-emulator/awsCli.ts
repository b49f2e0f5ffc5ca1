// Runs the real AWS CLI against the emulator, isolated from the machine's AWS setup:
// dummy keys, empty config and credentials files, no pager. For tests and benchmarks.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The AWS CLI to use: $AWS_CLI, else Debian's package (/usr/bin/aws, which `apt-get install awscli`
 * puts there even when another `aws` comes first on PATH), else `aws` on PATH.
 */
export function findAwsCli(): string {
  if (process.env.AWS_CLI) return process.env.AWS_CLI;
  return existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
}

let isolatedDir: string | undefined;

/** Environment for a CLI that must see nothing of the user's profiles. */
export function isolatedAwsEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  if (!isolatedDir) {
    isolatedDir = mkdtempSync(join(tmpdir(), 'aws-emulator-cli-'));
    writeFileSync(join(isolatedDir, 'config'), '');
    writeFileSync(join(isolatedDir, 'credentials'), '');
  }
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SYSTEMROOT']) if (process.env[key] !== undefined) env[key] = process.env[key];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: join(isolatedDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(isolatedDir, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONIOENCODING: 'utf-8',
    ...extra,
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws --endpoint-url URL --region R ARGS...`; resolves with the exit code (never rejects on a failing command). */
export function runAwsCli(args: string[], options: { endpointUrl: string; region: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const argv = ['--endpoint-url', options.endpointUrl, '--region', options.region, '--output', 'json', ...args];
  return new Promise((resolve, reject) => {
    execFile(findAwsCli(), argv, { env: isolatedAwsEnv(options.env), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`could not run the AWS CLI (${findAwsCli()}): ${error.message}`));
        return;
      }
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** The CLI's version line, e.g. "aws-cli/2.9.19 Python/3.11.2 ...", or undefined when there is no CLI. */
export function awsCliVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(findAwsCli(), ['--version'], { env: isolatedAwsEnv() }, (error, stdout, stderr) => {
      resolve(error ? undefined : (stdout || stderr).trim());
    });
  });
}

/** JSON with every object's keys sorted and every list sorted, so that order never matters in a comparison. */
export function normaliseJson(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(normaliseJson).sort((a, b) => {
      const x = JSON.stringify(a);
      const y = JSON.stringify(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, normaliseJson((value as Record<string, unknown>)[k])]));
  }
  return value;
}
