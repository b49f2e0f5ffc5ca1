// Reads one Terraform file into an inventory.

import type { Inventory } from '../../../model/types';
import { parseHcl } from '../hcl/parser';
import { NoteSink } from '../notes';
import { LineIndex } from '../../textPositions';
import { TerraformReader } from './reader';

export function readTerraform(filePath: string, text: string, inventory: Inventory): void {
  const lines = new LineIndex(text, filePath);
  const notes = new NoteSink(inventory, lines);
  const parsed = parseHcl(text);
  if (!parsed.ok) {
    notes.syntax('Terraform', parsed.offset, parsed.message);
    return;
  }
  new TerraformReader(parsed.body, inventory, lines, notes).read();
}
