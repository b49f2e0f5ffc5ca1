// The command table of aurora-sg. Each command lives in its own file; the live-AWS
// commands (apply, backout, journal, collect) are the AWS layer's and are added here.

import { applyCommand } from './apply';
import { auditCommand } from './audit';
import { backoutCommand } from './backout';
import { collectCommand } from './collect';
import { demoCommand } from './demo';
import { fixCommand } from './fix';
import { journalCommand } from './journal';
import { planCommand } from './plan';
import type { Command } from './types';

export type { Command } from './types';

export const COMMANDS: readonly Command[] = [
  auditCommand,
  planCommand,
  fixCommand,
  demoCommand,
  applyCommand,
  backoutCommand,
  journalCommand,
  collectCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
