// IaC files as inventories: CloudFormation templates (YAML, JSON), Terraform (.tf, and .tf.json
// in Terraform's JSON syntax) and the output of `terraform show -json` (a plan or a state). Pure text in, model out: the caller
// reads the file (or hands over an unsaved editor buffer).

import * as path from 'node:path';
import { createEmptyInventory, type Inventory } from '../../model/types';
import { stripBom } from '../textFiles';
import { readCloudFormation } from './cfn';
import type { CloudFormationOrigins } from './cfn/origins';
import { readTerraform } from './terraform';
import type { TerraformOrigins } from './terraform/origins';
import { looksLikeTerraformJson, readTerraformJson } from './tfjson';

const TEMPLATE_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

/** `terraform-json`: terraform show -json output; `terraform-config-json`: a .tf.json configuration. */
export type IacFormat = 'terraform' | 'terraform-config-json' | 'terraform-json' | 'cloudformation-yaml' | 'cloudformation-json';

/** What a reader knows of where things were declared: what code fixes need. */
export type IacOrigins =
  | { format: 'terraform'; origins: TerraformOrigins }
  | { format: 'cloudformation-yaml' | 'cloudformation-json'; origins: CloudFormationOrigins }
  /** JSON Terraform has no code fixes: plan and state output is fixed in the .tf files behind it, a .tf.json is generated (CDK for Terraform) and fixed where it is generated. */
  | { format: 'terraform-json'; of: 'show' | 'configuration' };

/** Another file of the same Terraform module (directory), as text. */
export interface ModuleFile { path: string; text: string }

/**
 * What a file is read with besides itself: for Terraform, the other files of its module, whose
 * variables, locals and resource arguments its expressions may name (variables.tf beside main.tf).
 * Only the file itself is audited.
 */
export interface IacContext { siblings?: readonly ModuleFile[] }

export interface IacRead { inventory: Inventory; text: string; origins: IacOrigins; context: IacContext }

/** Reads a CloudFormation or Terraform file. Problems become inventory notes; it does not throw. */
export function loadIacFile(filePath: string, rawText: string, context: IacContext = {}): Inventory {
  return readIacFile(filePath, rawText, context).inventory;
}

/** loadIacFile, with where each rule and instance was declared (for code fixes) and the text as read. */
export function readIacFile(filePath: string, rawText: string, context: IacContext = {}): IacRead {
  // Windows editors save a byte order mark; editors do not count it as a column, and the JSON parser rejects it.
  const text = stripBom(rawText);
  const inventory = createEmptyInventory({ kind: 'iac', label: path.basename(filePath), path: filePath });
  inventory.judgeUnattachedGroups = true;
  const format = iacFormat(filePath, text);
  let origins: IacOrigins = { format: 'terraform-json', of: 'show' };
  try {
    if (format === 'terraform') origins = { format, origins: readTerraform(filePath, text, inventory, 'native', context.siblings) };
    else if (format === 'terraform-config-json') {
      readTerraform(filePath, text, inventory, 'json', context.siblings);
      origins = { format: 'terraform-json', of: 'configuration' };
    }
    else if (format === 'terraform-json') readTerraformJson(filePath, text, inventory);
    else origins = { format, origins: readCloudFormation(filePath, text, format === 'cloudformation-json' ? 'json' : 'yaml', inventory) };
  } catch (error) {
    // A reader bug must not take the editor or the CLI down with it; say what happened instead.
    inventory.notes.push({
      level: 'error',
      message: `${path.basename(filePath)}: could not be read (${error instanceof Error ? error.message : String(error)}). Please report this file's shape as a bug.`,
      file: filePath,
    });
  }
  return { inventory, text, origins, context };
}

export function iacFormat(filePath: string, text: string): IacFormat {
  if (isTerraformPath(filePath)) return filePath.toLowerCase().endsWith('.tf.json') ? 'terraform-config-json' : 'terraform';
  if (looksLikeJson(filePath, text)) return looksLikeTerraformJson(text) ? 'terraform-json' : 'cloudformation-json';
  return 'cloudformation-yaml';
}

/** Terraform by its extension; CloudFormation and terraform show -json output by what the text declares. */
export function isIacFile(filePath: string, text: string): boolean {
  if (isTerraformPath(filePath)) return true;
  if (!TEMPLATE_EXTENSIONS.has(path.extname(filePath).toLowerCase())) return false;
  if (path.extname(filePath).toLowerCase() === '.json' && looksLikeTerraformJson(text)) return true;
  if (/["']?AWSTemplateFormatVersion["']?\s*:/.test(text)) return true;
  // A template may omit the version: a Resources section whose entries have a Type such as
  // AWS::RDS::DBCluster, Custom::Thing or a registry type (Org::Service::Resource) is enough.
  // A top-level-looking Resources key in YAML, or a quoted one anywhere in (possibly minified) JSON.
  const hasResources = /^[ \t]*Resources[ \t]*:|["']Resources["'][ \t]*:/m.test(text);
  return hasResources && /["']?Type["']?[ \t]*:[ \t]*["']?[A-Za-z0-9]+::[A-Za-z0-9]+/.test(text);
}

function isTerraformPath(filePath: string): boolean {
  const lower = filePath.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tf.json');
}

function looksLikeJson(filePath: string, text: string): boolean {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.json') return true;
  if (extension === '.yaml' || extension === '.yml') return false;
  return text.trimStart().startsWith('{');
}
