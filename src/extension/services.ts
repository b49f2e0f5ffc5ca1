// What the commands need, built once in createRuntime() and passed around (no globals).

import type * as vscode from 'vscode';
import type { DiagnosticsManager } from './diagnostics/diagnosticsManager';
import type { Log } from './log';
import type { OrgSessions } from './orgSessions';
import type { ExtensionSettings } from './settings';
import type { SourceStore } from './sourceStore';
import type { PlanDocuments } from './planDocuments';
import type { Explorer } from './tree/explorer';
import type { VirtualDocuments } from './virtualDocuments';

export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  store: SourceStore;
  explorer: Explorer;
  documents: VirtualDocuments;
  diagnostics: DiagnosticsManager;
  plans: PlanDocuments;
  settings: () => ExtensionSettings;
  /** Loads every source the tree shows (evidence folders, the demo when open, every profile and region). */
  loadAll: () => Promise<void>;
  journalDir: () => string;
  /** A run or a backout ended: the journal view shows it. */
  journalChanged: () => void;
  demoFolder: string;
  organizations: OrgSessions;
}
