// Plans without running anything: open the plan (a read-only document), copy it, open it as a
// script, suppress the finding. These work in untrusted workspaces.

import * as vscode from 'vscode';
import type { Plan } from '../../model/plan';
import type { Suppression } from '../../model/settings';
import { resolveFinding, type ResolvedFinding } from '../findingRefs';
import { offerIacCodeFixes } from '../iac/quickFixes';
import { planDocumentArg } from '../planDocuments';
import { planFor, remediationText } from '../planning';
import { SECTION } from '../settings';
import type { Services } from '../services';

/** The plans generated this session, newest first, so "run" from the palette can offer them. */
export const recentPlans: PlannedFix[] = [];

export interface PlannedFix {
  plan: Plan;
  sourceId: string;
  /** The plan's read-only document. */
  uri: vscode.Uri;
}

function remember(planned: PlannedFix): void {
  const existing = recentPlans.findIndex((p) => p.plan.findingId === planned.plan.findingId && p.plan.fix === planned.plan.fix);
  if (existing >= 0) recentPlans.splice(existing, 1);
  recentPlans.unshift(planned);
  recentPlans.length = Math.min(recentPlans.length, 20);
}

/**
 * The plan a command is about: the plan document it was given (editor title, CodeLens), or a
 * finding (tree node, quick fix, the palette's pick) planned now.
 */
export async function planFromArgument(services: Services, arg: unknown, purpose: string): Promise<PlannedFix | undefined> {
  const doc = planDocumentArg(arg);
  if (doc) {
    try {
      const { plan, source } = await services.plans.open(doc);
      const planned = { plan, sourceId: source.descriptor.id, uri: services.plans.otherView(doc, 'plan') ?? doc };
      remember(planned);
      return planned;
    } catch (error) {
      void vscode.window.showWarningMessage(`Aurora SG: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
  const resolved = await resolveFinding(arg, services.store, services.loadAll, purpose);
  if (!resolved) return undefined;
  // A template is fixed in the file, not with AWS CLI commands: offer its code fixes instead of a dead end.
  if (resolved.source.descriptor.kind === 'iac' && resolved.source.descriptor.path) {
    await offerIacCodeFixes(() => services.settings().audit, resolved.finding, resolved.source.descriptor.path, { sourceId: resolved.source.descriptor.id, findingId: resolved.finding.id });
    return undefined;
  }
  const built = await planFor(resolved, services.settings(), { askFix: true });
  if (!built) return undefined;
  const planned = { plan: built.plan, sourceId: resolved.source.descriptor.id, uri: services.plans.uriFor(built.plan, resolved.source, built.choice, 'plan') };
  remember(planned);
  return planned;
}

/** Opens the plan as a read-only document (Markdown: remediation, backout, warnings) with its actions. */
export async function generatePlan(services: Services, arg: unknown): Promise<Plan | undefined> {
  const planned = await planFromArgument(services, arg, 'generate a remediation plan');
  if (!planned) return undefined;
  await vscode.window.showTextDocument(planned.uri, { preview: true });
  services.log.info(`Opened plan "${planned.plan.title}" (${planned.plan.steps.length} steps) for finding ${planned.plan.findingId}.`);
  return planned.plan;
}

/** Opens the plan as a read-only bash or PowerShell script (remediation, and the backout behind its own argument). */
export async function openPlanScript(services: Services, arg: unknown): Promise<vscode.TextDocument | undefined> {
  const planned = await planFromArgument(services, arg, 'open a plan as a script');
  if (!planned) return undefined;
  const uri = services.plans.otherView(planned.uri, 'script');
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
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

/**
 * Adds a suppression (rule id + finding id + group, with the user's reason) to
 * auroraSg.suppressions; given several findings (a quick fix on a line where one rule id fires
 * for two instances), one entry each, with the same reason.
 */
export async function suppress(services: Services, arg: unknown, reasonGiven?: string): Promise<Suppression | undefined> {
  let findings: ResolvedFinding[];
  if (Array.isArray(arg)) {
    findings = arg.flatMap((ref: unknown) => {
      const r = ref as { sourceId?: unknown; findingId?: unknown };
      const source = typeof r.sourceId === 'string' ? services.store.get(r.sourceId) : undefined;
      const finding = typeof r.findingId === 'string' ? source?.index.get(r.findingId) : undefined;
      return source && finding ? [{ source, finding }] : [];
    });
    if (!findings.length) {
      void vscode.window.showWarningMessage('Aurora SG: those findings are no longer there; the source was refreshed or fixed.');
      return undefined;
    }
  } else {
    const resolved = await resolveFinding(arg, services.store, services.loadAll, 'suppress a finding');
    if (!resolved) return undefined;
    findings = [resolved];
  }
  const first = findings[0]!.finding;
  const what = findings.length > 1 ? `${findings.length} findings "${first.title}"` : `"${first.title}"${first.groupId ? ` on ${first.groupId}` : ''}`;
  const reason = reasonGiven ?? (await vscode.window.showInputBox({
    title: `Aurora SG: suppress ${first.title}`,
    prompt: `Why is ${what} acceptable? The reason is kept with the suppression in the settings.`,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'A suppression needs a reason.'),
  }));
  if (!reason?.trim()) return undefined;
  // The finding id pins exactly this finding (stable across runs); the group id keeps the entry readable.
  const added = findings.map(({ finding }) => {
    const suppression: Suppression = { ruleId: finding.ruleId, reason: reason.trim(), findingId: finding.id };
    if (finding.groupId) suppression.groupId = finding.groupId;
    return suppression;
  });
  const config = vscode.workspace.getConfiguration(SECTION);
  const existing = config.get<Suppression[]>('suppressions') ?? [];
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('suppressions', [...existing, ...added], target);
  for (const s of added) services.log.info(`Suppressed ${s.ruleId} (${s.findingId}): ${s.reason}`);
  return added[0];
}
