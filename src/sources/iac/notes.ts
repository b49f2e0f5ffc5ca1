// Inventory notes for IaC files: each names the file and the line, so a note makes sense
// on its own in a terminal as well as in the Problems panel (which also gets the location).

import * as path from 'node:path';
import type { Inventory, InventoryNote } from '../../model/types';
import type { LineIndex } from '../textPositions';

export class NoteSink {
  private readonly fileName: string;

  constructor(private readonly inventory: Inventory, private readonly lines: LineIndex) {
    this.fileName = path.basename(lines.file);
  }

  add(level: InventoryNote['level'], message: string, start?: number, end?: number): void {
    if (start === undefined) {
      this.inventory.notes.push({ level, message: `${this.fileName}: ${message}`, file: this.lines.file });
      return;
    }
    const location = this.lines.range(start, end ?? start);
    this.inventory.notes.push({
      level,
      message: `${this.fileName}, line ${location.start.line + 1}: ${message}`,
      file: this.lines.file,
      location,
    });
  }

  /** A syntax error: names the file, line and column. */
  syntax(language: string, offset: number, problem: string): void {
    const location = this.lines.range(offset, offset);
    this.inventory.notes.push({
      level: 'error',
      message: `${this.fileName}: cannot parse ${language} at ${this.lines.describe(offset)}: ${problem}. Nothing in this file was audited.`,
      file: this.lines.file,
      location,
    });
  }
}
