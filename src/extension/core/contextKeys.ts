// Names shared by activation, the commands and package.json's `when` clauses. Pure.

/** Whether the demo account is open in this workspace: its workspace-state key and its context key. */
export const DEMO_STATE_KEY = 'auroraSg.demoOpen';

/** The tree view's id (package.json contributes.views); `${VIEW_ID}.focus` reveals it. */
export const VIEW_ID = 'auroraSg.explorer';
