// aurora-sg fix: fixes findings of CloudFormation and Terraform files in the files themselves,
// with the code fixes the quick fixes use. A unified diff by default; --write edits in place.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditSettings } from '../../model/settings';
import { severityRank, type Finding, type Severity } from '../../model/types';
import { auditInventory, defaultSettings, isRuleId } from '../../rules';
import { isIacFile, readIacFile, type ModuleFile } from '../../sources/iac';
import { terraformSiblings } from '../../sources/iac/moduleFiles';
import { applyEdits, iacCodeFixes, typedSourceFix, unifiedDiff, type CodeFix, type CodeFixKind } from '../../sources/iac/fixes';
import { decodeTextBytes } from '../../sources/textFiles';
import { oneOf, parseOrUsage } from '../args';
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../io';
import { oneLine } from '../report/text';
import { loadSettingsFile } from '../settingsFile';
import { displayPath } from '../sources';
import { DEFAULT_FAIL_ON, FAIL_ON } from './audit';
import type { Command } from './types';

const KINDS: readonly CodeFixKind[] = ['approved-sources', 'approved-sources-port', 'narrow-port', 'remove-rule', 'make-private', 'egress-vpc'];

const HELP = `Usage: aurora-sg fix --iac FILE... (--finding ID | --rule ID) [--allow SOURCE]... [--fix KIND]
                     [--diff | --write] [--config FILE] [--fail-on SEVERITY]

Fixes findings of CloudFormation templates (YAML, JSON) and Terraform files in the files
themselves: the risky source replaced by the approved sources, the database port only, the
rule removed, egress limited to the VPC, the instance made private. Each edit is checked
before it is offered: read again, the file no longer has the finding and has no new one.

  --iac FILE            a CloudFormation template or a Terraform .tf file (repeatable)
  --finding ID          the finding to fix, as audit prints it (a unique prefix is enough)
  --rule ID             every active finding of this rule id (AURSG-001 ... AURSG-011)
  --allow SOURCE        what replaces the risky source: a CIDR, sg-..., pl-..., or a reference
                        of the file (var.app_cidr, aws_security_group.app.id; a parameter or
                        group logical id in CloudFormation). Repeatable: one entry per source.
                        For egress, the destination. Default: the approved sources of --config
  --fix KIND            ${KINDS.join(' | ')}
                        (default: the preferred fix, the first that passes of the approved
                        sources, egress limited to the VPC, the database port, the instance
                        private, the rule removed)
  --diff                print the changes as a unified diff (the default)
  --write               write the fixed files in place
  --config FILE         audit settings as JSON (approvedSources, databasePorts, suppressions, ...)
  --fail-on SEVERITY    exit 1 when the fixed files still have a finding at or above
                        critical|high|medium|low|info ("none": never) (default: ${DEFAULT_FAIL_ON})
  --help                this text

Findings of "terraform show -json" output are fixed in the .tf files that produced it.

Exit codes: 0 nothing at or above --fail-on is left; 1 something is (a finding without a fix
that passes, or one not selected); 2 usage or input error (unknown finding, unreadable file).

Examples:
  aurora-sg fix --iac infra/database.tf --rule AURSG-001 --allow 10.20.0.0/16
  aurora-sg fix --iac stack.yaml --finding AURSG-002-4c1d --fix narrow-port --write
`;

/** One file being fixed, and the other files of its Terraform module, read once (its variables.tf). */
interface FileState { file: string; shown: string; text: string; original: string; bom: boolean; applied: string[]; siblings: ModuleFile[] }

async function readFile(file: string, cwd: string): Promise<FileState> {
  const absolute = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the IaC file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, 'fix');
  }
  const text = decodeTextBytes(bytes);
  if (!isIacFile(absolute, text)) throw new UsageError(`${file} is neither a CloudFormation template nor a Terraform .tf or .tf.json file`, 'fix');
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes[0] === 0xff || bytes[0] === 0xfe) throw new UsageError(`${file} is UTF-16; save it as UTF-8 to fix it in place`, 'fix');
  return { file: absolute, shown: displayPath(absolute, cwd), text, original: text, bom, applied: [], siblings: terraformSiblings(absolute) };
}

function audit(state: FileState, settings: AuditSettings): Finding[] {
  return auditInventory(readIacFile(state.file, state.text, { siblings: state.siblings }).inventory, settings);
}

function where(state: FileState, finding: Finding): string {
  const at = finding.rule?.location ?? finding.location;
  return at ? `${state.shown}:${at.start.line + 1}` : state.shown;
}

/** The fix for one finding: the kind asked for, or the preferred; the typed sources when --allow names what approved sources cannot. */
function chooseFix(state: FileState, finding: Finding, settings: AuditSettings, allow: string[], kind: CodeFixKind | undefined): { fix?: CodeFix; why: string } {
  const input = { file: state.file, text: state.text, settings, siblings: state.siblings };
  const list = iacCodeFixes(input, finding.id, allow.length ? { approved: allow } : {});
  if ('why' in list) return { why: list.why };
  let fixes = list.fixes;
  // Egress takes its destination from --allow when the VPC cannot be named from the file.
  if (allow.length === 1 && finding.rule?.direction === 'egress' && !fixes.some((f) => f.kind === 'egress-vpc')) {
    const typed = typedSourceFix(input, finding.id, allow[0] as string);
    if ('fix' in typed) fixes = [{ ...typed.fix, kind: 'egress-vpc' }, ...fixes];
    else list.refused.unshift({ kind: 'egress-vpc', title: `Limit egress to ${allow[0]}`, why: typed.why });
  }
  const chosen = kind ? fixes.find((f) => f.kind === kind) : fixes[0];
  if (chosen) return { fix: chosen, why: '' };
  const reasons = list.refused.filter((r) => !kind || r.kind === kind).map((r) => `${r.title}: ${r.why}`);
  if (kind && !reasons.length) reasons.push(`no ${kind} fix applies to ${finding.ruleId}${fixes.length ? ` (it has ${fixes.map((f) => f.kind).join(', ')})` : ''}`);
  if (!reasons.length) reasons.push(finding.rule ? 'no fix applies' : `${finding.ruleId} is not about a rule or an instance of the file: suppress it, or fix it outside the file`);
  return { why: reasons.join('; ') };
}

export const fixCommand: Command = {
  name: 'fix',
  summary: 'fix findings of CloudFormation and Terraform files in the files themselves',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseOrUsage('fix', () => parseArgs({
      args,
      options: {
        iac: { type: 'string', multiple: true },
        finding: { type: 'string' },
        rule: { type: 'string' },
        allow: { type: 'string', multiple: true },
        fix: { type: 'string' },
        diff: { type: 'boolean' },
        write: { type: 'boolean' },
        config: { type: 'string' },
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) {
      io.out(HELP);
      return EXIT_CLEAN;
    }
    if (!values.iac?.length) throw new UsageError('name the files to fix with --iac FILE', 'fix');
    if (!values.finding === !values.rule) throw new UsageError('say what to fix: --finding ID or --rule ID (one of them)', 'fix');
    if (values.rule && !isRuleId(values.rule)) throw new UsageError(`--rule must be a rule id (AURSG-001 ... AURSG-011), not ${JSON.stringify(values.rule)}`, 'fix');
    if (values.diff && values.write) throw new UsageError('--diff and --write exclude each other: --diff prints the changes, --write makes them', 'fix');
    const kind = values.fix === undefined ? undefined : oneOf<CodeFixKind>('fix', '--fix', values.fix, KINDS, 'approved-sources');
    const failOn = oneOf('fix', '--fail-on', values['fail-on'], FAIL_ON, DEFAULT_FAIL_ON);
    const settings = values.config ? await loadSettingsFile(values.config, io.cwd, 'fix') : defaultSettings();
    const allow = values.allow ?? [];

    const files: FileState[] = [];
    for (const file of values.iac) files.push(await readFile(file, io.cwd));
    const selected = files.map((state) => audit(state, settings).filter((f) => !f.suppressed && (values.rule ? f.ruleId === values.rule : f.id.startsWith(values.finding as string))));
    const total = selected.reduce((n, list) => n + list.length, 0);
    if (values.finding && total === 0) throw new UsageError(`no active finding ${values.finding} in ${files.map((f) => f.shown).join(', ')}`, 'fix');
    if (values.finding && total > 1) throw new UsageError(`${values.finding} matches ${total} findings; give more of the id`, 'fix');
    if (values.rule && total === 0) io.err(`aurora-sg fix: no active ${values.rule} finding in ${files.map((f) => f.shown).join(', ')}; nothing to fix.\n`);

    let unfixed = 0;
    files.forEach((state, i) => {
      for (const wanted of selected[i] as Finding[]) {
        // An earlier fix may have changed this finding (its rule shared a block) or fixed it.
        const current = audit(state, settings).find((f) => f.id === wanted.id);
        if (!current) { io.err(`${wanted.id} (${state.shown}): fixed by an earlier change.\n`); continue; }
        const { fix, why } = chooseFix(state, current, settings, allow, kind);
        if (!fix) { unfixed++; io.err(`${current.id} (${where(state, current)}): not fixed: ${oneLine(why)}\n`); continue; }
        state.text = applyEdits(state.text, fix.edits);
        state.applied.push(`${current.id} (${where(state, current)}): ${fix.title}`);
      }
    });

    for (const state of files) {
      for (const line of state.applied) io.err(`${line}\n`);
      if (state.text === state.original) continue;
      if (values.write) {
        await fs.writeFile(state.file, (state.bom ? '\ufeff' : '') + state.text, 'utf8');
        io.err(`aurora-sg fix: wrote ${state.shown}\n`);
      } else {
        io.out(unifiedDiff(state.shown, state.original, state.text));
      }
    }
    if (unfixed) io.err(`aurora-sg fix: ${unfixed} finding${unfixed === 1 ? '' : 's'} could not be fixed in the file; see above why.\n`);
    if (failOn === 'none') return EXIT_CLEAN;
    const threshold = severityRank(failOn as Severity);
    const left = files.flatMap((state) => audit(state, settings)).filter((f) => !f.suppressed && severityRank(f.severity) >= threshold);
    return left.length ? EXIT_FINDINGS : EXIT_CLEAN;
  },
};
