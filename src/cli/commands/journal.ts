// aurora-sg journal: the runs of "apply" and "backout", newest first, or one run in detail.
// Also what the live-AWS commands share about journals: the folder and its help line.

import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { oneOf, parseOrUsage } from '../args';
import { renderCommandLine } from '../../remediation';
import { type CliIo, EXIT_CLEAN, loadAws, UsageError } from '../io';
import type { Command } from './types';

/** --journal DIR, else ~/.aurora-sg/journal. */
export function journalDirOf(value: string | undefined, io: CliIo): string {
  if (value !== undefined) return path.resolve(io.cwd, value);
  return path.join(io.env.HOME || io.env.USERPROFILE || os.homedir(), '.aurora-sg', 'journal');
}

export const JOURNAL_HELP_LINE = '  --journal DIR         where run journals live (default ~/.aurora-sg/journal)';

const HELP = `Usage: aurora-sg journal [ID] [--journal DIR] [--format table|json]

Lists the runs of "aurora-sg apply" and "aurora-sg backout", newest first: id, status,
steps done, what was fixed, where. With an ID, shows that run step by step.

${JOURNAL_HELP_LINE}
  --format F            table (default) or json
`;

export const journalCommand: Command = {
  name: 'journal',
  summary: 'list the runs of apply and backout (their journals)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOrUsage('journal', () => parseArgs({
      args,
      options: { journal: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    }));
    if (values.help) { io.out(HELP); return EXIT_CLEAN; }
    if (positionals.length > 1) throw new UsageError(`one journal id at most, not ${positionals.length}`, 'journal');
    const format = oneOf('journal', '--format', values.format, ['table', 'json'] as const, 'table');
    const dir = journalDirOf(values.journal, io);
    const aws = await loadAws('journal', io);
    if (positionals[0]) {
      let run;
      try {
        run = await aws.readRun(dir, positionals[0]);
      } catch (error) {
        throw new UsageError((error as Error).message, 'journal');
      }
      if (format === 'json') { io.out(`${JSON.stringify(run, null, 2)}\n`); return EXIT_CLEAN; }
      io.out(`${run.id}  ${run.kind}  ${run.status}  ${aws.credentialsLabel(run.profile)} / ${run.region}\n${run.plan.title}\n`);
      if (run.backoutOf) io.out(`backs out ${run.backoutOf}\n`);
      if (run.backedOutBy?.length) io.out(`backed out by ${run.backedOutBy.join(', ')}\n`);
      if (run.message) io.out(`${run.message}\n`);
      for (const step of run.steps) {
        io.out(`  ${step.index + 1}. [${step.status}] ${step.explanation}\n     ${renderCommandLine(step.cli, 'bash')}\n`);
        if (step.result) io.out(`     result: ${JSON.stringify(step.result)}\n`);
        if (step.message) io.out(`     ${step.message}\n`);
      }
      if (run.verification) io.out(`${run.verification.message}\n`);
      return EXIT_CLEAN;
    }
    const runs = await aws.listRuns(dir);
    if (format === 'json') { io.out(`${JSON.stringify({ version: 1, journalDir: dir, runs }, null, 2)}\n`); return EXIT_CLEAN; }
    if (!runs.length) { io.out(`No runs in ${dir}.\n`); return EXIT_CLEAN; }
    for (const run of runs) {
      if (run.status === 'unreadable') { io.out(`${run.id}  unreadable: ${run.problem}\n`); continue; }
      const link = run.backoutOf ? `  (backs out ${run.backoutOf})` : run.backedOutBy?.length ? `  (backed out by ${run.backedOutBy.join(', ')})` : '';
      const status = run.interrupted ? 'interrupted' : run.status;
      io.out(`${run.id}  ${run.kind.padEnd(7)} ${status.padEnd(11)} ${run.stepsDone}/${run.stepsTotal} steps  ${run.profile === undefined ? '?' : aws.credentialsLabel(run.profile)} / ${run.region ?? '?'}  ${run.title}${link}\n`);
    }
    return EXIT_CLEAN;
  },
};
