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

/**
 * Texts read from disk, kept while a file's size and modification time stay the same: the editor
 * asks for a document's module on every edit and every code-action request (each cursor move).
 */
const diskTexts = new Map<string, { mtimeMs: number; size: number; text: string }>();
const MAX_CACHED_TEXTS = 1000;

function diskText(file: string): string | undefined {
  const stat = statSync(file);
  if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
  const cached = diskTexts.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.text;
  const text = stripBom(readFileSync(file, 'utf8'));
  diskTexts.delete(file);
  diskTexts.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, text });
  if (diskTexts.size > MAX_CACHED_TEXTS) diskTexts.delete(diskTexts.keys().next().value as string);
  return text;
}

export function isTerraformFile(filePath: string): boolean {
  const lower = filePath.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tf.json');
}

/**
 * The variable files Terraform loads by itself for a root module, in the order it loads them
 * (a later one wins): terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name.
 */
export function autoLoadedVariablesRank(fileName: string): number | undefined {
  const lower = fileName.toLowerCase();
  if (lower === 'terraform.tfvars') return 0;
  if (lower === 'terraform.tfvars.json') return 1;
  if (lower.endsWith('.auto.tfvars') || lower.endsWith('.auto.tfvars.json')) return 2;
  return undefined;
}

/**
 * The .tf and .tf.json files beside `filePath` (not itself), sorted by name, then the variable
 * files Terraform loads by itself, in its order; none for a file that is not Terraform.
 */
export function terraformSiblings(filePath: string, openText?: (file: string) => string | undefined): ModuleFile[] {
  if (!isTerraformFile(filePath)) return [];
  const dir = path.dirname(filePath);
  let names: string[];
  try {
    const all = readdirSync(dir);
    const configuration = all.filter((n) => isTerraformFile(n) && path.join(dir, n) !== path.resolve(filePath)).sort();
    const variables = all.filter((n) => autoLoadedVariablesRank(n) !== undefined)
      .sort((a, b) => (autoLoadedVariablesRank(a) as number) - (autoLoadedVariablesRank(b) as number) || (a < b ? -1 : a > b ? 1 : 0));
    names = [...configuration, ...variables].slice(0, MAX_FILES);
  } catch {
    return [];
  }
  const out: ModuleFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const open = openText?.(file);
    if (open !== undefined) { out.push({ path: file, text: open }); continue; }
    try {
      const text = diskText(file);
      if (text !== undefined) out.push({ path: file, text });
    } catch {
      // Unreadable (permissions, removed meanwhile): the module is read without it.
    }
  }
  return out;
}
