// `aurora-sg collect --org`: the seed's test plan for every account of an organization. One
// evidence folder per account and region (OUT/ACCOUNT-ID/REGION/), and OUT/accounts.json saying
// which accounts were read, which were skipped and why, so an auditor sees what is missing.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeEvidenceFolder } from '../collect';
import { accountsLine, loadOrganization, type OrgRequest, type OrgResult } from './audit';

export interface OrgCollectResult {
  outDir: string;
  /** One per account and region written. */
  folders: { accountId: string; accountName?: string; region: string; dir: string; clusters: number }[];
  result: OrgResult;
}

export const ACCOUNTS_FILE = 'accounts.json';

export async function collectOrganization(request: OrgRequest & { outDir: string }): Promise<OrgCollectResult> {
  const result = await loadOrganization({ ...request, keepRaw: true });
  const folders: OrgCollectResult['folders'] = [];
  for (const entry of result.raw ?? []) {
    const accountId = entry.accountId!;
    const dir = path.join(request.outDir, accountId, entry.region);
    await writeEvidenceFolder(dir, entry.data);
    folders.push({ accountId, ...(entry.accountName ? { accountName: entry.accountName } : {}), region: entry.region, dir, clusters: entry.data.dbClusters.length });
  }
  folders.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  await fs.mkdir(request.outDir, { recursive: true });
  const index = {
    summary: accountsLine(result.summary),
    accounts: result.accounts.map((a) => ({ id: a.id, name: a.name ?? null, state: a.state, outcome: a.outcome, regions: a.regions, roleArn: a.roleArn ?? null, reason: a.reason ?? null })),
    errors: result.errors.map((e) => ({ accountId: e.accountId ?? null, accountName: e.accountName ?? null, region: e.region ?? null, message: e.message, code: e.code ?? null })),
  };
  await fs.writeFile(path.join(request.outDir, ACCOUNTS_FILE), `${JSON.stringify(index, null, 2)}\n`, 'utf8');
  return { outDir: request.outDir, folders, result };
}
