// Quick fixes on the diagnostics of IaC files: the code fixes of src/sources/iac/fixes as
// WorkspaceEdits (each verified on the document's current text), a fix with a source the user
// types, and an inline suppression comment. Also what the palette's Generate Remediation Plan
// offers for an IaC finding: the same fixes, in a quick pick.

import * as vscode from 'vscode';
import type { AuditSettings } from '../../model/settings';
import type { Finding } from '../../model/types';
import { iacCodeFixes, suppressionFix, typedSourceFix, type CodeFix, type FixList, type TextEdit } from '../../sources/iac/fixes';
import { iacFormat } from '../../sources/iac';
import { shortTitle } from '../core/severity';
import { fixInput } from './moduleContext';
import type { FindingRef } from '../findingRefs';

/** What the IaC commands receive from a quick fix. */
export interface IacFixRef { uri: string; findingId: string }

export const REPLACE_SOURCE_COMMAND = 'auroraSg.iacReplaceSource';
export const SUPPRESS_INLINE_COMMAND = 'auroraSg.iacSuppressInline';

/** Fixes computed for (document version, finding): code action requests repeat as the cursor moves. */
const cache = new Map<string, FixList | { why: string }>();
const CACHE_SIZE = 64;

function fixesFor(document: vscode.TextDocument, findingId: string, settings: AuditSettings): FixList | { why: string } {
  const input = fixInput(document, settings);
  // The module's other files count too: an edit of variables.tf changes what main.tf's fixes are.
  const siblings = (input.siblings ?? []).map((f) => `${f.path}:${f.text.length}:${f.text.slice(0, 64)}`).join('|');
  const key = `${document.uri.toString()}@${document.version}|${findingId}|${JSON.stringify(settings)}|${siblings}`;
  let list = cache.get(key);
  if (!list) {
    list = iacCodeFixes(input, findingId);
    cache.set(key, list);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return list;
}

export function workspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  return edit;
}

/** Whether the file can hold a comment: Terraform and YAML can, JSON cannot. */
function takesComments(document: vscode.TextDocument): boolean {
  const format = iacFormat(document.uri.fsPath, document.getText());
  return format === 'terraform' || format === 'cloudformation-yaml';
}

/**
 * The quick fixes of one IaC diagnostic. Several findings on one rule (AURSG-001 and 006) often
 * share a fix: `seen` (one per request) keeps one action for each, listing every diagnostic it fixes.
 */
export function iacQuickFixes(
  document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: Finding, settings: AuditSettings, seen = new Map<string, vscode.CodeAction>(),
): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const list = fixesFor(document, finding.id, settings);
  const ref: IacFixRef = { uri: document.uri.toString(), findingId: finding.id };
  const once = (key: string, make: () => vscode.CodeAction) => {
    const existing = seen.get(key);
    if (existing) { existing.diagnostics = [...(existing.diagnostics ?? []), diagnostic]; return; }
    const action = make();
    seen.set(key, action);
    actions.push(action);
  };
  if (!('why' in list)) {
    for (const fix of list.fixes) {
      once(`${fix.title}|${JSON.stringify(fix.edits)}`, () => {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.edit = workspaceEdit(document, fix.edits);
        action.isPreferred = fix.preferred;
        return action;
      });
    }
  }
  if (finding.rule) {
    const egress = finding.rule.direction === 'egress';
    const what = egress ? 'Limit egress to a CIDR or reference you name…' : `Replace ${finding.rule.source.value} with a CIDR, variable or group you name…`;
    once(`${what}|${finding.rule.location?.start.line}`, () => {
      const title = what;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = { title, command: REPLACE_SOURCE_COMMAND, arguments: [ref] };
      return action;
    });
  }
  if (takesComments(document)) {
    // Titles name the finding in words, as the menu's other suppress entries do, not by rule id.
    const title = `Suppress "${shortTitle(finding)}" here with a comment…`;
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.command = { title, command: SUPPRESS_INLINE_COMMAND, arguments: [ref] };
    actions.push(action);
  }
  return actions;
}

async function documentOf(ref: IacFixRef): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(vscode.Uri.parse(ref.uri));
}

async function apply(document: vscode.TextDocument, fix: CodeFix): Promise<boolean> {
  const applied = await vscode.workspace.applyEdit(workspaceEdit(document, fix.edits));
  if (applied) {
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
    const first = fix.edits[0];
    if (first) editor.revealRange(new vscode.Range(document.positionAt(first.start), document.positionAt(first.start)), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
  return applied;
}

/**
 * Asks for a source (a CIDR, an id, or a reference of the file), checked as it is typed; what was
 * typed is never lost: a refused or failed edit asks again with the same text.
 */
export async function replaceSourceCommand(settings: () => AuditSettings, ref: IacFixRef, answer?: string): Promise<CodeFix | undefined> {
  const document = await documentOf(ref);
  const input = () => fixInput(document, settings());
  let value = answer ?? '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const typed = answer ?? await vscode.window.showInputBox({
      title: 'Aurora SG: what should take the risky source\'s place?',
      prompt: document.uri.fsPath.endsWith('.tf')
        ? 'A CIDR (10.0.0.0/16), sg-… or pl-… id, or a reference of the file: var.app_cidr, local.office, aws_security_group.app.id'
        : 'A CIDR (10.0.0.0/16), sg-… or pl-… id, a security group of the template (AppSecurityGroup) or a parameter (!Ref AppCidr)',
      value,
      ignoreFocusOut: true,
      validateInput: (text) => {
        if (!text.trim()) return undefined;
        const result = typedSourceFix(input(), ref.findingId, text);
        return 'why' in result ? result.why : undefined;
      },
    });
    if (typed === undefined) return undefined;
    const result = typedSourceFix(input(), ref.findingId, typed);
    if ('fix' in result && await apply(document, result.fix)) return result.fix;
    const why = 'why' in result ? result.why : 'the file changed while the edit was made';
    void vscode.window.showWarningMessage(`Aurora SG: ${typed} was not put in: ${why}`);
    if (answer !== undefined) return undefined;
    value = typed;
  }
  return undefined;
}

/** Asks for the reason and writes `aurora-sg:ignore RULE reason` above the rule. */
export async function suppressInlineCommand(settings: () => AuditSettings, ref: IacFixRef, reasonGiven?: string): Promise<CodeFix | undefined> {
  const document = await documentOf(ref);
  const reason = reasonGiven ?? await vscode.window.showInputBox({
    title: 'Aurora SG: suppress here with a comment',
    prompt: 'Why is this acceptable? The reason goes in the comment, and is listed with the suppressed finding.',
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'A suppression needs a reason.'),
  });
  if (!reason?.trim()) return undefined;
  const result = suppressionFix(fixInput(document, settings()), ref.findingId, reason);
  if ('why' in result) {
    void vscode.window.showWarningMessage(`Aurora SG: the comment was not written: ${result.why}`);
    return undefined;
  }
  return (await apply(document, result.fix)) ? result.fix : undefined;
}

interface FixPick extends vscode.QuickPickItem { run: () => Promise<unknown> }

/**
 * Generate Remediation Plan on an IaC finding: its code fixes, a source to name, a comment or a
 * settings suppression, in a quick pick; never a dead end.
 */
export async function offerIacCodeFixes(settings: () => AuditSettings, finding: Finding, file: string, ref: FindingRef): Promise<CodeFix | undefined> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const fixRef: IacFixRef = { uri: document.uri.toString(), findingId: finding.id };
  const list = fixesFor(document, finding.id, settings());
  const picks: FixPick[] = [];
  let chosen: CodeFix | undefined;
  if (!('why' in list)) {
    for (const fix of list.fixes) {
      picks.push({ label: `$(${fix.preferred ? 'star-full' : 'wrench'}) ${fix.title}`, description: fix.preferred ? 'preferred' : undefined, run: async () => { if (await apply(document, fix)) chosen = fix; } });
    }
  }
  if (finding.rule) {
    picks.push({ label: finding.rule.direction === 'egress' ? '$(edit) Limit egress to a CIDR or reference you name…' : `$(edit) Replace ${finding.rule.source.value} with a CIDR, variable or group you name…`, run: async () => { chosen = await replaceSourceCommand(settings, fixRef); } });
  }
  if (takesComments(document)) picks.push({ label: '$(comment) Suppress here with a comment…', run: async () => { chosen = await suppressInlineCommand(settings, fixRef); } });
  picks.push({ label: '$(eye-closed) Suppress in the settings…', run: async () => { await vscode.commands.executeCommand('auroraSg.suppress', ref); } });
  if (!('why' in list)) {
    for (const refused of list.refused) {
      picks.push({ label: `$(circle-slash) ${refused.title}`, detail: `Not offered: ${refused.why}`, run: async () => { void vscode.window.showInformationMessage(`Aurora SG: ${refused.title} is not offered: ${refused.why}`); } });
    }
  }
  const picked = await vscode.window.showQuickPick(picks, {
    title: `Aurora SG: fix ${finding.ruleId} in ${vscode.workspace.asRelativePath(document.uri)}`,
    placeHolder: 'A template is fixed where it is written: pick a code fix',
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  await picked.run();
  return chosen;
}
