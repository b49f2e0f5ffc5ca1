// A plan as a runnable bash or PowerShell script. Every value goes through the shell's
// quoting (shell.ts) and every comment through commentText, because names and descriptions
// come from AWS and are hostile.

import { isArgRef, type Arg, type Plan, type Step } from '../model/plan';
import { assumeRoleLines } from './assumeRole';
import { assertRefName, commentLine, quoteBash, quotePowerShell, renderCommandLine, type Shell } from './shell';
import { targetArgs } from './steps';

export type ScriptPart = 'remediation' | 'backout';

/** What the CLI prints for a step's produced value with --output text. */
const QUERY_FOR: Record<NonNullable<Step['produces']>['from'], string> = {
  GroupId: 'GroupId',
  SecurityGroupRuleIds: 'SecurityGroupRules[].SecurityGroupRuleId',
};

function refsUsed(steps: Step[]): string[] {
  const names = new Set<string>();
  for (const step of steps) for (const arg of step.cli) if (isArgRef(arg)) names.add(arg.ref);
  return [...names];
}

/** How a part that runs on its own finds a value an earlier part produced: the created group, by name and VPC. */
export interface Lookup { ref: string; argv: Arg[]; what: string }

export function lookupsFor(plan: Plan, part: Step[]): Lookup[] {
  const produced = new Set(part.flatMap((s) => (s.produces ? [s.produces.ref] : [])));
  return refsUsed(part).filter((ref) => !produced.has(ref)).map((ref) => {
    const creator = plan.steps.find((s) => s.produces?.ref === ref);
    const name = creator?.sdkInput.GroupName;
    const vpcId = creator?.sdkInput.VpcId;
    if (creator?.sdkCommand !== 'CreateSecurityGroupCommand' || typeof name !== 'string' || typeof vpcId !== 'string') {
      return { ref, argv: [], what: `the value ${ref} that the remediation printed` };
    }
    const filters = JSON.stringify([{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [vpcId] }]);
    return {
      ref,
      what: `the id of the group ${name} in ${vpcId} that the remediation created`,
      argv: ['aws', 'ec2', 'describe-security-groups', '--filters', filters, '--query', 'SecurityGroups[0].GroupId', '--output', 'text', ...targetArgs(plan.target)],
    };
  });
}

function header(plan: Plan, shell: Shell, only: ScriptPart | undefined): string[] {
  const lines: string[] = [];
  const c = (text: string) => lines.push(commentLine(text));
  c(`Aurora Security Groups: ${plan.title}`);
  c('');
  c(plan.summary);
  const account = plan.target.accountId ? `, account ${plan.target.accountId}${plan.target.accountName ? ` (${plan.target.accountName})` : ''}` : '';
  c(`Finding ${plan.findingId}, fix ${plan.fix}${plan.target.profile ? `, profile ${plan.target.profile}` : ''}${plan.target.region ? `, region ${plan.target.region}` : ''}${account}.`);
  c('');
  const invoke = shell === 'bash' ? 'bash THIS-SCRIPT' : 'pwsh THIS-SCRIPT.ps1';
  if (only) {
    c(`This script runs the ${only} only.`);
  } else {
    c('Usage:');
    const backoutArg = shell === 'bash' ? 'backout' : '-Part backout';
    c(`  ${invoke}${' '.repeat(backoutArg.length + 3)}runs the remediation`);
    c(`  ${invoke} ${backoutArg}  runs the backout, which undoes the remediation`);
    c('The backout is behind its own argument so that running the script never undoes its own');
    c('remediation; run it on its own later, if the change has to be taken back.');
  }
  const refs = lookupsFor(plan, plan.backout).map((lookup) => lookup.ref);
  if (refs.length && only !== 'remediation') {
    c(`The backout finds ${refs.join(', ')} by itself (the created group, by name and VPC); to name it, set the environment variable${refs.length > 1 ? 's' : ''} ${refs.join(', ')} first.`);
  }
  if (shell === 'powershell') {
    c('');
    c("Needs PowerShell 7.3 or later: it sets $PSNativeCommandArgumentPassing = 'Standard' so that arguments");
    c('containing double quotes (the --ip-permissions JSON) reach aws exactly as written. On Windows this assumes');
    c('the AWS CLI v2 (aws.exe); a .cmd or .bat wrapper of aws would still get the legacy, broken quoting.');
  }
  if (plan.warnings.length) {
    c('');
    c('Warnings:');
    for (const w of plan.warnings) c(`- ${w}`);
  }
  return lines;
}

/**
 * A step's command as a line of the shell. A step that produces a value (the new group's id)
 * becomes an assignment that captures it: NAME="$(aws ... --query GroupId --output text)".
 */
export function stepCommand(step: Step, shell: Shell): string {
  const line = renderCommandLine(step.cli, shell);
  if (!step.produces) return line;
  const name = assertRefName(step.produces.ref);
  const query = QUERY_FOR[step.produces.from];
  return shell === 'bash'
    ? `${name}="$(${line} --query ${quoteBash(query)} --output text)"`
    : `$${name} = (${line} --query ${quotePowerShell(query)} --output text | Out-String).Trim()`;
}

function stepLines(step: Step, label: string, shell: Shell, indent: string): string[] {
  const lines = [commentLine(`${label}: ${step.explanation}`, indent)];
  const line = stepCommand(step, shell);
  if (shell === 'bash') {
    lines.push(`${indent}printf '%s\\n' ${quoteBash(label)} >&2`);
    if (step.produces) {
      const name = assertRefName(step.produces.ref);
      lines.push(`${indent}${line}`);
      lines.push(`${indent}if [[ -z "$${name}" || "$${name}" == None ]]; then echo ${quoteBash(`${label} did not return ${name}.`)} >&2; exit 1; fi`);
      lines.push(`${indent}echo "${name}=$${name}" >&2`);
    } else {
      lines.push(`${indent}${line}`);
    }
  } else {
    const failed = `throw ${quotePowerShell(`${label} failed: aws exited with an error.`)}`;
    lines.push(`${indent}Write-Host ${quotePowerShell(label)}`);
    if (step.produces) {
      const name = assertRefName(step.produces.ref);
      lines.push(`${indent}${line}`);
      lines.push(`${indent}if ($LASTEXITCODE -ne 0) { ${failed} }`);
      lines.push(`${indent}if (-not $${name} -or $${name} -eq 'None') { throw ${quotePowerShell(`${label} did not return ${name}.`)} }`);
      lines.push(`${indent}Write-Host "${name}=$${name}"`);
    } else {
      lines.push(`${indent}${line}`);
      lines.push(`${indent}if ($LASTEXITCODE -ne 0) { ${failed} }`);
    }
  }
  return lines;
}

function lookupLines(lookup: Lookup, shell: Shell, indent: string): string[] {
  const name = assertRefName(lookup.ref);
  const missing = `Cannot find ${lookup.what}; set ${name} to it and run the backout again.`;
  const lines = [commentLine(`The backout needs ${lookup.what}: taken from the environment variable ${name}, else looked up.`, indent)];
  if (shell === 'bash') {
    lines.push(`${indent}${name}="\${${name}:-}"`);
    if (lookup.argv.length) {
      lines.push(`${indent}if [[ -z "$${name}" ]]; then`);
      lines.push(`${indent}  ${name}="$(${renderCommandLine(lookup.argv, 'bash')})"`);
      lines.push(`${indent}fi`);
    }
    lines.push(`${indent}if [[ -z "$${name}" || "$${name}" == None ]]; then echo ${quoteBash(missing)} >&2; exit 1; fi`);
  } else {
    lines.push(`${indent}$${name} = $env:${name}`);
    if (lookup.argv.length) {
      lines.push(`${indent}if (-not $${name}) {`);
      lines.push(`${indent}  $${name} = (${renderCommandLine(lookup.argv, 'powershell')} | Out-String).Trim()`);
      lines.push(`${indent}  if ($LASTEXITCODE -ne 0) { throw ${quotePowerShell(`Looking up ${name} failed: aws exited with an error.`)} }`);
      lines.push(`${indent}}`);
    }
    lines.push(`${indent}if (-not $${name} -or $${name} -eq 'None') { throw ${quotePowerShell(missing)} }`);
  }
  return lines;
}

function partLines(plan: Plan, part: ScriptPart, shell: Shell, indent: string): string[] {
  const steps = part === 'remediation' ? plan.steps : plan.backout;
  // A member account's role is assumed by each part on its own: the backout may run hours later.
  const lines: string[] = steps.length ? assumeRoleLines(plan, shell, indent) : [];
  if (part === 'backout') for (const lookup of lookupsFor(plan, steps)) lines.push(...lookupLines(lookup, shell, indent));
  steps.forEach((step, i) => {
    if (lines.length) lines.push('');
    lines.push(...stepLines(step, `${part === 'remediation' ? 'Step' : 'Backout step'} ${i + 1} of ${steps.length}`, shell, indent));
  });
  if (steps.length === 0) lines.push(commentLine('Nothing to do.', indent));
  return lines;
}

const HEADING: Record<ScriptPart, string> = { remediation: '===== Remediation =====', backout: '===== Backout (undoes the remediation) =====' };
const FUNCTION: Record<Shell, Record<ScriptPart, string>> = {
  bash: { remediation: 'remediation', backout: 'backout' },
  powershell: { remediation: 'Invoke-Remediation', backout: 'Invoke-Backout' },
};

/**
 * A runnable script. With `only`, just that part, run top to bottom. Without, both parts
 * under their headings, each in a function: the remediation runs by default and the
 * backout only when asked for (bash: `backout` argument; PowerShell: `-Part backout`).
 */
export function renderScript(plan: Plan, shell: Shell, only?: ScriptPart): string {
  const lines: string[] = [];
  if (shell === 'bash') lines.push('#!/usr/bin/env bash');
  else lines.push('#Requires -Version 7.3');
  lines.push(...header(plan, shell, only));
  if (shell === 'powershell' && !only) {
    lines.push('param(', "  [ValidateSet('remediation', 'backout')]", "  [string] $Part = 'remediation'", ')');
  }
  if (shell === 'bash') lines.push('set -euo pipefail');
  else lines.push("$ErrorActionPreference = 'Stop'", "$PSNativeCommandArgumentPassing = 'Standard'");
  lines.push('');
  if (only) {
    lines.push(commentLine(HEADING[only]), ...partLines(plan, only, shell, ''));
  } else {
    for (const part of ['remediation', 'backout'] as const) {
      const fn = FUNCTION[shell][part];
      lines.push(commentLine(HEADING[part]), shell === 'bash' ? `${fn}() {` : `function ${fn} {`, ...partLines(plan, part, shell, '  '), '}', '');
    }
    if (shell === 'bash') {
      lines.push('case "${1:-remediation}" in', '  remediation) remediation ;;', '  backout) backout ;;',
        `  *) echo "usage: $0 [remediation|backout]" >&2; exit 2 ;;`, 'esac');
    } else {
      lines.push('switch ($Part) {', "  'remediation' { Invoke-Remediation }", "  'backout' { Invoke-Backout }", '}');
    }
  }
  // No clean-up of blank lines here: a quoted value may itself hold newlines.
  return `${lines.join('\n')}\n`;
}
