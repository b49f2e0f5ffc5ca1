import type { CliIo } from '../io';

/** One subcommand of aurora-sg. `run` returns the exit code; usage mistakes throw UsageError. */
export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** The full text of `aurora-sg NAME --help`. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}
