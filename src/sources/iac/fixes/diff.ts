// A unified diff (as `diff -u` and git print it) of a text and its edited form, for
// `aurora-sg fix`: whole lines, three lines of context, hunks merged when they touch.

const CONTEXT = 3;

function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lines of `before` and `after` that differ, as [start, end) line ranges of each (a common prefix and suffix removed, per change). */
function changedRanges(all: string[], bll: string[]): { a0: number; a1: number; b0: number; b1: number }[] {
  // The common first and last lines aside, a longest common subsequence of what is left: a fix changes a few lines.
  let head = 0;
  while (head < all.length && head < bll.length && all[head] === bll[head]) head++;
  let tail = 0;
  while (tail < all.length - head && tail < bll.length - head && all[all.length - 1 - tail] === bll[bll.length - 1 - tail]) tail++;
  const a = all.slice(head, all.length - tail);
  const b = bll.slice(head, bll.length - tail);
  if (a.length * b.length > 4_000_000) return [{ a0: head, a1: head + a.length, b0: head, b1: head + b.length }];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ranges: { a0: number; a1: number; b0: number; b1: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { i++; j++; continue; }
    const start = { a0: i, b0: j };
    while ((i < n || j < m) && !(i < n && j < m && a[i] === b[j])) {
      if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) j++;
      else i++;
    }
    ranges.push({ a0: start.a0 + head, b0: start.b0 + head, a1: i + head, b1: j + head });
  }
  return ranges;
}

export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ranges = changedRanges(a, b);
  const hunks: { a0: number; a1: number; b0: number; b1: number; changes: typeof ranges }[] = [];
  for (const r of ranges) {
    const last = hunks[hunks.length - 1];
    if (last && r.a0 - last.a1 <= CONTEXT * 2) { last.a1 = r.a1; last.b1 = r.b1; last.changes.push(r); }
    else hunks.push({ ...r, changes: [r] });
  }
  const out = [`--- a/${file}`, `+++ b/${file}`];
  for (const h of hunks) {
    const a0 = Math.max(0, h.a0 - CONTEXT);
    const a1 = Math.min(a.length, h.a1 + CONTEXT);
    // Outside the changes both sides have the same lines, shifted by what the earlier changes added.
    const b0 = a0 + (h.b0 - h.a0);
    const b1 = a1 + (h.b1 - h.a1);
    out.push(`@@ -${a1 - a0 ? a0 + 1 : a0},${a1 - a0} +${b1 - b0 ? b0 + 1 : b0},${b1 - b0} @@`);
    let ai = a0;
    for (const c of h.changes) {
      for (; ai < c.a0; ai++) out.push(` ${a[ai]}`);
      for (let k = c.a0; k < c.a1; k++) out.push(`-${a[k]}`);
      for (let k = c.b0; k < c.b1; k++) out.push(`+${b[k]}`);
      ai = c.a1;
    }
    for (; ai < a1; ai++) out.push(` ${a[ai]}`);
  }
  return `${out.join('\n')}\n`;
}
