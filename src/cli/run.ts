// aurora-sg: dispatches to a command and turns every outcome into an exit code. Exported
// for tests, which run the CLI in-process with their own CliIo.

import { COMMANDS, findCommand } from './commands';
import { type CliIo, EXIT_CLEAN, EXIT_USAGE, UsageError } from './io';
import { TOOL_NAME, TOOL_VERSION } from './version';

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: ${TOOL_NAME} <command> [options]

Audits and fixes the security groups of Amazon Aurora clusters.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "${TOOL_NAME} <command> --help" for a command's options.
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
`;
}

function unknownCommand(name: string, io: CliIo): number {
  io.err(`${TOOL_NAME}: unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}. Run "${TOOL_NAME} --help".\n`);
  return EXIT_USAGE;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const asked = name === 'help' ? rest[0] : undefined;
    const about = asked === undefined ? undefined : findCommand(asked);
    if (asked !== undefined && !about) return unknownCommand(asked, io);
    io.out(about ? about.help : topLevelHelp());
    return EXIT_CLEAN;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${TOOL_VERSION}\n`);
    return EXIT_CLEAN;
  }
  const command = findCommand(name);
  if (!command) return unknownCommand(name, io);
  try {
    return await command.run([...rest], io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${TOOL_NAME} ${error.command ?? command.name}: ${error.message}\nRun "${TOOL_NAME} ${error.command ?? command.name} --help" for its options.\n`);
      return EXIT_USAGE;
    }
    // A bug, not the user's fault: say so, with the stack for the report.
    const e = error as Error;
    io.err(`${TOOL_NAME} ${command.name}: internal error: ${e.message}\n${e.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}
