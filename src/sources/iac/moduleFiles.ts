// The other files of a Terraform module: Terraform reads a directory as one module, so the
// variables of variables.tf and the locals of locals.tf are what main.tf's expressions name.
// Read from disk, or from the editor's unsaved text where a file is open. A file that cannot be
// read, or one too large to be a configuration, is left out: the file itself is still audited.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { ModuleFile } from '.';
import { stripBom } from '../textFiles';

const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILES = 500;

export function isTerraformFile(filePath: string): boolean {
  const lower = filePath.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tf.json');
}

/** The .tf and .tf.json files beside `filePath` (not itself), sorted by name; none for a file that is not Terraform. */
export function terraformSiblings(filePath: string, openText?: (file: string) => string | undefined): ModuleFile[] {
  if (!isTerraformFile(filePath)) return [];
  const dir = path.dirname(filePath);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => isTerraformFile(n) && path.join(dir, n) !== path.resolve(filePath)).sort().slice(0, MAX_FILES);
  } catch {
    return [];
  }
  const out: ModuleFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const open = openText?.(file);
    if (open !== undefined) { out.push({ path: file, text: open }); continue; }
    try {
      const stat = statSync(file);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) continue;
      out.push({ path: file, text: stripBom(readFileSync(file, 'utf8')) });
    } catch {
      // Unreadable (permissions, removed meanwhile): the module is read without it.
    }
  }
  return out;
}
