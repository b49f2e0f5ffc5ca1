// The command table of aurora-sg. Each command lives in its own file; the live-AWS
// commands (apply, backout, journal, collect) are the AWS layer's and are added here.

import { auditCommand } from './audit';
import { demoCommand } from './demo';
import { planCommand } from './plan';
import type { Command } from './types';

export type { Command } from './types';

export const COMMANDS: readonly Command[] = [
  auditCommand,
  planCommand,
  demoCommand,
  // AWS helper: add applyCommand (./apply), backoutCommand (./backout), journalCommand (./journal) and collectCommand (./collect) here, one line each.
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
