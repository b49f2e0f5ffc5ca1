// aurora-sg demo (npm run demo): audits the bundled fictional account with its settings,
// prints the report grouped by cluster, then the remediation and backout of the worst finding.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applicableFixes, renderScript, type Shell } from '../../remediation';
import { oneOf, parseOrUsage } from '../args';
import { runAudit } from '../auditRun';
import { type CliIo, colourEnabled, EXIT_CLEAN, UsageError } from '../io';
import { tableReport } from '../report/table';
import { bold, oneLine } from '../report/text';
import { loadSettingsFile } from '../settingsFile';
import { displayPath } from '../sources';
import { buildPlanOrUsage, SHELLS } from './plan';
import type { Command } from './types';

export const DEMO_FOLDER = path.join('samples', 'demo-account');
export const DEMO_CONFIG = 'aurora-sg.config.json';

const HELP = `Usage: aurora-sg demo [--shell bash|powershell] [--no-color]

Audits the demo account (${DEMO_FOLDER.split(path.sep).join('/')}, a fictional account in eu-west-1 saved as
an evidence folder) with its settings file, prints the findings grouped by cluster, worst
first, then the remediation and backout plan of the worst finding. Nothing is run.

The same audit by hand:
  aurora-sg audit --evidence samples/demo-account --config samples/demo-account/${DEMO_CONFIG}
`;

/** The demo folder: next to the bundle (dist/../samples) or the sources (src/cli/commands/../../../samples), else above the working folder. */
export function findDemoFolder(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, DEMO_FOLDER);
    if (existsSync(path.join(candidate, 'describe-db-clusters.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'audit the bundled demo account and show the plan for its worst finding',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseOrUsage('demo', () => parseArgs({
      args,
      options: { shell: { type: 'string' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) {
      io.out(HELP);
      return EXIT_CLEAN;
    }
    const shell = oneOf<Shell>('demo', '--shell', values.shell, SHELLS, 'bash');
    const colour = colourEnabled(io) && !values['no-color'];
    const folder = findDemoFolder() ?? findDemoFolder(io.cwd);
    if (!folder) throw new UsageError(`the demo account (${DEMO_FOLDER}) is not next to this program`, 'demo');
    const configFile = path.join(folder, DEMO_CONFIG);
    const settings = await loadSettingsFile(configFile, io.cwd, 'demo');
    const report = await runAudit({ evidence: [folder], profiles: [], allProfiles: false, regions: [], allRegions: false }, settings, io, 'demo');

    io.out(`${bold('Aurora Security Groups: demo audit', colour)}\n`);
    io.out(`evidence: ${displayPath(folder, io.cwd)}   settings: ${displayPath(configFile, io.cwd)}\n\n`);
    io.out(tableReport(report, { colour, ...(io.isTTY && io.columns ? { columns: io.columns } : {}) }));

    const worst = report.findings.find((f) => !f.suppressed && applicableFixes(f, report.inventoryOf.get(f)!).length > 0);
    if (!worst) {
      io.out('\nNo finding to fix.\n');
      return EXIT_CLEAN;
    }
    const inventory = report.inventoryOf.get(worst)!;
    const fixes = applicableFixes(worst, inventory);
    const fix = fixes[0]!;
    const plan = buildPlanOrUsage({ finding: worst, inventory, fix, settings }, 'demo');
    io.out(`\n${bold(`Worst finding: ${worst.id}`, colour)} (${worst.severity}) ${oneLine(worst.title)}\n`);
    io.out(`${oneLine(worst.message)}\n`);
    io.out(`Fixes: ${fixes.join(', ')}. The ${fix} plan, with its backout (nothing is run):\n\n`);
    io.out(renderScript(plan, shell));
    io.out(`\nOther fixes: aurora-sg plan --evidence ${displayPath(folder, io.cwd)} --config ${displayPath(configFile, io.cwd)} --finding ${worst.id} --fix ${fixes[1] ?? fix}\n`);
    return EXIT_CLEAN;
  },
};
