// From a finding to a plan: which fix (asked when several apply), which approved sources
// (for restrict and dedicated-sg), then buildPlan. Errors from the planner are shown as is:
// they are written for the user.

import * as vscode from 'vscode';
import { applicableFixes, buildPlan, PlanError, renderCommandLine, renderScript, type Shell } from '../remediation';
import type { Plan } from '../model/plan';
import type { FixKind } from '../model/types';
import { FIX_TITLES } from './codeActions';
import type { ResolvedFinding } from './findingRefs';
import type { ExtensionSettings } from './settings';

const NEEDS_ALLOW: ReadonlySet<FixKind> = new Set(['restrict', 'dedicated-sg']);

export async function planFor(resolved: ResolvedFinding, settings: ExtensionSettings, options: { askFix: boolean }): Promise<Plan | undefined> {
  const { finding, source } = resolved;
  const fixes = applicableFixes(finding, source.inventory);
  if (!fixes.length) {
    void vscode.window.showInformationMessage(`Aurora SG: no automatic fix applies to ${finding.ruleId} (${finding.title}).`);
    return undefined;
  }
  let fix = resolved.fix;
  if (fix && !fixes.includes(fix)) {
    void vscode.window.showWarningMessage(`Aurora SG: the fix "${fix}" does not apply to ${finding.ruleId}; it offers ${fixes.join(', ')}.`);
    return undefined;
  }
  if (!fix) {
    if (fixes.length === 1 || !options.askFix) fix = fixes[0];
    else {
      const picked = await vscode.window.showQuickPick(fixes.map((f) => ({ label: FIX_TITLES[f], description: f, fix: f })), { title: `Aurora SG: fix ${finding.ruleId}`, placeHolder: 'Pick a fix' });
      if (!picked) return undefined;
      fix = picked.fix;
    }
  }
  let allow: string[] | undefined;
  if (NEEDS_ALLOW.has(fix)) {
    allow = settings.audit.approvedSources;
    if (!allow.length) {
      const typed = await vscode.window.showInputBox({
        title: `Aurora SG: ${FIX_TITLES[fix]}`,
        prompt: 'Approved sources that keep access (CIDRs, sg-… or pl-… ids, comma-separated). Set auroraSg.approvedSources to skip this question.',
        placeHolder: '10.0.0.0/16, sg-0123456789abcdef0',
        validateInput: (text) => (text.split(',').some((s) => s.trim()) ? undefined : 'Give at least one source.'),
      });
      if (!typed) return undefined;
      allow = typed.split(',').map((s) => s.trim()).filter(Boolean);
    }
  }
  try {
    return buildPlan({ finding, inventory: source.inventory, fix, allow });
  } catch (error) {
    if (error instanceof PlanError) {
      void vscode.window.showErrorMessage(`Aurora SG: ${error.message}`);
      return undefined;
    }
    throw error;
  }
}

/** The remediation as the lines a user pastes into a shell; a script when steps pass values along. */
export function remediationText(plan: Plan, shell: Shell): string {
  // A produced value needs the script's capture; a member account's role, its assume-role lines.
  if (plan.steps.some((s) => s.produces) || plan.target.assumedRole) return renderScript(plan, shell, 'remediation');
  return plan.steps.map((s) => renderCommandLine(s.cli, shell)).join('\n') + '\n';
}

export function scriptLanguage(shell: Shell): string {
  return shell === 'powershell' ? 'powershell' : 'shellscript';
}
