// Reads one CloudFormation template (YAML or JSON) into an inventory.

import type { Inventory } from '../../../model/types';
import { NoteSink } from '../notes';
import { LineIndex } from '../../textPositions';
import { parseCfnJson } from './fromJson';
import { parseCfnYaml } from './fromYaml';
import { TemplateReader } from './template';

/** Enough syntax errors to find the first ones; the rest usually follow from them. */
const MAX_REPORTED_ERRORS = 5;

export function readCloudFormation(filePath: string, text: string, syntax: 'yaml' | 'json', inventory: Inventory): void {
  const lines = new LineIndex(text, filePath);
  const notes = new NoteSink(inventory, lines);
  const parsed = syntax === 'json' ? parseCfnJson(text) : parseCfnYaml(text);
  const language = syntax === 'json' ? 'CloudFormation JSON' : 'CloudFormation YAML';
  // yaml repeats one error for every level it unwinds; each is reported once.
  const reported = new Set<string>();
  for (const problem of parsed.problems) {
    const key = `${problem.offset}:${problem.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    notes.syntax(language, problem.offset, problem.message);
    if (reported.size >= MAX_REPORTED_ERRORS) break;
  }
  if (parsed.problems.length || !parsed.root) {
    if (!parsed.problems.length) notes.add('info', 'the file is empty; nothing to audit.');
    return;
  }
  new TemplateReader(parsed.root, inventory, lines, notes).read();
}
