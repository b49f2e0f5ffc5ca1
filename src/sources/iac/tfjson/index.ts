// Reads `terraform show -json` output (a saved plan or a state) into an inventory.

import type { Inventory } from '../../../model/types';
import { MAX_DEPTH } from '../cfn/node';
import { tooDeepAt } from '../cfn/fromJson';
import { NoteSink } from '../notes';
import { LineIndex } from '../../textPositions';
import { isTerraformJson, parseTerraformJson, TerraformJsonReader } from './reader';

/** A cheap look at the text: the keys `terraform show -json` always writes. */
export function looksLikeTerraformJson(text: string): boolean {
  return /"format_version"\s*:/.test(text) && /"root_module"\s*:/.test(text) && /"(planned_values|values)"\s*:/.test(text);
}

export function readTerraformJson(filePath: string, text: string, inventory: Inventory): void {
  const lines = new LineIndex(text, filePath);
  const notes = new NoteSink(inventory, lines);
  const deep = tooDeepAt(text);
  if (deep !== undefined) { notes.syntax('Terraform JSON', deep, `nesting deeper than ${MAX_DEPTH} levels`); return; }
  const parsed = parseTerraformJson(text);
  if (parsed.problems.length) {
    for (const problem of parsed.problems.slice(0, 5)) notes.syntax('Terraform JSON', problem.offset, problem.message);
    return;
  }
  if (!isTerraformJson(parsed.root)) {
    notes.add('info', 'not the output of terraform show -json (no format_version with planned_values or values.root_module); nothing to audit.');
    return;
  }
  const reader = new TerraformJsonReader(parsed.root!, inventory, lines, notes);
  reader.read();
  inventory.iac = { resources: reader.declarations(), suppressions: [] };
}
