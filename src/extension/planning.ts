// From a finding to a plan: which fix (asked when several apply), which approved sources (for
// restrict and dedicated-sg) and the new group's name (dedicated-sg), then buildPlan. What the
// user types is checked as they type, and a plan the planner refuses (its errors are written for
// the user) brings the input back with what they typed, so nothing is lost.

import * as vscode from 'vscode';
import { applicableFixes, buildPlan, PlanError, renderCommandLine, renderScript, type Shell } from '../remediation';
import type { Plan } from '../model/plan';
import type { FixKind } from '../model/types';
import { checkNewGroupName, checkSources, sourceEntries, type InputCheck } from './core/inputs';
import { FIX_TITLES } from './core/quickFixes';
import type { ResolvedFinding } from './findingRefs';
import type { ExtensionSettings } from './settings';

/** The fixes that keep some sources, and what they ask when no approved sources are set. */
const ASK_ALLOW: Partial<Record<FixKind, string>> = {
  restrict: 'Restrict the rule: which sources keep access?',
  'dedicated-sg': 'Dedicated security group: which sources keep access?',
};

/** What the user chose for a plan; with the finding it rebuilds the same plan (plan documents do). */
export interface PlanChoice {
  fix: FixKind;
  allow?: string[];
  groupName?: string;
}

export function buildPlanFor(resolved: Pick<ResolvedFinding, 'finding' | 'source'>, choice: PlanChoice, settings: ExtensionSettings): Plan {
  return buildPlan({ finding: resolved.finding, inventory: resolved.source.inventory, fix: choice.fix, allow: choice.allow, groupName: choice.groupName, settings: settings.audit });
}

/** InputCheck as validateInput wants it: an error keeps the box open, a note is only shown. */
export function toValidation(check: InputCheck): vscode.InputBoxValidationMessage | undefined {
  if (check.error) return { message: check.error, severity: vscode.InputBoxValidationSeverity.Error };
  if (check.note) return { message: check.note, severity: vscode.InputBoxValidationSeverity.Info };
  return undefined;
}

export async function planFor(resolved: ResolvedFinding, settings: ExtensionSettings, options: { askFix: boolean }): Promise<{ plan: Plan; choice: PlanChoice } | undefined> {
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
      const picked = await vscode.window.showQuickPick(fixes.map((f) => ({ label: FIX_TITLES[f], description: f, fix: f })), { title: `Aurora SG: fix ${finding.title}`, placeHolder: 'Pick a fix' });
      if (!picked) return undefined;
      fix = picked.fix;
    }
  }
  const choice: PlanChoice = { fix: fix as FixKind };
  const cluster = finding.clusterId ? source.inventory.clusters.find((c) => c.clusterId === finding.clusterId) : undefined;
  if (choice.fix === 'dedicated-sg' && cluster) {
    const vpcId = cluster.vpcId ?? source.inventory.securityGroups.find((g) => cluster.securityGroupIds.includes(g.groupId))?.vpcId;
    const taken = source.inventory.securityGroups.filter((g) => g.vpcId === vpcId).map((g) => g.groupName);
    const name = await vscode.window.showInputBox({
      title: `Aurora SG: ${FIX_TITLES['dedicated-sg']}`,
      prompt: `Name of the new security group for ${cluster.clusterId}`,
      value: `aurora-sg-${cluster.clusterId}`,
      ignoreFocusOut: true,
      validateInput: (text) => toValidation(checkNewGroupName(text, taken)),
    });
    if (name === undefined) return undefined;
    choice.groupName = name;
  }
  let typed: string | undefined;
  let problem: string | undefined;
  const approved = settings.audit.approvedSources;
  for (;;) {
    const question = ASK_ALLOW[choice.fix];
    if (question && !approved.length) {
      typed = await vscode.window.showInputBox({
        title: `Aurora SG: ${question}`,
        prompt: problem ?? 'Sources that keep access: CIDRs, security group ids (sg-…) or prefix list ids (pl-…), separated by commas. Set auroraSg.approvedSources to skip this question.',
        placeHolder: '10.0.0.0/16, sg-0123456789abcdef0',
        value: typed,
        ignoreFocusOut: true,
        validateInput: (text) => toValidation(checkSources(text)),
      });
      if (typed === undefined) return undefined;
      choice.allow = sourceEntries(typed);
    }
    try {
      return { plan: buildPlanFor(resolved, choice, settings), choice };
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      // What the user typed caused it: ask again, with their text and the reason.
      if (choice.allow && !approved.length) {
        problem = `${error.message} Change the sources, or press Escape.`;
        continue;
      }
      void vscode.window.showErrorMessage(`Aurora SG: ${error.message}`);
      return undefined;
    }
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
