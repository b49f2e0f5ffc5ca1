// An evidence folder (design.md section 5) read into an Inventory: the saved JSON of the
// seed's test plan. Every cluster, instance, group and rule keeps where it sits in its
// file, so diagnostics and SARIF point at it. A bad file is named and skipped; the rest loads.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type {
  AwsDBCluster, AwsDBInstance, AwsManagedPrefixList, AwsPrefixListEntry, AwsSecurityGroupRule,
} from '../model/awsShapes';
import {
  attachRuleIds, clusterFromAws, type ConvertContext, instanceFromAws, isAuroraEngine, type JsonPath,
  linkClustersAndInstances, networkAclFromAws, networkInterfaceFromAws, parseArn, prefixListFromAws, routeTableFromAws,
  securityGroupFromAws, subnetFromAws, vpcFromAws,
} from '../model/fromAws';
import { createEmptyInventory, type Inventory, type InventoryNote, type PrefixList } from '../model/types';
import { EVIDENCE_FILE_SPECS, PREFIX_LIST_ENTRIES_FILE, prefixListEntriesFileName, specOf } from './evidenceFiles';
import { parseJsonDocument, parseJsonValue } from './evidenceJson';
import { decodeTextBytes, stripBom } from './textFiles';
import { describePosition } from './textPositions';
import { sanitizeAwsItem } from './evidenceSanitize';

export { EVIDENCE_FILES, isEvidenceFile } from './evidenceFiles';

/** A file larger than this is refused with a note: parsing with positions costs several times its size in memory. */
export const MAX_EVIDENCE_FILE_BYTES = 64 * 1024 * 1024;

/** The folder itself cannot be read (missing, not a folder, or holds no evidence file). */
export class EvidenceError extends Error {
  override name = 'EvidenceError';
}

export interface EvidenceOptions {
  /** Absolute path -> unsaved editor text, used instead of the file on disk. */
  overrides?: ReadonlyMap<string, string>;
  /** Files larger than this are refused with a note (default MAX_EVIDENCE_FILE_BYTES). */
  maxFileBytes?: number;
  /**
   * Locate every item in its file (default true), for diagnostics and SARIF on the files. Off, the
   * files are read with the native JSON parser, several times faster, and nothing has a location:
   * for a folder only shown through rendered documents (the extension's demo account).
   */
  positions?: boolean;
}

interface LoadedList {
  items: { raw: Record<string, unknown>; path: JsonPath }[];
  ctx: ConvertContext;
  file: string;
}

export async function loadEvidenceFolder(dir: string, options: EvidenceOptions = {}): Promise<Inventory> {
  const absDir = path.resolve(dir);
  const overrides = new Map<string, string>();
  for (const [file, text] of options.overrides ?? []) overrides.set(path.resolve(file), text);

  const names = await listFolder(absDir, dir, overrides);
  const evidenceNames = names.filter((n) => specOf(n) || PREFIX_LIST_ENTRIES_FILE.test(n));
  if (evidenceNames.length === 0) {
    throw new EvidenceError(`No evidence files in ${dir}: expected the AWS CLI JSON output saved as ${EVIDENCE_FILE_SPECS.slice(0, 3).map((s) => s.name).join(', ')} (and optionally ${EVIDENCE_FILE_SPECS.slice(3).map((s) => s.name).join(', ')}, ${prefixListEntriesFileName('pl-…')}).`);
  }

  const inventory = createEmptyInventory({ kind: 'evidence', label: labelOf(absDir), path: absDir });
  const notes = inventory.notes;
  const present = new Set(evidenceNames);

  // Every read starts at once, so the waits for the disk overlap; parsing stays sequential below
  // (it is CPU-bound), and notes keep the files' order.
  const reads = new Map<string, Promise<{ text?: string; note?: InventoryNote }>>();
  const textOf = (name: string) => {
    let read = reads.get(name);
    if (!read) reads.set(name, (read = readText(path.join(absDir, name), name, overrides, options.maxFileBytes ?? MAX_EVIDENCE_FILE_BYTES)));
    return read;
  };
  for (const name of evidenceNames) void textOf(name);

  const readList = async (name: string, listKey: string): Promise<LoadedList | undefined> => {
    const file = path.join(absDir, name);
    const { text, note } = await textOf(name);
    if (note) notes.push(note);
    if (text === undefined) return undefined;
    const doc = options.positions === false ? parseJsonValue(text, file, name) : parseJsonDocument(text, file, name);
    notes.push(...doc.notes);
    if (doc.value === undefined) return undefined;
    const list = typeof doc.value === 'object' && doc.value !== null && !Array.isArray(doc.value)
      ? (doc.value as Record<string, unknown>)[listKey] : undefined;
    if (!Array.isArray(list)) {
      const command = specOf(name)?.command ?? 'aws ec2 get-managed-prefix-list-entries';
      notes.push({ level: 'error', file, location: doc.locate([]),
        message: `${name}: expected an object with a "${listKey}" list, as \`${command} --output json\` prints it. The file was not used.` });
      return undefined;
    }
    const ctx: ConvertContext = { locate: doc.locate, notes };
    const items: LoadedList['items'] = [];
    list.forEach((raw, i) => {
      const itemPath: JsonPath = [listKey, i];
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        const location = doc.locate(itemPath);
        notes.push({ level: 'warning', file, location, message: `${name}: entry ${i + 1} of "${listKey}"${at(location)} is not an object; skipped.` });
        return;
      }
      for (const problem of sanitizeAwsItem(raw as Record<string, unknown>, itemPath)) {
        const location = doc.locate(problem.path);
        notes.push({ level: 'warning', file, location,
          message: `${name}: ${problem.field}${at(location)} should be ${problem.expected.join(' or ')}, not ${problem.found}; ignored.` });
      }
      items.push({ raw: raw as Record<string, unknown>, path: itemPath });
    });
    return { items, ctx, file };
  };

  /** Converts each item; one the converter rejects is left out, one that still trips it is skipped with a note, never the whole file. */
  const convert = <Raw, Out>(loaded: LoadedList | undefined, fn: (raw: Raw, p: JsonPath, ctx: ConvertContext) => Out | undefined): { out: Out; path: JsonPath; raw: Raw }[] => {
    if (!loaded) return [];
    const results: { out: Out; path: JsonPath; raw: Raw }[] = [];
    for (const { raw, path: p } of loaded.items) {
      try {
        const out = fn(raw as Raw, p, loaded.ctx);
        if (out !== undefined) results.push({ out, path: p, raw: raw as Raw });
      } catch (error) {
        const location = loaded.ctx.locate?.(p);
        notes.push({ level: 'warning', file: loaded.file, location,
          message: `${path.basename(loaded.file)}: the entry${at(location)} could not be read (${(error as Error).message}); skipped.` });
      }
    }
    return results;
  };

  const load = (name: string) => {
    const spec = specOf(name)!;
    return present.has(name) ? readList(name, spec.listKey) : Promise.resolve(undefined);
  };
  // Sequential on purpose: the files can be large and parsing is CPU-bound anyway.
  const clustersFile = await load('describe-db-clusters.json');
  const instancesFile = await load('describe-db-instances.json');
  const groupsFile = await load('describe-security-groups.json');
  const rulesFile = await load('describe-security-group-rules.json');
  const subnetsFile = await load('describe-subnets.json');
  const routeTablesFile = await load('describe-route-tables.json');
  const networkAclsFile = await load('describe-network-acls.json');
  const interfacesFile = await load('describe-network-interfaces.json');
  const vpcsFile = await load('describe-vpcs.json');
  const prefixListsFile = await load('describe-managed-prefix-lists.json');

  // Clusters and instances: Aurora only, first of duplicate ids kept.
  const rawClusters: AwsDBCluster[] = [];
  const skippedEngines: string[] = [];
  const seenClusters = new Set<string>();
  const seenInstances = new Set<string>();
  for (const { out, path: p, raw } of convert(clustersFile, clusterFromAws)) {
    if (!isAuroraEngine(out.engine)) { skippedEngines.push(`${printable(out.clusterId)} (${printable(out.engine)})`); continue; }
    if (keepFirst(seenClusters, out.clusterId, 'DB cluster', clustersFile!, p, notes)) {
      inventory.clusters.push(out);
      rawClusters.push(raw);
    }
  }
  for (const { out, path: p } of convert(instancesFile, instanceFromAws)) {
    if (!isAuroraEngine(out.engine)) { skippedEngines.push(`${printable(out.instanceId)} (${printable(out.engine)})`); continue; }
    if (keepFirst(seenInstances, out.instanceId, 'DB instance', instancesFile!, p, notes)) inventory.instances.push(out);
  }
  if (skippedEngines.length) {
    const shown = skippedEngines.slice(0, 10).join(', ');
    notes.push({ level: 'info', message: `Not Aurora, so not judged: ${shown}${skippedEngines.length > 10 ? ` and ${skippedEngines.length - 10} more` : ''}.` });
  }
  linkClustersAndInstances(inventory.clusters, inventory.instances, rawClusters);

  const seenGroups = new Set<string>();
  for (const { out, path: p } of convert(groupsFile, securityGroupFromAws)) {
    if (keepFirst(seenGroups, out.groupId, 'security group', groupsFile!, p, notes)) {
      inventory.securityGroups.push(out);
    }
  }
  // A cluster learns its VPC from its instances; without them, from its groups.
  const groupVpc = new Map(inventory.securityGroups.map((g) => [g.groupId, g.vpcId]));
  for (const cluster of inventory.clusters) {
    cluster.vpcId ??= cluster.securityGroupIds.map((id) => groupVpc.get(id)).find((v) => v);
  }

  if (rulesFile) {
    const sgRules = rulesFile.items.map((item) => item.raw as AwsSecurityGroupRule);
    attachRuleIds(inventory.securityGroups, sgRules);
    inventory.coverage.securityGroupRuleIds = true;
    const without = inventory.securityGroups.flatMap((g) => g.rules).filter((r) => !r.ruleId).length;
    if (without) {
      notes.push({ level: 'info', file: rulesFile.file,
        message: `describe-security-group-rules.json: ${without} rule(s) of describe-security-groups.json have no sgr- id there (saved at different times?); their revoke plans use --ip-permissions.` });
    }
  }
  const simple = <Raw, Out>(loaded: LoadedList | undefined, fn: (raw: Raw) => Out | undefined): Out[] =>
    convert<Raw, Out>(loaded, (raw) => fn(raw)).map((r) => r.out);
  inventory.subnets = simple(subnetsFile, subnetFromAws);
  inventory.routeTables = simple(routeTablesFile, routeTableFromAws);
  inventory.networkAcls = convert(networkAclsFile, networkAclFromAws).map((r) => r.out);
  inventory.networkInterfaces = simple(interfacesFile, networkInterfaceFromAws);
  inventory.vpcs = simple(vpcsFile, vpcFromAws);
  inventory.coverage.subnets = !!subnetsFile;
  inventory.coverage.routeTables = !!routeTablesFile;
  inventory.coverage.networkAcls = !!networkAclsFile;
  inventory.coverage.networkInterfaces = !!interfacesFile;
  inventory.coverage.vpcs = !!vpcsFile;

  inventory.prefixLists = await loadPrefixLists(
    evidenceNames.filter((n) => PREFIX_LIST_ENTRIES_FILE.test(n)),
    prefixListsFile ? prefixListsFile.items.map((i) => i.raw as AwsManagedPrefixList) : [],
    inventory, readList, notes,
  );

  // A folder without clusters is a bare saved describe-security-groups output: judge groups alone.
  inventory.judgeUnattachedGroups = !present.has('describe-db-clusters.json');
  notes.push(...narrowingNotes(present, inventory.judgeUnattachedGroups));
  setAccountAndRegion(inventory, rawClusters, instancesFile, notes);
  inventory.notes = limitWarnings(notes);
  return inventory;
}

/** Per file, the first warnings in full and then a count: a file with thousands of bad entries must not bury the rest. */
export const MAX_WARNINGS_PER_FILE = 25;

function limitWarnings(notes: InventoryNote[]): InventoryNote[] {
  const kept: InventoryNote[] = [];
  const dropped = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const note of notes) {
    const file = note.file ?? note.location?.file;
    if (note.level !== 'warning' || !file) { kept.push(note); continue; }
    const count = (seen.get(file) ?? 0) + 1;
    seen.set(file, count);
    if (count <= MAX_WARNINGS_PER_FILE) kept.push(note);
    else dropped.set(file, (dropped.get(file) ?? 0) + 1);
  }
  for (const [file, count] of dropped) {
    kept.push({ level: 'warning', file, message: `${path.basename(file)}: ${count} more problem(s) like the ones above were not listed.` });
  }
  return kept;
}

async function listFolder(absDir: string, shownAs: string, overrides: Map<string, string>): Promise<string[]> {
  let stat;
  try {
    stat = await fs.stat(absDir);
  } catch {
    throw new EvidenceError(`Evidence folder not found: ${shownAs}`);
  }
  if (!stat.isDirectory()) throw new EvidenceError(`Not a folder: ${shownAs} (an evidence folder holds the saved aws ... --output json files)`);
  const names = new Set(await fs.readdir(absDir));
  // Unsaved editor buffers count even before they exist on disk.
  for (const file of overrides.keys()) if (path.dirname(file) === absDir) names.add(path.basename(file));
  return [...names].sort();
}

/** A file's text, or the note that says why it cannot be used. */
async function readText(file: string, name: string, overrides: Map<string, string>, maxBytes: number): Promise<{ text?: string; note?: InventoryNote }> {
  const unsaved = overrides.get(file);
  if (unsaved !== undefined) return { text: stripBom(unsaved) };
  try {
    const { size } = await fs.stat(file);
    if (size > maxBytes) {
      return { note: { level: 'error', file, message: `${name}: ${megabytes(size)} is more than the ${megabytes(maxBytes)} an evidence file may hold. The file was not used.` } };
    }
    return { text: decodeTextBytes(await fs.readFile(file)) };
  } catch (error) {
    return { note: { level: 'error', file, message: `${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). The file was not used.` } };
  }
}

async function loadPrefixLists(
  entryFiles: string[],
  described: AwsManagedPrefixList[],
  inventory: Inventory,
  readList: (name: string, listKey: string) => Promise<LoadedList | undefined>,
  notes: InventoryNote[],
): Promise<PrefixList[]> {
  const byId = new Map<string, PrefixList>();
  const meta = new Map(described.filter((d) => d.PrefixListId).map((d) => [d.PrefixListId as string, d]));
  for (const name of entryFiles) {
    const id = PREFIX_LIST_ENTRIES_FILE.exec(name)![1]!;
    const loaded = await readList(name, 'Entries');
    if (!loaded) continue;
    byId.set(id, prefixListFromAws(id, loaded.items.map((i) => i.raw as AwsPrefixListEntry), meta.get(id)));
  }
  // Every referenced list is in the inventory; one without entries stays unresolved and is reported by the rules.
  const missing = new Map<string, number>();
  for (const rule of inventory.securityGroups.flatMap((g) => g.rules)) {
    if (rule.source.kind !== 'prefixList' || byId.has(rule.source.value)) continue;
    missing.set(rule.source.value, (missing.get(rule.source.value) ?? 0) + 1);
  }
  for (const [id, count] of missing) {
    const list: PrefixList = { prefixListId: id };
    const name = meta.get(id)?.PrefixListName;
    if (name) list.name = name;
    byId.set(id, list);
    notes.push({ level: 'warning',
      message: `Prefix list ${printable(id)} is used by ${count} rule(s) but ${prefixListEntriesFileName(printable(id))} is missing or unreadable: those rules are reported as unresolved. Save it with \`aws ec2 get-managed-prefix-list-entries --prefix-list-id ${printable(id)} --output json\`.` });
  }
  return [...byId.values()];
}

function narrowingNotes(present: Set<string>, bareGroups: boolean): InventoryNote[] {
  if (bareGroups) {
    return [{ level: 'info', message: 'No describe-db-clusters.json: the security groups are judged on their own, against the database ports of the settings.' }];
  }
  const notes: InventoryNote[] = [];
  for (const spec of EVIDENCE_FILE_SPECS) {
    if (present.has(spec.name) || !spec.narrows) continue;
    notes.push({ level: spec.name === 'describe-security-group-rules.json' ? 'info' : 'warning',
      message: `${spec.name} is missing: ${spec.narrows}. Save it with \`${spec.command} --output json > ${spec.name}\`.` });
  }
  return notes;
}

/** Account and region come from the clusters' ARNs (then the instances'), so ids match the live account's. */
function setAccountAndRegion(inventory: Inventory, rawClusters: AwsDBCluster[], instancesFile: LoadedList | undefined, notes: InventoryNote[]): void {
  const arns = [
    ...rawClusters.map((c) => c.DBClusterArn),
    ...(instancesFile?.items ?? []).map((i) => (i.raw as AwsDBInstance).DBInstanceArn),
  ].filter((a): a is string => !!a);
  const places = new Map<string, { accountId?: string; region?: string }>();
  for (const arn of arns) {
    const { accountId, region } = parseArn(arn);
    if (accountId || region) places.set(`${accountId ?? '?'} / ${region ?? '?'}`, { accountId, region });
  }
  const [first] = places.values();
  if (first?.accountId) inventory.target.accountId = first.accountId;
  if (first?.region) inventory.target.region = first.region;
  if (!inventory.target.accountId) {
    const owner = inventory.securityGroups.find((g) => g.ownerId)?.ownerId;
    if (owner) inventory.target.accountId = owner;
  }
  if (places.size > 1) {
    notes.push({ level: 'warning', message: `The evidence mixes accounts or regions (${[...places.keys()].map(printable).join(', ')}); it is reported as ${[...places.keys()][0]}.` });
  }
}

/** Records the id; false (with a note) when it was seen before: duplicate entries keep the first. */
function keepFirst(seen: Set<string>, id: string, what: string, loaded: LoadedList, p: JsonPath, notes: InventoryNote[]): boolean {
  if (!seen.has(id)) { seen.add(id); return true; }
  const location = loaded.ctx.locate?.(p);
  notes.push({ level: 'warning', file: loaded.file, location,
    message: `${path.basename(loaded.file)}: ${what} ${printable(id)} appears again${at(location)}; the first one is used.` });
  return false;
}

function at(location: { start: { line: number; character: number } } | undefined): string {
  return location ? ` at ${describePosition(location.start)}` : '';
}

/** Ids and names come from files: show control characters escaped so a note stays one line. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f\u2028\u2029]/.test(text) ? JSON.stringify(text) : text;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}

function labelOf(absDir: string): string {
  const relative = path.relative(process.cwd(), absDir);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absDir;
}
