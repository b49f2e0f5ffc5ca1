// Runs a plan's remediation with the AWS CLI in the integrated terminal. The script is
// written to a file first and the one line that runs it is visible in the terminal; with
// shell integration the exit code comes back, without it the line is only sent.

import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { quoteBash, quotePowerShell, renderScript, type Shell } from '../remediation';
import type { Plan } from '../model/plan';

/** How long a new terminal may take to report shell integration before the line is only sent. */
const SHELL_INTEGRATION_WAIT_MS = 5000;

export interface TerminalExecution {
  /** The line typed into the terminal, quoted for its shell (it can be pasted as it is logged). */
  commandLine: string;
  /** The script it runs. */
  script: string;
  /** Undefined when the terminal has no shell integration (the result cannot be read). */
  exitCode?: number;
}

export async function runInTerminal(plan: Plan, shell: Shell, scriptsDir: string, env: Record<string, string>, only: 'remediation' | 'backout' = 'remediation'): Promise<TerminalExecution> {
  await fs.mkdir(scriptsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(scriptsDir, `${plan.fix}-${stamp}-${only}.${shell === 'powershell' ? 'ps1' : 'sh'}`);
  await fs.writeFile(file, renderScript(plan, shell, only), { mode: 0o600 });
  const commandLine = shell === 'powershell' ? `pwsh -NoProfile -File ${quotePowerShell(file)}` : `bash ${quoteBash(file)}`;

  const terminal = vscode.window.createTerminal({ name: `Aurora SG: ${only === 'backout' ? 'back out ' : ''}${plan.title}`, env });
  terminal.show();
  const integration = terminal.shellIntegration ?? (await waitForShellIntegration(terminal));
  if (!integration) {
    terminal.sendText(commandLine, true);
    return { commandLine, script: file };
  }
  const execution = integration.executeCommand(commandLine);
  // Closing the terminal mid-run ends the wait too (exit code unknown): otherwise the command
  // and its listener would wait forever.
  const ended = new Promise<{ exitCode: number | undefined; closed: boolean }>((resolve) => {
    const listeners: vscode.Disposable[] = [];
    const finish = (exitCode: number | undefined, closed: boolean) => {
      for (const listener of listeners) listener.dispose();
      resolve({ exitCode, closed });
    };
    listeners.push(
      vscode.window.onDidEndTerminalShellExecution((e) => { if (e.execution === execution) finish(e.exitCode, false); }),
      vscode.window.onDidCloseTerminal((closed) => { if (closed === terminal) finish(undefined, true); }),
    );
  });
  // read() must start at once or the output is lost; draining it keeps the stream flowing.
  const drained = (async () => { for await (const chunk of execution.read()) void chunk; })().catch(() => undefined);
  const { exitCode, closed } = await ended;
  if (!closed) await drained;
  return { commandLine, script: file, exitCode };
}

function waitForShellIntegration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { listener.dispose(); resolve(undefined); }, SHELL_INTEGRATION_WAIT_MS);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e.shellIntegration);
    });
  });
}
