// What ran goes to the "Aurora SG" log channel. Nothing here may carry credentials: only
// command lines (which hold ids, never keys), step results and messages.

import * as vscode from 'vscode';
import { redact } from './core/redact';

export interface Log extends vscode.Disposable {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
}

export function createLog(): Log {
  const channel = vscode.window.createOutputChannel('Aurora SG', { log: true });
  return {
    info: (message) => channel.info(redact(message)),
    warn: (message) => channel.warn(redact(message)),
    error: (message) => channel.error(redact(message)),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
