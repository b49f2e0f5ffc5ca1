// `aurora-sg collect`: the seed's test plan, automated. Writes what the live loader read
// as an evidence folder, in the file names and JSON shapes the AWS CLI prints, so that
// auditing the folder gives the same findings as auditing the account.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Inventory } from '../model/types';
import { ClientPool, poolOptionsOf } from './clients';
import { loadTarget, type RawTargetData } from './loader';

export interface CollectRequest {
  profile: string;
  region: string;
  outDir: string;
  endpointUrl?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface CollectResult {
  outDir: string;
  files: string[];
  apiCalls: number;
  inventory: Inventory;
}

const PREFIX_LIST_FILE = /^get-managed-prefix-list-entries\.pl-[0-9a-zA-Z]+\.json$/;

/** The evidence files for one target, as file name -> the object `aws ... --output json` prints. */
export function evidenceDocuments(raw: RawTargetData): Map<string, unknown> {
  const docs = new Map<string, unknown>([
    ['describe-db-clusters.json', { DBClusters: raw.dbClusters }],
    ['describe-db-instances.json', { DBInstances: raw.dbInstances }],
    ['describe-security-groups.json', { SecurityGroups: raw.securityGroups }],
    ['describe-security-group-rules.json', { SecurityGroupRules: raw.securityGroupRules }],
    ['describe-subnets.json', { Subnets: raw.subnets }],
    ['describe-route-tables.json', { RouteTables: raw.routeTables }],
    ['describe-network-acls.json', { NetworkAcls: raw.networkAcls }],
    ['describe-network-interfaces.json', { NetworkInterfaces: raw.networkInterfaces }],
    ['describe-vpcs.json', { Vpcs: raw.vpcs }],
    ['describe-managed-prefix-lists.json', { PrefixLists: raw.prefixLists }],
  ]);
  for (const [id, entries] of Object.entries(raw.prefixListEntries)) {
    if (/^pl-[0-9a-zA-Z]+$/.test(id)) docs.set(`get-managed-prefix-list-entries.${id}.json`, { Entries: entries });
  }
  return docs;
}

/** The CLI prints timestamps as ISO 8601 strings; the SDK gives Date objects. */
function cliJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (v instanceof Date ? v.toISOString() : v), 4)}\n`;
}

/** Writes one target's evidence files into `outDir` (created if needed; earlier evidence files are replaced). */
export async function writeEvidenceFolder(outDir: string, raw: RawTargetData): Promise<string[]> {
  await fs.mkdir(outDir, { recursive: true });
  // Entries of prefix lists from an earlier collect would mix two points in time.
  for (const name of await fs.readdir(outDir)) {
    if (PREFIX_LIST_FILE.test(name)) await fs.rm(path.join(outDir, name));
  }
  const files: string[] = [];
  for (const [name, doc] of evidenceDocuments(raw)) {
    const file = path.join(outDir, name);
    const temp = `${file}.tmp`;
    await fs.writeFile(temp, cliJson(doc), 'utf8');
    await fs.rename(temp, file);
    files.push(file);
  }
  return files;
}

export async function collectEvidence(request: CollectRequest): Promise<CollectResult> {
  const pool = new ClientPool(poolOptionsOf(request));
  try {
    const { raw, inventory } = await loadTarget(pool, request.profile, request.region, request.signal ? { signal: request.signal } : {});
    const files = await writeEvidenceFolder(request.outDir, raw);
    return { outDir: request.outDir, files, apiCalls: pool.counter.total, inventory };
  } finally {
    await pool.dispose();
  }
}
