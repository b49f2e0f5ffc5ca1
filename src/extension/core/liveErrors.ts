// Turns a failure of a live target into what the tree shows. Pure.

import { credentialsLabel, roleOfKey } from '../../aws/credentialsKey';

export interface LiveFailure {
  profile: string;
  region?: string;
  message: string;
  code?: string;
}

export interface FailureView {
  /** The cause, first: the row sits under the target that failed, so it need not repeat it. */
  label: string;
  detail: string;
  /** Set when the fix is to log in again: the command to run in a terminal. */
  loginCommand?: string;
}

const SSO_EXPIRED = /(sso|token).*(expired|invalid|refresh)|(expired|invalid).*(sso|token)|ExpiredToken|UnauthorizedSSOTokenError|InvalidGrantException/i;

/** Recognises an expired or missing SSO session so the user is told to log in, not shown a stack. */
export function describeLiveFailure(failure: LiveFailure, profileKind?: string): FailureView {
  const who = credentialsLabel(failure.profile);
  const where = failure.region ? `${who} / ${failure.region}` : who;
  const text = `${failure.code ?? ''} ${failure.message}`;
  if (failure.code === 'sso-expired' || (SSO_EXPIRED.test(text) && (profileKind === 'sso' || /sso/i.test(text)))) {
    // A member account's role is assumed from the organization profile: that is the one to log in with.
    const loginCommand = `aws sso login --profile ${shellWord(roleOfKey(failure.profile)?.source ?? failure.profile)}`;
    return {
      label: `SSO session expired: run ${loginCommand}`,
      detail: `${failure.message}\n\nRun \`${loginCommand}\` in a terminal, then refresh.`,
      loginCommand,
    };
  }
  const code = failure.code && !failure.message.startsWith(failure.code) ? `${failure.code}: ` : '';
  return { label: `${code}${firstLine(failure.message)}`, detail: `Failed to load ${where}: ${code}${failure.message}` };
}

/** The first line of a message, cut to fit a tree label. */
export function firstLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** Profile names come from the user's config; quote anything a shell would split or expand. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_.@%+=:,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
