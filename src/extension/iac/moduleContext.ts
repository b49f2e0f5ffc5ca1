// A Terraform document is read with the other files of its module, as Terraform reads a
// directory: from the editors' unsaved text where they are open, else from disk.

import * as vscode from 'vscode';
import type { AuditSettings } from '../../model/settings';
import type { ModuleFile } from '../../sources/iac';
import type { FixInput } from '../../sources/iac/fixes';
import { terraformSiblings } from '../../sources/iac/moduleFiles';

export function moduleSiblings(document: vscode.TextDocument): ModuleFile[] {
  if (document.uri.scheme !== 'file') return [];
  const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d] as const));
  return terraformSiblings(document.uri.fsPath, (file) => open.get(file)?.getText());
}

/** What the code fixes of a document are computed from. */
export function fixInput(document: vscode.TextDocument, settings: AuditSettings): FixInput {
  return { file: document.uri.fsPath, text: document.getText(), settings, siblings: moduleSiblings(document) };
}
