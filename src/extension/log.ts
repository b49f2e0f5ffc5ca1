// What ran goes to the "Aurora SG" log channel. Nothing here may carry credentials: only
// command lines (which hold ids, never keys), step results and messages.

import * as vscode from 'vscode';
import { redact } from './core/redact';

export interface Log extends vscode.Disposable {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
  /** The last lines written, "LEVEL message", oldest first (the integration tests read what a user would). */
  recent(): readonly string[];
}

/** How many lines recent() keeps. */
const KEPT = 500;

export function createLog(): Log {
  const channel = vscode.window.createOutputChannel('Aurora SG', { log: true });
  const lines: string[] = [];
  const write = (level: 'info' | 'warn' | 'error') => (message: string) => {
    const text = redact(message);
    const line = `${level} ${text}`;
    // The same line twice in a row says nothing new (a tree redrawn, a settings problem read again).
    if (lines[lines.length - 1] === line) return;
    lines.push(line);
    if (lines.length > KEPT) lines.splice(0, lines.length - KEPT);
    channel[level](text);
  };
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    show: () => channel.show(true),
    recent: () => lines,
    dispose: () => channel.dispose(),
  };
}
