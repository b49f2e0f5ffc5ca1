// The journal as people read it: runs newest first, each with its status, where it ran, when
// (local time), what undid it, and its steps with the exact commands. Pure: the caller gives
// the runs (SDK journal and terminal runs, brought to one shape) and the time formatter.

import { markdownText, renderCommandLine, type Shell } from '../../remediation';
import { codeSpan } from './presentation';

export interface JournalStepView {
  explanation: string;
  /** The AWS CLI line, quoted for the user's shell. */
  command: string;
  status?: string;
  at?: string;
  message?: string;
}

export interface JournalEntry {
  id: string;
  route: 'sdk' | 'terminal';
  kind: 'run' | 'backout';
  title: string;
  status: string;
  createdAt?: string;
  /** The credentials' name as people read it. */
  who?: string;
  region?: string;
  endpointUrl?: string;
  message?: string;
  exitCode?: number;
  backoutOf?: string;
  backedOutBy?: string[];
  steps: JournalStepView[];
  /** The raw journal file, for those who want the JSON. */
  file?: string;
  /** Whether Back Out applies: a run that changed something and is not backed out. */
  backoutable: boolean;
}

export interface RenderedJournal {
  text: string;
  /** The line of each run's heading, for its actions. */
  headings: { line: number; entry: JournalEntry }[];
}

const STEP_MARK: Record<string, string> = { done: '✓', failed: '✗', skipped: '–', running: '…', pending: '·' };

export function renderJournal(entries: readonly JournalEntry[], formatTime: (iso: string) => string, where: string): RenderedJournal {
  const lines: string[] = ['# Aurora SG journal', ''];
  const headings: RenderedJournal['headings'] = [];
  if (!entries.length) {
    lines.push(`Nothing has been run yet. Runs are journaled in ${codeSpan(where)}.`, '');
    return { text: lines.join('\n'), headings };
  }
  lines.push(`${entries.length} run${entries.length === 1 ? '' : 's'}, newest first; times are local. Journal: ${codeSpan(where)}.`, '');
  for (const entry of entries) {
    headings.push({ line: lines.length, entry });
    lines.push(`## ${entry.kind === 'backout' ? 'Backout: ' : ''}${markdownText(entry.title)}`, '');
    const facts = [
      `**${entry.status}**${entry.exitCode !== undefined ? ` (exit ${entry.exitCode})` : ''}`,
      entry.route === 'sdk' ? 'AWS SDK' : 'terminal, AWS CLI',
      [entry.who, entry.region].filter(Boolean).map((t) => markdownText(t as string)).join(' / '),
      entry.endpointUrl ? `at ${markdownText(entry.endpointUrl)}` : '',
      entry.createdAt ? formatTime(entry.createdAt) : '',
    ].filter(Boolean);
    lines.push(`${facts.join(' · ')}  `, `Journal ${codeSpan(entry.id)}`);
    if (entry.backoutOf) lines.push('', `Backs out ${codeSpan(entry.backoutOf)}.`);
    if (entry.backedOutBy?.length) lines.push('', `Backed out by ${entry.backedOutBy.map(codeSpan).join(', ')}.`);
    if (entry.message) lines.push('', markdownText(entry.message));
    lines.push('');
    if (entry.route === 'terminal') lines.push('The steps ran as one script:', '');
    entry.steps.forEach((step, i) => {
      const mark = step.status ? `${STEP_MARK[step.status] ?? step.status} ` : '';
      const at = step.at ? ` (${formatTime(step.at)})` : '';
      lines.push(`${i + 1}. ${mark}${markdownText(step.explanation)}${at}${step.message ? `: ${markdownText(step.message)}` : ''}  `, `   ${codeSpan(step.command)}`);
    });
    lines.push('');
  }
  return { text: lines.join('\n'), headings };
}

/** A command line from a journal's argv (produced values already filled in). */
export function commandOf(cli: readonly string[], shell: Shell): string {
  return renderCommandLine([...cli], shell);
}
