// IaC files as inventories: CloudFormation templates (YAML, JSON) and Terraform (.tf).
// Pure text in, model out: the caller reads the file (or hands over an unsaved editor buffer).

import * as path from 'node:path';
import { createEmptyInventory, type Inventory } from '../../model/types';
import { stripBom } from '../textFiles';
import { readCloudFormation } from './cfn';
import { readTerraform } from './terraform';

const TEMPLATE_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

/** Reads a CloudFormation or Terraform file. Problems become inventory notes; it does not throw. */
export function loadIacFile(filePath: string, rawText: string): Inventory {
  // Windows editors save a byte order mark; editors do not count it as a column, and the JSON parser rejects it.
  const text = stripBom(rawText);
  const inventory = createEmptyInventory({ kind: 'iac', label: path.basename(filePath), path: filePath });
  inventory.judgeUnattachedGroups = true;
  try {
    if (isTerraformPath(filePath)) readTerraform(filePath, text, inventory);
    else readCloudFormation(filePath, text, looksLikeJson(filePath, text) ? 'json' : 'yaml', inventory);
  } catch (error) {
    // A reader bug must not take the editor or the CLI down with it; say what happened instead.
    inventory.notes.push({
      level: 'error',
      message: `${path.basename(filePath)}: could not be read (${error instanceof Error ? error.message : String(error)}). Please report this file's shape as a bug.`,
      file: filePath,
    });
  }
  return inventory;
}

/** Terraform by its extension; CloudFormation by what the text declares. */
export function isIacFile(filePath: string, text: string): boolean {
  if (isTerraformPath(filePath)) return true;
  if (!TEMPLATE_EXTENSIONS.has(path.extname(filePath).toLowerCase())) return false;
  if (/["']?AWSTemplateFormatVersion["']?\s*:/.test(text)) return true;
  // A template may omit the version: a Resources section with AWS:: types is enough.
  // A top-level-looking Resources key in YAML, or a quoted one anywhere in (possibly minified) JSON.
  const hasResources = /^[ \t]*Resources[ \t]*:|["']Resources["'][ \t]*:/m.test(text);
  return hasResources && /["']?Type["']?[ \t]*:[ \t]*["']?AWS::[A-Za-z0-9]+::/.test(text);
}

function isTerraformPath(filePath: string): boolean {
  return path.extname(filePath).toLowerCase() === '.tf';
}

function looksLikeJson(filePath: string, text: string): boolean {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.yaml' || extension === '.yml') return false;
  return text.trimStart().startsWith('{');
}
