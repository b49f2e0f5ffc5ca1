// Turns window.codeAutomationLog(level, args) calls into lines on our stdout. In a test run the
// workbench sends the extension host's console here (args = [format, ...values], as console.log
// took them) together with its own log at info level and above.
import { format } from 'node:util';

/** `[host] screenshot NAME` printed by a test asks the driver for a screenshot (see screenshot.cjs). */
export const SCREENSHOT_MARKER = /^\[host\] screenshot ([A-Za-z0-9][A-Za-z0-9._-]{0,100})\s*$/;

/** The workbench's own start-up chatter at info level; dropped unless --verbose. */
const WORKBENCH_CHATTER = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket \(/,
  /^\[reconnection-grace-time\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost:/,
  /^\[AccountPolicyGate\]/,
];

export function createLogForwarder({ onScreenshotRequest, verbose = false, out = process.stdout }) {
  return (level, args) => {
    const values = Array.isArray(args) ? args : [args];
    const text = format(...values);
    const marker = SCREENSHOT_MARKER.exec(text.trim());
    if (marker) {
      onScreenshotRequest(marker[1]);
      return;
    }
    const isInfo = level === 'info' || level === 'log';
    if (isInfo && !verbose && WORKBENCH_CHATTER.some((pattern) => pattern.test(text))) return;
    // Test output (info) is printed as is, so a mocha report reads normally; anything louder is tagged.
    const prefix = isInfo ? '' : `[vscode:${level}] `;
    out.write(`${text.split('\n').map((line) => prefix + line).join('\n')}\n`);
  };
}
