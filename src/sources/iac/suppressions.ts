// Inline suppressions, as IaC scanners write them: a comment `aurora-sg:ignore AURSG-008 reason`
// on the line above a resource or a rule (`#` or `//` in Terraform, `#` in YAML). Several ids
// may be listed, comma-separated. A suppression needs a reason, as the settings do.

import type { InlineSuppression, RuleId, SourceRange } from '../../model/types';
import { isRuleId } from '../../rules/catalog';
import type { NoteSink } from './notes';
import type { LineIndex } from '../textPositions';

export const IGNORE_MARKER = 'aurora-sg:ignore';

const DIRECTIVE = /aurora-sg:ignore\b\s*([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)?\s*[:\-–—]?\s*(.*)$/i;

/** Something a suppression comment can stand above: a resource or a rule, with its address when it is a resource. */
export interface SuppressionSubject { start: number; end: number; address?: string }

export class InlineSuppressionReader {
  private readonly lineTexts: string[];
  private readonly lineStarts: number[] = [0];
  private readonly seen = new Set<number>();

  constructor(
    text: string,
    private readonly lines: LineIndex,
    /** Whether a (zero-based) line holds only a comment. */
    private readonly isCommentLine: (line: number, lineText: string) => boolean,
    private readonly notes: NoteSink,
  ) {
    this.lineTexts = text.split(/\r\n|\r|\n/);
    for (const match of text.matchAll(/\r\n|\r|\n/g)) this.lineStarts.push((match.index as number) + match[0].length);
  }

  /** The suppressions written in the comment lines right above each subject. */
  read(subjects: readonly SuppressionSubject[]): InlineSuppression[] {
    const out: InlineSuppression[] = [];
    for (const subject of subjects) {
      const range = this.lines.range(subject.start, subject.end);
      for (let line = range.start.line - 1; line >= 0; line--) {
        const lineText = this.lineTexts[line] ?? '';
        if (!this.isCommentLine(line, lineText)) break;
        const suppression = this.parse(line, lineText, range, subject.address);
        if (suppression) out.push(suppression);
      }
    }
    return out;
  }

  private parse(line: number, lineText: string, subject: SourceRange, address: string | undefined): InlineSuppression | undefined {
    const at = lineText.toLowerCase().indexOf(IGNORE_MARKER);
    if (at < 0) return undefined;
    const match = DIRECTIVE.exec(lineText.slice(at)) as RegExpExecArray;
    const comment: SourceRange = { file: subject.file, start: { line, character: at }, end: { line, character: lineText.length } };
    const offset = (this.lineStarts[line] ?? 0) + at;
    const warn = (message: string) => {
      // A comment above two subjects (a group and its first rule) is reported once.
      if (this.seen.has(line)) return;
      this.seen.add(line);
      this.notes.add('warning', message, offset, offset + lineText.length - at);
    };
    const ids = (match[1] ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    const unknown = ids.filter((id) => !isRuleId(id));
    if (ids.length === 0 || unknown.length) {
      warn(`${IGNORE_MARKER} needs rule ids (AURSG-001 to AURSG-011) and a reason${unknown.length ? `; ${unknown.join(', ')} is not one` : ''}; nothing was suppressed.`);
      return undefined;
    }
    const reason = (match[2] ?? '').replace(/\s*(\*\/)?\s*$/, '').trim();
    if (!reason) {
      warn(`${IGNORE_MARKER} ${ids.join(', ')} gives no reason; a suppression must say why, so nothing was suppressed.`);
      return undefined;
    }
    const suppression: InlineSuppression = { ruleIds: ids as RuleId[], reason, subject, comment };
    if (address) suppression.address = address;
    return suppression;
  }
}
