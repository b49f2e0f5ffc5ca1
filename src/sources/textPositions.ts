// Offsets to editor positions (zero-based line and UTF-16 character), shared by the
// evidence, settings, YAML, JSON and HCL readers so every location is counted the same way.

import type { Position, SourceRange } from '../model/types';

/** "line 3, column 7" (one-based, as people and editors' status bars say it). */
export function describePosition(position: Position): string {
  return `line ${position.line + 1}, column ${position.character + 1}`;
}

export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string, readonly file = '') {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      // \r\n counts as one break; a lone \r is a break too, as editors treat it.
      if (ch === 10) this.lineStarts.push(i + 1);
      else if (ch === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - (this.lineStarts[low] as number) };
  }

  range(start: number, end: number): SourceRange {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** "line 3, column 7" in the one-based form people read. */
  describe(offset: number): string {
    return describePosition(this.position(offset));
  }
}
