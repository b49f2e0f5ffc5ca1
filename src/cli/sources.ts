// Where the CLI's inventories come from: evidence folders and IaC files (read here) and live
// accounts (the AWS layer, loaded only through a dynamic import so file audits never load the SDK).

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Inventory, InventoryNote } from '../model/types';
import { EvidenceError, loadEvidenceFolder } from '../sources/evidence';
import { decodeTextBytes } from '../sources/textFiles';
import { isIacFile, loadIacFile } from '../sources/iac';
import { terraformSiblings } from '../sources/iac/moduleFiles';
import { type Aws, type CliIo, loadAws, UsageError } from './io';
import { organizationReport } from './orgReport';

/** An organization source (design 11): `--org PROFILE` and the flags that narrow it. */
export interface OrgFlags {
  /** The organization profile; absent with --role-arn alone: the default credentials. */
  profile?: string;
  memberRole?: string;
  externalId?: string;
  ous: string[];
  accounts: string[];
  excludeAccounts: string[];
  roleArns: string[];
}

export interface SourceFlags {
  evidence: string[];
  /** CloudFormation templates and Terraform files. */
  iac?: string[];
  profiles: string[];
  allProfiles: boolean;
  regions: string[];
  allRegions: boolean;
  endpointUrl?: string;
  org?: OrgFlags;
}

/** What the organization source came to: "N of M accounts audited", and each account's outcome. */
export interface OrgReport {
  line: string;
  summary: { total: number; audited: number; partial: number; failed: number; skipped: number; cancelled: number };
  accounts: { id: string; name?: string; state: string; outcome: string; regions: string[]; roleArn?: string; reason?: string }[];
}

/** A target (or a file of one) that could not be read completely: the JSON `errors[]` entry. */
export interface TargetError {
  /** The target's label: "samples/demo-account", "prod / eu-west-1". */
  target: string;
  profile?: string;
  region?: string;
  message: string;
  code?: string;
  /** For evidence: the file and the one-based line and column of the problem. */
  file?: string;
  line?: number;
  column?: number;
  /** For a member account of an organization: the account and the role it is read through. */
  accountId?: string;
  accountName?: string;
  roleArn?: string;
}

export interface Gathered {
  inventories: Inventory[];
  errors: TargetError[];
  apiCalls: number;
  organization?: OrgReport;
}

export function wantsLive(flags: SourceFlags): boolean {
  return flags.profiles.length > 0 || flags.allProfiles || flags.regions.length > 0 || flags.allRegions || flags.endpointUrl !== undefined || flags.org !== undefined;
}

export async function gatherInventories(flags: SourceFlags, io: CliIo, command: string): Promise<Gathered> {
  const gathered: Gathered = { inventories: [], errors: [], apiCalls: 0 };
  for (const dir of flags.evidence) {
    let inventory: Inventory;
    try {
      inventory = await loadEvidenceFolder(path.resolve(io.cwd, dir));
    } catch (error) {
      if (error instanceof EvidenceError) throw new UsageError(error.message.replace(path.resolve(io.cwd, dir), dir), command);
      throw error;
    }
    gathered.inventories.push(inventory);
  }
  for (const file of flags.iac ?? []) gathered.inventories.push(await loadIac(file, io, command));
  if (flags.org) await gatherOrganization(flags, flags.org, io, command, gathered);
  // Nothing named: audit the default profile, as the AWS CLI would. --region and --endpoint-url
  // alone steer the organization when there is one, not a second audit of the default profile.
  const profilesAsked = flags.profiles.length > 0 || flags.allProfiles;
  if (profilesAsked || (!flags.org && (wantsLive(flags) || (flags.evidence.length === 0 && !flags.iac?.length)))) await gatherLive(flags, io, command, gathered);
  return gathered;
}

/** A file named on the command line, decoded (BOM, UTF-16); a usage error naming it (`what` it is) when it cannot be read. */
export async function readNamedFile(file: string, cwd: string, what: string, command: string): Promise<string> {
  try {
    return decodeTextBytes(await fs.readFile(path.resolve(cwd, file)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`, command);
  }
}

async function loadIac(file: string, io: CliIo, command: string): Promise<Inventory> {
  const absolute = path.resolve(io.cwd, file);
  const text = await readNamedFile(file, io.cwd, 'IaC file', command);
  if (!isIacFile(absolute, text)) {
    throw new UsageError(`${file} is neither a CloudFormation template (AWSTemplateFormatVersion, or Resources with AWS:: types) nor a Terraform .tf or .tf.json file`, command);
  }
  // A Terraform file is read with the other files of its module (their variables and locals).
  const inventory = loadIacFile(absolute, text, { siblings: terraformSiblings(absolute) });
  inventory.target.label = displayPath(absolute, io.cwd);
  return inventory;
}

/** An error note of an inventory (a file that could not be read, a group the engine could not judge) as a JSON `errors[]` entry. */
export function noteError(inventory: Inventory, note: InventoryNote, cwd: string): TargetError {
  const error: TargetError = { target: inventory.target.label, message: note.message };
  if (inventory.target.profile) error.profile = inventory.target.profile;
  if (inventory.target.region) error.region = inventory.target.region;
  const file = note.file ?? note.location?.file;
  if (file) error.file = displayPath(file, cwd);
  if (note.location) {
    error.line = note.location.start.line + 1;
    error.column = note.location.start.character + 1;
  }
  return error;
}

/** A path relative to the working folder when it is inside it, else absolute; always with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  return shown.split(path.sep).join('/');
}

async function gatherLive(flags: SourceFlags, io: CliIo, command: string, gathered: Gathered): Promise<void> {
  const aws = await loadAws(command, io);
  let profiles = [...flags.profiles];
  if (flags.allProfiles) {
    for (const profile of await aws.listProfiles(io.env)) {
      if (profile.broken) gathered.errors.push({ target: profile.name, profile: profile.name, message: `profile ${profile.name} is broken: ${profile.broken}`, code: 'BrokenProfile' });
      else if (!profiles.includes(profile.name)) profiles.push(profile.name);
    }
    if (profiles.length === 0 && gathered.errors.length === 0) {
      throw new UsageError('--all-profiles: no AWS profiles found in the shared config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)', command);
    }
  }
  // Nothing named: the credentials the AWS CLI itself would use (the environment's keys first).
  if (profiles.length === 0 && !flags.allProfiles) profiles = [aws.defaultCredentialsKey(io.env)];
  if (profiles.length === 0) return;
  const request: Parameters<Aws['loadLiveInventories']>[0] = { profiles, env: io.env };
  if (flags.allRegions) request.regions = 'all';
  else if (flags.regions.length) request.regions = flags.regions;
  if (flags.endpointUrl !== undefined) request.endpointUrl = flags.endpointUrl;
  const result = await aws.loadLiveInventories(request);
  gathered.inventories.push(...result.inventories);
  gathered.apiCalls += result.stats.apiCalls;
  for (const e of result.errors) {
    const who = aws.credentialsLabel(e.profile);
    const error: TargetError = { target: e.region ? `${who} / ${e.region}` : who, message: e.message };
    const named = aws.namedProfile(e.profile);
    if (named) error.profile = named;
    if (e.region) error.region = e.region;
    if (e.code) error.code = e.code;
    gathered.errors.push(error);
  }
}

/** The organization source: every account (or the OUs, the accounts, the role ARNs asked for), each through its role. */
async function gatherOrganization(flags: SourceFlags, org: OrgFlags, io: CliIo, command: string, gathered: Gathered): Promise<void> {
  const aws = await loadAws(command, io);
  const problem = aws.sourceProblem(org);
  if (problem) throw new UsageError(problem, command);
  // With no "default" profile in the files, "default" is the environment's credentials (openSource resolves it).
  const profile = org.profile ?? aws.defaultCredentialsKey(io.env);
  const request: Parameters<Aws['loadOrganization']>[0] = { profile, env: io.env, ous: org.ous, accounts: org.accounts, excludeAccounts: org.excludeAccounts, roleArns: org.roleArns };
  if (org.memberRole !== undefined) request.memberRole = org.memberRole;
  if (org.externalId !== undefined) request.externalId = org.externalId;
  if (flags.allRegions) request.regions = 'all';
  else if (flags.regions.length) request.regions = flags.regions;
  if (flags.endpointUrl !== undefined) request.endpointUrl = flags.endpointUrl;
  const result = await aws.loadOrganization(request);
  gathered.inventories.push(...result.inventories);
  gathered.apiCalls += result.stats.apiCalls;
  const { organization, errors } = organizationReport(result.accounts, result.errors);
  gathered.errors.push(...errors);
  gathered.organization = organization;
}
