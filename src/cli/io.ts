// What a command may touch of the outside world, passed in so tests run commands in-process.

import type * as AwsModule from '../aws';

export interface CliIo {
  /** Writes to standard output, as is. */
  out(text: string): void;
  /** Writes to standard error, as is. */
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether standard output is a terminal: colour and column widths only then. */
  isTTY: boolean;
  /** Terminal width, when known. */
  columns?: number;
  /** Asks a question on the terminal and returns the answer; absent when nobody can answer (CI, pipes). */
  prompt?: (question: string) => Promise<string>;
  /**
   * Loads the AWS layer. Absent (the real command): the dynamic import of ../aws, which is
   * dist/aws.js in the bundle, so audits of files never load the SDK. In-process tests hand
   * the module in, since their loader cannot resolve that dynamic import of a folder.
   */
  loadAws?: () => Promise<typeof AwsModule>;
}

/** Exit codes (design.md section 6). */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line or its input (unknown flag, missing folder, bad config): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command whose --help to point at. */
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

export type Aws = typeof AwsModule;

/**
 * The AWS layer, loaded only when a command needs it: in the bundle this is dist/aws.js,
 * which holds the SDK, so audits of files and IaC never load it.
 */
export async function loadAws(command: string, io: CliIo): Promise<Aws> {
  try {
    return io.loadAws ? await io.loadAws() : ((await import('../aws')) as Aws);
  } catch (error) {
    throw new UsageError(`this needs the AWS layer, which could not be loaded (${(error as Error).message}); build it with "npm run build"`, command);
  }
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourEnabled(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '' && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

export function nodeIo(): CliIo {
  // `aurora-sg audit | head`: the reader left; stop quietly instead of dying on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io: CliIo = {
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
  if (process.stdout.columns) io.columns = process.stdout.columns;
  if (process.stdin.isTTY) {
    io.prompt = async (question) => {
      const readline = await import('node:readline/promises');
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    };
  }
  return io;
}
