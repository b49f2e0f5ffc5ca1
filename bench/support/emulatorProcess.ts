// The emulator in a process of its own, for benchmarks: the audit measured and the server
// answering it must not share one event loop (or one core's worth of JIT and GC).

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Starts tools/aws-emulator/main.ts with `args`; resolves with its URL once it listens. */
export async function startEmulatorProcess(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'tools', 'aws-emulator', 'main.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  return { url, child };
}
