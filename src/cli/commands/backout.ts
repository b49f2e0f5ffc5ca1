// aurora-sg backout JOURNAL-ID: undoes a run of "apply" from its journal (real ids, exact
// old rules), shows the steps first and asks, journals the backout too.

import { parseArgs } from 'node:util';
import { renderCommandLine } from '../../remediation';
import { parseOrUsage } from '../args';
import { type Aws, type CliIo, EXIT_CLEAN, EXIT_FINDINGS, loadAws, UsageError } from '../io';
import { finishRun, reportEvent, withCancellation } from './apply';
import { JOURNAL_HELP_LINE, journalDirOf } from './journal';
import type { Command } from './types';

const HELP = `Usage: aurora-sg backout JOURNAL-ID [--yes] [--journal DIR] [--endpoint-url URL]

Undoes a run of "aurora-sg apply", from its journal: the steps that ran are reversed,
newest first, with the real ids the run recorded and the exact old rules (descriptions
included). A run that stopped half-way, or whose process was killed, can be backed out
too: a step whose outcome is unknown is undone only if it took effect. The account is
read before each step, and at the end it is compared with the state the run started from.
"aurora-sg journal" lists the runs and their ids.

  --yes                 do not ask before running
  --profile P, --region R   override the profile and region the journal names
  --endpoint-url URL    send the calls to another endpoint (default: the run's own)
${JOURNAL_HELP_LINE}
`;

export const backoutCommand: Command = {
  name: 'backout',
  summary: 'undo a run of apply from its journal',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOrUsage('backout', () => parseArgs({
      args,
      options: {
        yes: { type: 'boolean', short: 'y' },
        journal: { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
    if (values.help) { io.out(HELP); return EXIT_CLEAN; }
    if (positionals.length !== 1) throw new UsageError('name one run to undo: aurora-sg backout JOURNAL-ID ("aurora-sg journal" lists them)', 'backout');
    const journalId = positionals[0]!;
    const aws = await loadAws('backout', io);
    const options: Parameters<Aws['backoutRun']>[1] = { journalDir: journalDirOf(values.journal, io), env: io.env, onStep: (event) => reportEvent(event, io) };
    if (values['endpoint-url'] !== undefined) options.endpointUrl = values['endpoint-url'];
    if (values.profile !== undefined) options.profile = values.profile;
    if (values.region !== undefined) options.region = values.region;

    let preview;
    try {
      preview = await aws.planBackout(journalId, options);
    } catch (error) {
      if (error instanceof aws.AwsError || error instanceof aws.JournalError) throw new UsageError((error as Error).message, 'backout');
      throw error;
    }
    const { original, steps } = preview;
    io.err(`Backout of ${original.id} (${original.status}): ${original.plan.title}\nTarget: ${aws.credentialsLabel(options.profile ?? original.profile)} / ${options.region ?? original.region}\n\n`);
    if (!steps.length) {
      io.out(`Nothing to undo: no step of ${original.id} changed the account.\n`);
      return EXIT_CLEAN;
    }
    steps.forEach((step, i) => io.err(`  ${i + 1}. ${step.explanation}\n     ${renderCommandLine(step.cli, 'bash')}${step.tolerant ? '\n     (the original call\'s outcome is unknown: undone only if it took effect)' : ''}\n`));
    io.err('\n');
    if (!values.yes) {
      if (!io.prompt) throw new UsageError('nobody can confirm here (no terminal): review the steps above and pass --yes', 'backout');
      const answer = (await io.prompt(`Run these ${steps.length} step(s)? [y/N] `)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') { io.err('aurora-sg: nothing was run.\n'); return EXIT_FINDINGS; }
    }
    return withCancellation(options, async () => finishRun(await aws.backoutRun(journalId, options), io, false, true), io);
  },
};
