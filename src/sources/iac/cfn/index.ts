// Reads one CloudFormation template (YAML or JSON) into an inventory, with where each rule and
// instance was declared (for code fixes) and, in YAML, the inline suppressions its comments write.

import type { Inventory } from '../../../model/types';
import { NoteSink } from '../notes';
import { InlineSuppressionReader, type SuppressionSubject } from '../suppressions';
import { LineIndex } from '../../textPositions';
import { parseCfnJson } from './fromJson';
import { parseCfnYaml } from './fromYaml';
import { child, type CfnNode } from './node';
import { emptyCfnOrigins, type CloudFormationOrigins } from './origins';
import { TemplateReader } from './template';

/** Enough syntax errors to find the first ones; the rest usually follow from them. */
const MAX_REPORTED_ERRORS = 5;

export function readCloudFormation(filePath: string, text: string, syntax: 'yaml' | 'json', inventory: Inventory): CloudFormationOrigins {
  const lines = new LineIndex(text, filePath);
  const notes = new NoteSink(inventory, lines);
  const origins = emptyCfnOrigins(syntax);
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
    return origins;
  }
  new TemplateReader(parsed.root, inventory, lines, notes, origins).read();
  const resources = child(parsed.root, 'Resources');
  const entries = resources?.kind === 'map' ? resources.entries : [];
  // JSON has no comments: suppressions there live in the settings, by logical id.
  const isComment = syntax === 'yaml' ? (_line: number, lineText: string) => /^\s*#/.test(lineText) : () => false;
  inventory.iac = {
    resources: entries.map((e) => ({ address: e.key, location: lines.range(e.keySpan.start, e.value.span.end) })),
    suppressions: new InlineSuppressionReader(text, lines, isComment, notes).read(subjects(entries.map((e) => ({ key: e.key, start: e.keySpan.start, value: e.value })))),
  };
  return origins;
}

/** Each resource, and each item of its SecurityGroupIngress / SecurityGroupEgress lists. */
function subjects(resources: { key: string; start: number; value: CfnNode }[]): SuppressionSubject[] {
  const out: SuppressionSubject[] = [];
  for (const resource of resources) {
    out.push({ start: resource.start, end: resource.value.span.end, address: resource.key });
    const properties = child(resource.value, 'Properties');
    for (const property of ['SecurityGroupIngress', 'SecurityGroupEgress']) {
      const list = child(properties, property);
      if (list?.kind === 'list') for (const item of list.items) out.push({ start: item.span.start, end: item.span.end });
    }
  }
  return out;
}
