// Turns an argv into one shell line, quoting every value. Values (descriptions, names,
// profile names) come from AWS and from files: they are hostile, so nothing is ever left
// for the shell to interpret.

import { isArgRef, type Arg } from '../model/plan';

export type Shell = 'bash' | 'powershell';

/** Tokens left bare: the command, service and operation names and `--option` flags (plain ASCII only). */
const BARE_WORD = /^(?:--?)?[a-z][a-z0-9-]*$/;

/** Names of variables that carry values between steps (NEW_GROUP_ID). */
const REF_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PowerShell treats these four as single quotes, not just U+0027 (see its tokenizer's IsSingleQuote). */
const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

function assertNoNul(value: string): void {
  // No shell and no process argv can carry NUL; refusing is the only honest answer.
  if (value.includes('\0')) throw new Error(`An argument contains a NUL character and cannot be passed to a command: ${JSON.stringify(value)}`);
}

export function assertRefName(name: string): string {
  if (!REF_NAME.test(name)) throw new Error(`Invalid variable name for a step output: ${JSON.stringify(name)}`);
  return name;
}

/** bash/zsh: single quotes keep everything literal; a ' ends the string, so it is written '\''. */
export function quoteBash(value: string): string {
  assertNoNul(value);
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** PowerShell: a single-quoted (verbatim) string; each single-quote character is doubled. */
export function quotePowerShell(value: string): string {
  assertNoNul(value);
  return `'${value.replace(POWERSHELL_SINGLE_QUOTES, (q) => q + q)}'`;
}

function renderArg(arg: Arg, index: number, shell: Shell): string {
  if (isArgRef(arg)) {
    const name = assertRefName(arg.ref);
    return shell === 'bash' ? `"$${name}"` : `$${name}`;
  }
  // The first three tokens (aws, service, operation) and flags are fixed words of ours;
  // everything else is a value and always quoted.
  const isWord = index < 3 ? /^[a-z][a-z0-9-]*$/.test(arg) : BARE_WORD.test(arg) && arg.startsWith('-');
  if (isWord) return arg;
  return shell === 'bash' ? quoteBash(arg) : quotePowerShell(arg);
}

/**
 * One command line. bash: values in single quotes, ArgRefs as "$NAME". PowerShell: values
 * in single quotes, ArgRefs as $NAME; it relies on $PSNativeCommandArgumentPassing =
 * 'Standard' (PowerShell 7.3+, set by renderScript) to hand values with double quotes
 * (the --ip-permissions JSON) to aws unchanged.
 */
export function renderCommandLine(argv: Arg[], shell: Shell): string {
  return argv.map((arg, i) => renderArg(arg, i, shell)).join(' ');
}

/**
 * Makes text safe for a `#` comment in either shell: no line breaks (they would end the
 * comment and turn the rest into code) and no invisible controls or bidi overrides (which
 * could make the comment look unlike what it is). They are shown as \u{...} escapes.
 */
export function commentText(text: string): string {
  return Array.from(text, (c) => (isInvisibleOrBreak(c.codePointAt(0) as number) ? `\\u{${c.codePointAt(0)!.toString(16)}}` : c)).join('');
}

/** C0 and C1 controls (line breaks among them), DEL, line/paragraph separators, bidi marks and overrides, BOM. */
function isInvisibleOrBreak(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0x200e || code === 0x200f
    || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff;
}

export function commentLine(text: string, indent = ''): string {
  return `${indent}# ${commentText(text)}`.trimEnd();
}
