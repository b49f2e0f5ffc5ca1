// A plan as Markdown for copying into a ticket or a review: title, summary, the remediation
// steps (explanation and a bash block each), the backout, warnings. Text from AWS is escaped
// so it cannot become markup, and code fences are longer than any backtick run they hold.

import type { Plan, Step } from '../model/plan';
import { assumeRoleArgv, roleSentence } from './assumeRole';
import { lookupsFor, stepCommand } from './script';
import { renderCommandLine } from './shell';

/** Plain text as inline Markdown: one line, markup characters escaped, HTML neutralised. */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]|~<>]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    // Only at the start of a line do these make a heading, list or quote.
    .replace(/^(\s*)([#+\-=>]|\d+[.)])/, '$1\\$2');
}

/** A fenced block whose fence cannot be closed by the content (CommonMark: a longer run of backticks). */
export function fencedBlock(content: string, language: string): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

function stepsSection(steps: Step[]): string[] {
  if (steps.length === 0) return ['Nothing to do.', ''];
  // Not a numbered list: a fence nested in a list item is indented, and a value's own
  // newlines would then gain that indentation when the raw Markdown is copied.
  return steps.flatMap((step, i) => [`**Step ${i + 1}.** ${markdownText(step.explanation)}`, '', fencedBlock(stepCommand(step, 'bash'), 'bash'), '']);
}

export function renderMarkdown(plan: Plan): string {
  const target = [plan.target.profile && `profile ${plan.target.profile}`, plan.target.region && `region ${plan.target.region}`,
    plan.target.accountId && `account ${plan.target.accountId}${plan.target.accountName ? ` (${plan.target.accountName})` : ''}`].filter(Boolean).join(', ');
  const role = roleSentence(plan);
  const assume = assumeRoleArgv(plan, 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]', 'text');
  const lines = [
    `# ${markdownText(plan.title)}`,
    '',
    markdownText(plan.summary),
    '',
    `Finding \`${plan.findingId.replace(/`/g, '')}\`, fix \`${plan.fix}\`${target ? `, ${markdownText(target)}` : ''}.`,
    '',
    ...(role && assume ? [
      `${markdownText(role)} Before each part, in the same shell:`,
      '',
      fencedBlock(`read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<< "$(${renderCommandLine(assume, 'bash')})"\nexport AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`, 'bash'),
      '',
    ] : []),
    '## Remediation',
    '',
    ...stepsSection(plan.steps),
    '## Backout',
    '',
    'Undoes the remediation, in this order.',
    '',
    ...lookupsFor(plan, plan.backout).flatMap((lookup) => [
      `In a new shell, set \`${lookup.ref}\` first to ${markdownText(lookup.what)}${lookup.argv.length ? ':' : '.'}`,
      '',
      ...(lookup.argv.length ? [fencedBlock(`${lookup.ref}="$(${renderCommandLine(lookup.argv, 'bash')})"`, 'bash'), ''] : []),
    ]),
    ...stepsSection(plan.backout),
  ];
  if (plan.warnings.length) lines.push('## Warnings', '', ...plan.warnings.map((w) => `- ${markdownText(w)}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
