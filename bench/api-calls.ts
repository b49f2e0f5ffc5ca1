// API calls per target against the lower bound, for an emulated account of 200 Aurora
// clusters and 1,000 security groups.
//
// Lower bound, per call type: the pages needed to carry the items the rules need,
// ceil(items / largest page), where the largest page is the smaller of the API's maximum
// and the emulator's page size. Calls that must be made once per item (prefix-list entries:
// AWS has no batch form) count one call per item at least. Our count can exceed the bound
// only by the last, partly filled page of each 200-value filter chunk.
//
// Run: npx tsx bench/api-calls.ts [--page-size N]

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FILTER_VALUES_MAX, PAGE_SIZE, loadLiveInventories } from '../src/aws';
import { startEmulator } from '../tools/aws-emulator';
import { writeSyntheticAccount } from './api-calls-seed';
import { writeFileSync } from 'node:fs';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'page-size': { type: 'string' } } });
  const emulatorPage = Number(values['page-size'] ?? 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-bench-account-'));
  const seed = path.join(dir, 'seed');
  const { groups, instances } = writeSyntheticAccount(seed, { clusters: 200, groupsPerCluster: 5, publicEvery: 10, prefixLists: 3, entriesPerPrefixList: 150 });
  writeFileSync(path.join(dir, 'credentials'), '[bench]\naws_access_key_id = AKIABENCH\naws_secret_access_key = bench\n');
  writeFileSync(path.join(dir, 'config'), '[profile bench]\nregion = eu-west-1\n');
  const env = { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), HOME: dir };

  const emulator = await startEmulator({ seedDir: seed, pageSize: emulatorPage });
  try {
    const result = await loadLiveInventories({ profiles: ['bench'], endpointUrl: emulator.url, env, keepRaw: true });
    if (result.errors.length) throw new Error(JSON.stringify(result.errors));
    const raw = result.raw![0]!.data;
    const inventory = result.inventories[0]!;
    const page = (api: keyof typeof PAGE_SIZE) => Math.min(PAGE_SIZE[api], emulatorPage);
    const pages = (items: number, api: keyof typeof PAGE_SIZE) => (items === 0 ? 0 : Math.ceil(items / page(api)));
    const groupChunks = Math.ceil(groups / FILTER_VALUES_MAX);
    const rows: { call: string; items: number; bound: number; calls: number }[] = [
      { call: 'rds:DescribeDBClusters', items: raw.dbClusters.length, bound: Math.max(1, pages(raw.dbClusters.length, 'DescribeDBClusters')) },
      { call: 'rds:DescribeDBInstances', items: raw.dbInstances.length, bound: Math.max(1, pages(raw.dbInstances.length, 'DescribeDBInstances')) },
      { call: 'ec2:DescribeSecurityGroups', items: raw.securityGroups.length, bound: pages(raw.securityGroups.length, 'DescribeSecurityGroups') },
      { call: 'ec2:DescribeSecurityGroupRules', items: raw.securityGroupRules.length, bound: pages(raw.securityGroupRules.length, 'DescribeSecurityGroupRules') },
      { call: 'ec2:DescribeNetworkInterfaces', items: raw.networkInterfaces.length, bound: pages(raw.networkInterfaces.length, 'DescribeNetworkInterfaces') },
      { call: 'ec2:DescribeVpcs', items: raw.vpcs.length, bound: pages(raw.vpcs.length, 'DescribeVpcs') },
      { call: 'ec2:DescribeSubnets', items: raw.subnets.length, bound: pages(raw.subnets.length, 'DescribeSubnets') },
      { call: 'ec2:DescribeRouteTables', items: raw.routeTables.length, bound: pages(raw.routeTables.length, 'DescribeRouteTables') },
      { call: 'ec2:DescribeNetworkAcls', items: raw.networkAcls.length, bound: pages(raw.networkAcls.length, 'DescribeNetworkAcls') },
      { call: 'ec2:DescribeManagedPrefixLists', items: raw.prefixLists.length, bound: pages(raw.prefixLists.length, 'DescribeManagedPrefixLists') },
      {
        call: 'ec2:GetManagedPrefixListEntries',
        items: Object.values(raw.prefixListEntries).reduce((n, e) => n + e.length, 0),
        bound: Object.values(raw.prefixListEntries).reduce((n, e) => n + Math.max(1, pages(e.length, 'GetManagedPrefixListEntries')), 0),
      },
    ].map((row) => ({ ...row, calls: result.stats.apiCallsByAction[row.call] ?? 0 }));

    const total = { bound: rows.reduce((n, r) => n + r.bound, 0), calls: rows.reduce((n, r) => n + r.calls, 0) };
    console.log(`Account: ${inventory.clusters.length} clusters, ${groups} security groups, ${instances} instances (${raw.subnets.length} public-instance subnets), ${inventory.prefixLists.length} prefix lists.`);
    console.log(`Emulator page size ${emulatorPage}; filter chunks of ${FILTER_VALUES_MAX} values (${groupChunks} chunks for ${groups} group ids).\n`);
    console.log(`${'call'.padEnd(34)}${'items'.padStart(7)}${'lower bound'.padStart(13)}${'our calls'.padStart(11)}${'diff'.padStart(6)}`);
    for (const r of rows) console.log(`${r.call.padEnd(34)}${String(r.items).padStart(7)}${String(r.bound).padStart(13)}${String(r.calls).padStart(11)}${String(r.calls - r.bound).padStart(6)}`);
    console.log(`${'total per target'.padEnd(34)}${''.padStart(7)}${String(total.bound).padStart(13)}${String(total.calls).padStart(11)}${String(total.calls - total.bound).padStart(6)}`);
    console.log(`\nstats.apiCalls = ${result.stats.apiCalls}; emulator answered ${emulator.callCount()} requests; wall ${result.stats.durationMs} ms.`);
    console.log(`Allowed excess: at most one partly filled page per filter chunk per chunked call type (${groupChunks - 1} per group-filtered call beyond one chunk).`);
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
