// Plans without running anything: preview, copy, open as a script, suppress.
// These work in untrusted workspaces.

import * as vscode from 'vscode';
import { renderMarkdown, renderScript } from '../../remediation';
import type { Plan } from '../../model/plan';
import type { Suppression } from '../../model/settings';
import { resolveFinding } from '../findingRefs';
import { offerIacCodeFixes } from '../iac/quickFixes';
import { planFor, remediationText, scriptLanguage } from '../planning';
import { SECTION } from '../settings';
import type { Services } from '../services';

/** The plans generated this session, newest first, so "run" from the palette can offer them. */
export const recentPlans: { plan: Plan; sourceId: string }[] = [];

function remember(plan: Plan, sourceId: string): void {
  const existing = recentPlans.findIndex((p) => p.plan.findingId === plan.findingId && p.plan.fix === plan.fix);
  if (existing >= 0) recentPlans.splice(existing, 1);
  recentPlans.unshift({ plan, sourceId });
  recentPlans.length = Math.min(recentPlans.length, 20);
}

export async function planFromArgument(services: Services, arg: unknown, purpose: string): Promise<{ plan: Plan; sourceId: string } | undefined> {
  const resolved = await resolveFinding(arg, services.store, services.loadAll, purpose);
  if (!resolved) return undefined;
  // A template is fixed in the file, not with AWS CLI commands: offer its code fixes instead of a dead end.
  if (resolved.source.descriptor.kind === 'iac' && resolved.source.descriptor.path) {
    await offerIacCodeFixes(() => services.settings().audit, resolved.finding, resolved.source.descriptor.path, { sourceId: resolved.source.descriptor.id, findingId: resolved.finding.id });
    return undefined;
  }
  const plan = await planFor(resolved, services.settings(), { askFix: true });
  if (!plan) return undefined;
  remember(plan, resolved.source.descriptor.id);
  return { plan, sourceId: resolved.source.descriptor.id };
}

export async function generatePlan(services: Services, arg: unknown): Promise<Plan | undefined> {
  const planned = await planFromArgument(services, arg, 'generate a remediation plan');
  if (!planned) return undefined;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderMarkdown(planned.plan) });
  await vscode.window.showTextDocument(doc, { preview: true });
  services.log.info(`Generated plan "${planned.plan.title}" (${planned.plan.steps.length} steps) for finding ${planned.plan.findingId}.`);
  return planned.plan;
}

export async function openPlanScript(services: Services, arg: unknown): Promise<vscode.TextDocument | undefined> {
  const planned = await planFromArgument(services, arg, 'open a plan as a script');
  if (!planned) return undefined;
  const shell = services.settings().preferredShell;
  const doc = await vscode.workspace.openTextDocument({ language: scriptLanguage(shell), content: renderScript(planned.plan, shell) });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export async function copyCli(services: Services, arg: unknown): Promise<string | undefined> {
  const planned = await planFromArgument(services, arg, 'copy the remediation CLI');
  if (!planned) return undefined;
  const text = remediationText(planned.plan, services.settings().preferredShell);
  await vscode.env.clipboard.writeText(text);
  const lines = planned.plan.steps.length;
  vscode.window.setStatusBarMessage(`$(clippy) Aurora SG: copied ${lines} AWS CLI command${lines === 1 ? '' : 's'} (${planned.plan.title})`, 5000);
  services.log.info(`Copied the remediation CLI of "${planned.plan.title}" to the clipboard.`);
  return text;
}

/** Adds a suppression (rule id + group, with the user's reason) to auroraSg.suppressions. */
export async function suppress(services: Services, arg: unknown, reasonGiven?: string): Promise<Suppression | undefined> {
  const resolved = await resolveFinding(arg, services.store, services.loadAll, 'suppress a finding');
  if (!resolved) return undefined;
  const { finding } = resolved;
  const reason = reasonGiven ?? (await vscode.window.showInputBox({
    title: `Aurora SG: suppress ${finding.ruleId}`,
    prompt: `Why is this acceptable? (${finding.title}${finding.groupId ? ` on ${finding.groupId}` : ''})`,
    validateInput: (text) => (text.trim() ? undefined : 'A suppression needs a reason.'),
  }));
  if (!reason?.trim()) return undefined;
  // The finding id pins exactly this finding (stable across runs); the group id keeps the entry readable.
  const suppression: Suppression = { ruleId: finding.ruleId, reason: reason.trim(), findingId: finding.id };
  if (finding.groupId) suppression.groupId = finding.groupId;
  const config = vscode.workspace.getConfiguration(SECTION);
  const existing = config.get<Suppression[]>('suppressions') ?? [];
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('suppressions', [...existing, suppression], target);
  services.log.info(`Suppressed ${finding.ruleId} (${finding.id}): ${suppression.reason}`);
  return suppression;
}
