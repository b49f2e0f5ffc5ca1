// Text edits as offsets into the original text, and the line arithmetic the code fixes need to
// keep a file's formatting: indentation, line breaks, list separators.

export interface TextEdit { start: number; end: number; newText: string }

/** Applies non-overlapping edits (any order) to the text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at ${edit.start}`);
    out += text.slice(at, edit.start) + edit.newText;
    at = edit.end;
  }
  return out + text.slice(at);
}

/** The file's own line break, so inserted lines match it. */
export function lineBreak(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The offset of the line break ending the line of `offset` (or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Just after the line break of the line of `offset`. */
export function nextLineStart(text: string, offset: number): number {
  const end = lineEnd(text, offset);
  if (text[end] === '\r' && text[end + 1] === '\n') return end + 2;
  return end < text.length ? end + 1 : end;
}

/** The white space that starts the line of `offset`. */
export function indentOf(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), lineEnd(text, offset)))?.[0] ?? '';
}

/**
 * The whole lines of a declaration to delete, with one blank line next to it when it sits
 * between blank lines or last before a closing line, so no double or dangling gap is left.
 */
export function linesToDelete(text: string, start: number, end: number): { start: number; end: number } {
  const lines = wholeLines(text, start, end);
  const after = text.slice(lines.end, nextLineStart(text, lines.end));
  const beforeStart = lines.start === 0 ? 0 : lineStart(text, lines.start - 1);
  const before = lines.start === 0 ? undefined : text.slice(beforeStart, lines.start);
  if (after.trim() === '' && lines.end < text.length && (before === undefined || before.trim() === '')) return { start: lines.start, end: lines.end + after.length };
  if (before !== undefined && before.trim() === '' && (/^\s*[}\]]/.test(after) || lines.end >= text.length)) return { start: beforeStart, end: lines.end };
  return lines;
}

/** Whether only white space lies between the line start and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** Whether only white space (and maybe a comma) follows `offset` on its line. */
export function endsLine(text: string, offset: number): boolean {
  return /^[ \t,]*(#.*|\/\/.*)?$/.test(text.slice(offset, lineEnd(text, offset)));
}

/** The whole lines from the line of `start` to the line of `end`, line break included. */
export function wholeLines(text: string, start: number, end: number): { start: number; end: number } {
  return { start: lineStart(text, start), end: nextLineStart(text, end) };
}

/**
 * Removes item `index` of a comma-separated list (a tuple, a JSON array or object, a flow
 * sequence), with the comma that joined it to a neighbour: the list stays valid.
 */
export function removeListItem(text: string, items: readonly { start: number; end: number }[], index: number): TextEdit {
  const item = items[index] as { start: number; end: number };
  const next = items[index + 1];
  const previous = items[index - 1];
  // Items each on their own line go with their whole line.
  if (startsLine(text, item.start) && endsLine(text, item.end)) {
    if (next || !previous) return { ...wholeLines(text, item.start, item.end), newText: '' };
    // The last of several: its line, and the comma after the one before (kept if the list had trailing commas).
    const lines = wholeLines(text, item.start, item.end);
    const trailing = /^\s*,/.test(text.slice(item.end));
    if (trailing) return { ...lines, newText: '' };
    const comma = text.slice(previous.end, lines.start).search(/,/);
    return comma < 0 ? { ...lines, newText: '' } : { start: previous.end + comma, end: lines.end, newText: lineBreak(text) };
  }
  if (next) return { start: item.start, end: next.start, newText: '' };
  if (previous) return { start: previous.end, end: item.end, newText: '' };
  // The only item: it and a trailing comma.
  const trailing = /^\s*,/.exec(text.slice(item.end));
  return { start: item.start, end: item.end + (trailing ? trailing[0].length : 0), newText: '' };
}

/** Text with some of its spans replaced; spans are offsets into `text` from `base`. */
export function rewrite(text: string, base: number, end: number, replacements: readonly TextEdit[]): string {
  return applyEdits(text.slice(base, end), replacements.map((r) => ({ start: r.start - base, end: r.end - base, newText: r.newText })));
}
