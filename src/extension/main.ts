// Entry point of dist/extension.js.
export { activate, deactivate } from './activate';
export type { AuroraSgApi } from './activate';
export type { Runtime } from './runtime';
