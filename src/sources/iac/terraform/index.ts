// Reads one Terraform file into an inventory, with where each rule and instance was declared
// (for code fixes) and the inline suppressions its comments write.

import type { Inventory } from '../../../model/types';
import * as path from 'node:path';
import type { ModuleFile } from '..';
import { autoLoadedVariablesRank } from '../moduleFiles';
import { shiftSpans, type HclBlock, type HclBody, type HclComment } from '../hcl/ast';
import { parseHcl } from '../hcl/parser';
import { parseTerraformJsonSyntax } from './jsonSyntax';
import { NoteSink } from '../notes';
import { InlineSuppressionReader, type SuppressionSubject } from '../suppressions';
import { LineIndex } from '../../textPositions';
import { emptyOrigins, type TerraformOrigins } from './origins';
import { TerraformReader } from './reader';

/**
 * `syntax`: the native syntax (.tf), or Terraform's JSON syntax (.tf.json), which has no comments
 * and so no inline suppressions. `siblings`: the other files of the module, read for what they
 * declare (variables, locals, resource arguments), not audited; one that does not parse is skipped
 * (it gets its own diagnostics when it is read).
 */
export function readTerraform(filePath: string, text: string, inventory: Inventory, syntax: 'native' | 'json' = 'native', siblings: readonly ModuleFile[] = []): TerraformOrigins {
  const lines = new LineIndex(text, filePath);
  const notes = new NoteSink(inventory, lines);
  const origins = emptyOrigins();
  const parsed = syntax === 'json' ? parseTerraformJsonSyntax(text) : parseHcl(text);
  if (!parsed.ok) {
    notes.syntax(syntax === 'json' ? 'Terraform JSON' : 'Terraform', parsed.offset, parsed.message);
    return origins;
  }
  // The other files are appended to this one's text, their spans moved with them, so that the
  // evaluator quotes the right text in its messages whichever file an expression comes from.
  const declaredElsewhere: HclBody[] = [];
  const variableValues: HclBody[] = [];
  let source = text;
  for (const sibling of siblings) {
    const tfvars = autoLoadedVariablesRank(path.basename(sibling.path)) !== undefined;
    const json = sibling.path.toLowerCase().endsWith('.json');
    // A .tfvars.json file is an object of values: read as the locals block it would be in a .tf.json.
    const wrapper = tfvars && json ? '{"locals": ' : '';
    const other = json ? parseTerraformJsonSyntax(`${wrapper}${sibling.text}${wrapper ? '}' : ''}`) : parseHcl(sibling.text);
    if (!other.ok) continue;
    shiftSpans(other.body, source.length + 1 - wrapper.length);
    source += `\n${sibling.text}`;
    if (!tfvars) declaredElsewhere.push(other.body);
    else variableValues.push(json ? other.body.blocks[0]?.body ?? { attributes: [], blocks: [] } : other.body);
  }
  new TerraformReader(parsed.body, inventory, lines, notes, source, origins, declaredElsewhere, variableValues).read();
  const resources = parsed.body.blocks.filter((b) => b.type === 'resource' && b.labels.length === 2);
  inventory.iac = {
    resources: resources.map((b) => ({ address: `${b.labels[0]}.${b.labels[1]}`, location: lines.range(b.span.start, b.span.end) })),
    suppressions: new InlineSuppressionReader(text, lines, commentLines(parsed.comments, lines), notes).read(subjects(parsed.body)),
  };
  return origins;
}

/** Resources, and the rules inside groups (blocks and list objects), in file order. */
function subjects(body: HclBody): SuppressionSubject[] {
  const out: SuppressionSubject[] = [];
  for (const block of body.blocks) {
    if (block.type !== 'resource' || block.labels.length !== 2) continue;
    out.push({ start: block.span.start, end: block.span.end, address: `${block.labels[0]}.${block.labels[1]}` });
    for (const inner of ruleBlocks(block)) out.push({ start: inner.span.start, end: inner.span.end });
    for (const attr of block.body.attributes) {
      if ((attr.name === 'ingress' || attr.name === 'egress') && attr.value.type === 'tuple') {
        for (const item of attr.value.items) out.push({ start: item.span.start, end: item.span.end });
      }
    }
  }
  return out;
}

function ruleBlocks(resource: HclBlock): HclBlock[] {
  return resource.body.blocks.filter((b) => b.type === 'ingress' || b.type === 'egress' || b.type === 'dynamic');
}

/** Lines that hold nothing but a comment (a line comment, or a one-line block comment). */
function commentLines(comments: HclComment[], lines: LineIndex): (line: number, lineText: string) => boolean {
  const only = new Set<number>();
  for (const comment of comments) {
    const start = lines.position(comment.span.start);
    const end = lines.position(comment.span.end);
    if (start.line === end.line) only.add(start.line);
  }
  return (line, lineText) => only.has(line) && /^\s*(#|\/\/|\/\*)/.test(lineText);
}
