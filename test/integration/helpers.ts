// Shared by the integration tests (they run inside the VS Code extension host).

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuroraSgApi, Runtime } from '../../src/extension/main';
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from '../../tools/aws-emulator';
import type { TreeNode } from '../../src/extension/tree/treeNode';
import { groupDocumentUri } from '../../src/extension/virtualDocuments';

export const EXTENSION_ID = 'aurora-sg.aurora-security-groups';
/** The repo (the extension under development); the tests are bundled to out/integration/. */
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const DEMO_DIR = path.join(REPO_ROOT, 'samples', 'demo-account');

/** Activates the extension and loads its runtime (what the first tree expansion or command does). */
export async function activateExtension(): Promise<Runtime> {
  const extension = vscode.extensions.getExtension<AuroraSgApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return (await extension.activate()).ready();
}

/**
 * For one suite: starts the AWS emulator seeded with the demo account and points
 * auroraSg.endpointUrl at it; undoes both after the suite. Returns the running emulator.
 */
export function useEmulator(options: EmulatorOptions = {}): () => EmulatorHandle {
  let emulator: EmulatorHandle | undefined;
  const config = () => vscode.workspace.getConfiguration('auroraSg');
  before(async () => {
    emulator = await startEmulator({ seedDir: DEMO_DIR, ...options });
    await activateExtension();
    await config().update('endpointUrl', emulator.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('endpointUrl', undefined, vscode.ConfigurationTarget.Global);
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('the emulator is not running (useEmulator() starts it in a before hook)');
    return emulator;
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface ShownNode {
  node: TreeNode;
  item: vscode.TreeItem;
  label: string;
}

function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

export async function childrenOf(api: Runtime, node?: TreeNode): Promise<ShownNode[]> {
  const nodes = await api.explorer.getChildren(node);
  return nodes.map((n) => {
    const item = api.explorer.getTreeItem(n);
    return { node: n, item, label: labelOf(item) };
  });
}

export async function child(api: Runtime, parent: TreeNode | undefined, label: string | RegExp): Promise<ShownNode> {
  const children = await childrenOf(api, parent);
  const found = children.find((c) => (typeof label === 'string' ? c.label === label : label.test(c.label)));
  if (!found) throw new Error(`no child ${String(label)} under ${parent?.id ?? 'the root'}; children: ${children.map((c) => c.label).join(' | ')}`);
  return found;
}

/** The emulator profile's region, expanded (which loads it): its tree node, its clusters and its source id for commands and the store. */
export async function loadedEmulatorRegion(api: Runtime, regionName = 'eu-west-1'): Promise<{ node: TreeNode; sourceId: string; clusters: TreeNode[] }> {
  const profile = await waitFor('the emulator profile', async () => (await api.explorer.getChildren()).find((n) => n.id === 'profile:emulator'));
  const region = await child(api, profile, regionName);
  const clusters = await api.explorer.getChildren(region.node);
  return { node: region.node, sourceId: (region.node as unknown as { sourceId: string }).sourceId, clusters };
}

type WindowFn = 'showWarningMessage' | 'showInformationMessage' | 'showErrorMessage' | 'showQuickPick' | 'showInputBox';

/**
 * Replaces a vscode.window function for the duration of a test (modal dialogs cannot be
 * answered in the test host). Returns the recorded calls and a restore function.
 */
export function stubWindow(name: WindowFn, answer: (...args: unknown[]) => unknown): { calls: unknown[][]; restore: () => void } {
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window[name];
  const calls: unknown[][] = [];
  window[name] = (...args: unknown[]) => {
    calls.push(args);
    return Promise.resolve(answer(...args));
  };
  if (window[name] === original) throw new Error(`vscode.window.${name} cannot be replaced in this host`);
  return { calls, restore: () => { window[name] = original; } };
}

/** The read-only document of a group of a loaded source (what the tree opens and Problems lists). */
export function groupUri(api: Runtime, sourceId: string, groupId: string): vscode.Uri {
  const source = api.store.get(sourceId);
  if (!source) throw new Error(`${sourceId} is not loaded`);
  return groupDocumentUri(source, groupId);
}

export function diagnosticsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Aurora SG');
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

/** Closes every editor without saving (untitled plan previews would otherwise ask). */
export async function closeEditors(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export interface WorkbenchDriver {
  text(selector: string, timeout?: number): Promise<string>;
  texts(selector: string): Promise<string[]>;
  attribute(selector: string, name: string, timeout?: number): Promise<string | null>;
  count(selector: string): Promise<number>;
  wait(selector: string, state?: 'visible' | 'hidden' | 'attached' | 'detached', timeout?: number): Promise<true>;
  click(selector: string, timeout?: number, options?: { force?: boolean }): Promise<true>;
  hover(selector: string, timeout?: number): Promise<true>;
  box(selector: string, timeout?: number): Promise<{ x: number; y: number; width: number; height: number } | null>;
  drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<true>;
  press(key: string): Promise<true>;
  type(text: string): Promise<true>;
  html(selector: string, timeout?: number): Promise<string>;
  screenshot(name: string, options?: { selector?: string; clip?: { x: number; y: number; width: number; height: number } }): Promise<string>;
}

/**
 * The workbench as a user sees it (test/host/driver.cjs, through the code-server host's
 * Playwright page). Under @vscode/test-electron there is none: the test is skipped there, and
 * only there (under the code-server host a missing driver fails).
 */
export function workbench(test: Mocha.Context): WorkbenchDriver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const host = require(path.join(REPO_ROOT, 'test', 'host', 'driver.cjs')) as { driver: WorkbenchDriver; hasDriver: () => boolean; underHost: () => boolean };
  if (!host.hasDriver()) {
    if (host.underHost()) throw new Error('the code-server host gave no driver endpoint (VSCODE_HOST_DRIVER)');
    test.skip();
  }
  return host.driver;
}

/** Workbench selectors (VS Code 1.139's DOM), in one place. */
export const UI = {
  statusItem: '[id="aurora-sg.aurora-security-groups.auroraSg.summary"]',
  viewBadge: '.part.activitybar li.action-item:has(a[aria-label^="Aurora SG"]) .badge-content',
  viewDescription: '.part.sidebar .pane-header .description',
  problemsBadge: '.part.panel li.action-item:has(a.action-label:text-is("Problems")) .badge-content',
  hover: '.monaco-hover:not(.hidden)',
  problemRow: (code: string) => `.markers-panel .monaco-list-row:has-text("${code}")`,
  showFixes: '.markers-panel-action-quickfix',
  menuItems: '.context-view .monaco-menu .action-label',
  quickInput: '.quick-input-widget',
  quickInputMessage: '.quick-input-widget .quick-input-message',
  /** A CodeLens by its codicon (`$(play) Run` renders the play icon). */
  codeLens: (icon: string) => `.codelens-decoration a:has(.codicon-${icon})`,
  // Under the test host the workbench shows no toasts: notifications go to the notification center (notifications.showList).
  notifications: '.notifications-center .notification-list-item',
  notificationWithProgress: '.notifications-center .notification-list-item:has(.monaco-progress-container.active)',
  notificationButton: (text: string, button: string) => `.notifications-center .notification-list-item:has-text("${text}") a.monaco-button:text-is("${button}")`,
};
