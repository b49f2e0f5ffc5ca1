// Runs rendered bash for real, with a stub `aws` first on PATH that appends its argv (as
// JSON, one line per call) to a log, so a test can compare argv with the plan's exactly.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STUB_GROUP_ID = 'sg-0stub00000000001';

export interface BashRun {
  status: number | null; stderr: string; stdout: string; calls: string[][];
  /** AWS_SESSION_TOKEN as each call saw it ('' when unset): which credentials each step ran on. */
  sessionTokens: string[];
}

/** What the stub answers to `aws sts assume-role ... --output text`. */
export const STUB_ROLE_KEYS = ['ASIASTUBROLE0000001', 'stub-role-secret', 'stub-role-session-token'];

export class BashHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'aurora-sg-shell-'));
  private readonly bin = join(this.dir, 'bin');
  private readonly log = join(this.dir, 'aws-calls.jsonl');
  private runs = 0;

  constructor() {
    spawnSync('mkdir', ['-p', this.bin]);
    const stub = join(this.bin, 'aws');
    writeFileSync(stub, `#!${process.execPath}
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.AWS_STUB_LOG, JSON.stringify(args) + '\\n');
fs.appendFileSync(process.env.AWS_STUB_LOG + '.tokens', (process.env.AWS_SESSION_TOKEN ?? '') + '\\n');
if (process.env.AWS_STUB_FAIL_ON && args.includes(process.env.AWS_STUB_FAIL_ON)) { process.stderr.write('stub failure\\n'); process.exit(254); }
if (args.includes('assume-role')) process.stdout.write(${JSON.stringify(STUB_ROLE_KEYS.join('\t'))} + '\\n');
if (args.includes('create-security-group')) process.stdout.write(${JSON.stringify(STUB_GROUP_ID)} + '\\n');
if (args.includes('describe-security-groups')) process.stdout.write((process.env.AWS_STUB_DESCRIBE ?? ${JSON.stringify(STUB_GROUP_ID)}) + '\\n');
`);
    chmodSync(stub, 0o755);
  }

  /** A path inside the harness folder that hostile values try to create. */
  trap(name: string): string {
    return join(this.dir, name);
  }

  assertNoTrapSprung(names: string[]): void {
    for (const name of names) if (existsSync(this.trap(name))) throw new Error(`side effect: ${this.trap(name)} was created`);
  }

  run(script: string, args: string[] = [], env: Record<string, string> = {}): BashRun {
    const file = join(this.dir, `script-${++this.runs}.sh`);
    writeFileSync(file, script);
    rmSync(this.log, { force: true });
    rmSync(`${this.log}.tokens`, { force: true });
    const result = spawnSync('bash', [file, ...args], {
      cwd: this.dir,
      env: { PATH: `${this.bin}:${process.env.PATH}`, HOME: this.dir, AWS_STUB_LOG: this.log, LC_ALL: 'C.UTF-8', ...env },
      encoding: 'utf8',
    });
    const calls = existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : [];
    const sessionTokens = existsSync(`${this.log}.tokens`) ? readFileSync(`${this.log}.tokens`, 'utf8').split('\n').slice(0, calls.length) : [];
    return { status: result.status, stderr: result.stderr, stdout: result.stdout, calls, sessionTokens };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Hostile strings as AWS could return them in names and descriptions; `trap` names files they try to create. */
export function hostileValues(trap: (name: string) => string): { values: string[]; traps: string[] } {
  const traps = ['subst', 'backtick', 'semi', 'and', 'pipe', 'newline', 'dollar-paren-in-dq', 'redirect'];
  const values = [
    `$(touch ${trap('subst')})`,
    `\`touch ${trap('backtick')}\``,
    `x; touch ${trap('semi')}`,
    `x && touch ${trap('and')}`,
    `x | touch ${trap('pipe')}`,
    `first line\ntouch ${trap('newline')}\n`,
    `"$(touch ${trap('dollar-paren-in-dq')})"`,
    `> ${trap('redirect')}`,
    "it's", 'say "hi"', `'"'"'`, "\\'", '\\', 'a\r\nb', ';', '&', '|', '$HOME', '${HOME}', '$((6*7))', "$'\\x41'",
    '!!', '!$', '* ? [a]', '~', '#not a comment', '%s%n', '<in', 'ünïcödé ☃ 🚀 日本語', '‘smart’ “quotes” ‚low‛', '\u2028line sep', '\u202eevil',
    '', ' ', '  two  spaces  ', '\t', '-x', '--profile', 'file:///etc/passwd', '{"json":"in json"}',
  ];
  return { values, traps };
}
