// aurora-sg plan: the remediation and backout of one finding, as a runnable script
// (bash or PowerShell), Markdown, or the plan itself as JSON (what `apply` runs).

import { parseArgs } from 'node:util';
import type { Plan } from '../../model/plan';
import { FIX_KINDS, type Finding, type FixKind, type Inventory } from '../../model/types';
import { applicableFixes, buildPlan, PlanError, type PlanRequest, renderMarkdown, renderScript, type Shell } from '../../remediation';
import { defaultSettings } from '../../rules';
import { oneOf, parseOrUsage } from '../args';
import { type AuditReport, runAudit } from '../auditRun';
import { type CliIo, EXIT_CLEAN, UsageError } from '../io';
import { oneLine } from '../report/text';
import { loadSettingsFile } from '../settingsFile';
import { SOURCE_HELP, SOURCE_OPTIONS, sourceFlags } from './audit';
import type { Command } from './types';

export const SHELLS: readonly Shell[] = ['bash', 'powershell'];
const PARTS = ['remediation', 'backout'] as const;
const PLAN_FORMATS = ['script', 'markdown', 'json'] as const;

const HELP = `Usage: aurora-sg plan [sources] (--finding ID | --cluster ID) [--fix KIND] [--allow CIDR|SG|PL]...
                      [--shell bash|powershell] [--only remediation|backout] [--format script|markdown|json]

Prints the AWS CLI commands that fix one finding, and the commands that undo them.
Nothing is run: read the script, then run it (or use "aurora-sg apply").

${SOURCE_HELP}

Plan:
  --finding ID          the finding's id, as audit prints it (a unique prefix is enough)
  --cluster ID          the worst finding of this cluster that the fix applies to
  --fix KIND            ${FIX_KINDS.join(' | ')}
                        (default: the first fix that applies to the finding)
  --allow SOURCE        for restrict and dedicated-sg: a CIDR, sg-... or pl-... to allow on
                        the database port (repeatable; default: the approved sources)
  --group-name NAME     for dedicated-sg: the new group's name (default aurora-sg-CLUSTER)
  --shell SHELL         bash (default) or powershell
  --only PART           print only the remediation or only the backout part
  --format F            script (default), markdown, or json (the plan, for "aurora-sg apply")

Without --only the script holds both parts, under comment headings, as functions:
run it as "bash plan.sh" to fix and "bash plan.sh backout" to undo.

Example:
  aurora-sg plan --evidence samples/demo-account --finding AURSG-001-0a1b2c --fix revoke
`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'print the remediation and backout commands of a finding',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseOrUsage('plan', () => parseArgs({
      args,
      options: {
        ...SOURCE_OPTIONS,
        finding: { type: 'string' },
        cluster: { type: 'string' },
        fix: { type: 'string' },
        allow: { type: 'string', multiple: true },
        'group-name': { type: 'string' },
        shell: { type: 'string' },
        only: { type: 'string' },
        format: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) {
      io.out(HELP);
      return EXIT_CLEAN;
    }
    if (!values.finding && !values.cluster) throw new UsageError('say which finding to fix: --finding ID (from "aurora-sg audit") or --cluster ID', 'plan');
    const fixWanted = values.fix === undefined ? undefined : oneOf<FixKind>('plan', '--fix', values.fix, FIX_KINDS, 'revoke');
    const shell = oneOf<Shell>('plan', '--shell', values.shell, SHELLS, 'bash');
    const format = oneOf('plan', '--format', values.format, PLAN_FORMATS, 'script');
    const only = values.only === undefined ? undefined : oneOf('plan', '--only', values.only, PARTS, 'remediation');
    if (only && format !== 'script') throw new UsageError('--only applies to the script format only', 'plan');

    const settings = values.config ? await loadSettingsFile(values.config, io.cwd, 'plan') : defaultSettings();
    const report = await runAudit(sourceFlags(values, 'plan'), settings, io, 'plan');
    for (const error of report.errors) io.err(`aurora-sg: warning: ${error.target}: ${error.message}\n`);

    const finding = values.finding
      ? findFinding(report, values.finding, values.cluster)
      : findForCluster(report, values.cluster!, fixWanted);
    const inventory = report.inventoryOf.get(finding)!;
    const fix = chooseFix(finding, inventory, fixWanted, io, 'plan');
    const request: PlanRequest = { finding, inventory, fix, settings };
    if (values.allow?.length) request.allow = values.allow;
    if (values['group-name'] !== undefined) request.groupName = values['group-name'];
    const plan = buildPlanOrUsage(request, 'plan');
    if (format === 'json') io.out(`${JSON.stringify(plan, null, 2)}\n`);
    else if (format === 'markdown') io.out(renderMarkdown(plan));
    else io.out(renderScript(plan, shell, only));
    return EXIT_CLEAN;
  },
};

/** By exact id, or by a prefix that names one finding only. */
export function findFinding(report: AuditReport, wanted: string, clusterId?: string): Finding {
  const key = wanted.trim().toLowerCase();
  const candidates = report.findings.filter((f) => !clusterId || f.clusterId === clusterId);
  const exact = candidates.find((f) => f.id.toLowerCase() === key);
  if (exact) return exact;
  const byPrefix = key.length >= 4 ? candidates.filter((f) => f.id.toLowerCase().startsWith(key)) : [];
  if (byPrefix.length === 1) return byPrefix[0]!;
  const where = report.targets.map((t) => t.inventory.target.label).join(', ') || 'the audited sources';
  if (byPrefix.length > 1) {
    throw new UsageError(`finding id ${JSON.stringify(wanted)} is ambiguous in ${where}: ${byPrefix.slice(0, 5).map((f) => f.id).join(', ')}${byPrefix.length > 5 ? ', ...' : ''}`, 'plan');
  }
  throw new UsageError(`no finding with id ${JSON.stringify(wanted)}${clusterId ? ` on cluster ${clusterId}` : ''} in ${where}; "aurora-sg audit" with the same sources lists the ids`, 'plan');
}

function findForCluster(report: AuditReport, clusterId: string, fix: FixKind | undefined): Finding {
  const known = report.targets.some((t) => t.inventory.clusters.some((c) => c.clusterId === clusterId));
  if (!known) throw new UsageError(`no cluster ${JSON.stringify(clusterId)} in ${report.targets.map((t) => t.inventory.target.label).join(', ') || 'the audited sources'}`, 'plan');
  const ofCluster = report.findings.filter((f) => f.clusterId === clusterId && !f.suppressed);
  const match = ofCluster.find((f) => {
    const fixes = applicableFixes(f, report.inventoryOf.get(f)!);
    return fix ? fixes.includes(fix) : fixes.length > 0;
  });
  if (!match) {
    throw new UsageError(`cluster ${clusterId} has no finding${fix ? ` that the ${fix} fix applies to` : ' with a fix'}${ofCluster.length ? '' : ' (it is clean)'}`, 'plan');
  }
  return match;
}

/** --fix when it applies to the finding, else the first fix that does (said on stderr); a usage error of `command` when none fits. */
export function chooseFix(finding: Finding, inventory: Inventory, wanted: FixKind | undefined, io: CliIo, command: string): FixKind {
  if (inventory.target.kind === 'iac') {
    // A template is fixed where it is written, not with AWS CLI commands.
    throw new UsageError(`${finding.id} is in ${inventory.target.label}, which is fixed in the file: aurora-sg fix --iac ${inventory.target.label} --finding ${finding.id}`, command);
  }
  const fixes = applicableFixes(finding, inventory);
  if (wanted) {
    if (!fixes.includes(wanted)) {
      throw new UsageError(`the ${wanted} fix does not apply to ${finding.id} (${oneLine(finding.title)}); ${fixes.length ? `applicable: ${fixes.join(', ')}` : 'no fix applies to it'}`, command);
    }
    return wanted;
  }
  const first = fixes[0];
  if (!first) throw new UsageError(`no fix applies to ${finding.id} (${oneLine(finding.title)})`, command);
  io.err(`aurora-sg: no --fix given; using ${first} (applicable: ${fixes.join(', ')})\n`);
  return first;
}

/** buildPlan, with its PlanError (a message for the user) as a usage error of `command`. */
export function buildPlanOrUsage(request: PlanRequest, command: string): Plan {
  try {
    return buildPlan(request);
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(error.message, command);
    throw error;
  }
}
