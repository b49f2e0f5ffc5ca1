// Audit wall time for 3 profiles x 17 regions, every API call delayed 100 ms by the
// emulator, next to:
// - the critical path: the longest chain of dependent calls of one target x 100 ms
//   (clusters -> instances | groups | rules | ENIs -> VPCs | subnets | routes | prefix lists);
// - the seed's test plan run the plain way: real `aws` CLI commands one after another
//   (per profile and region: describe-db-clusters, describe-db-instances, then
//   describe-security-groups per cluster). That takes minutes, so a sample of targets is
//   run and the per-target time is extrapolated to all 51 (said so in the output;
//   --cli-targets 51 runs them all).
//
// The emulator runs in its own process (it would otherwise share this one's CPU).
// Run: npx tsx bench/live-audit.ts [--latency-ms 100] [--cli-targets 3] [--page-size 100]

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './support/emulatorProcess';
import * as ec2 from '@aws-sdk/client-ec2';
import * as rds from '@aws-sdk/client-rds';
import { DEFAULT_CONCURRENCY, DEFAULT_LIMITS, loadLiveInventories, type LiveResult } from '../src/aws';
import { runAwsCli } from '../tools/aws-emulator/awsCli';
import { DEFAULT_REGIONS } from '../tools/aws-emulator';

const PROFILES = ['bench-a', 'bench-b', 'bench-c'];
const RUNS = 3;
/** "All at once": every target started together and no bound on requests in flight. */
const UNBOUNDED = { global: 1e9, perTarget: 1e9, sts: 1e9, organizations: 1e9 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
const SEED_REGION = 'eu-west-1';

/** The dependency levels of one target's calls; calls inside a level run side by side. */
const LEVELS: string[][] = [
  ['rds:DescribeDBClusters'],
  ['rds:DescribeDBInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkInterfaces'],
  ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeRouteTables', 'ec2:GetManagedPrefixListEntries', 'ec2:DescribeManagedPrefixLists'],
];


/** Longest chain of one target, in calls: per level, the most pages any one call needs in sequence. */
function chainOf(single: LiveResult): number {
  const prefixLists = single.inventories[0]?.prefixLists.length ?? 0;
  return LEVELS.reduce((chain, level) => chain + Math.max(0, ...level.map((action) => {
    const calls = single.stats.apiCallsByAction[action] ?? 0;
    // Prefix lists' entries are read side by side, one paginated call per list.
    return action === 'ec2:GetManagedPrefixListEntries' && prefixLists ? Math.ceil(calls / prefixLists) : calls;
  })), 0);
}

/**
 * The SDK's own floor for the same call graph: per target, fresh clients and the same three
 * levels of calls (1, 4, 5), bare (no pagination, filters, conversion or audit). What the
 * product cannot beat on this machine, whatever it does.
 */
async function sdkFloor(url: string, targets: number): Promise<{ wallMs: number; cpuMs: number }> {
  const credentials = { accessKeyId: 'AKIAFLOOR', secretAccessKey: 'floor' };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: targets }, async () => {
    const e = new ec2.EC2Client({ region: SEED_REGION, endpoint: url, credentials });
    const r = new rds.RDSClient({ region: SEED_REGION, endpoint: url, credentials });
    await r.send(new rds.DescribeDBClustersCommand({}));
    await Promise.all([
      r.send(new rds.DescribeDBInstancesCommand({})),
      e.send(new ec2.DescribeSecurityGroupsCommand({ MaxResults: 1000 })), e.send(new ec2.DescribeSecurityGroupRulesCommand({ MaxResults: 1000 })),
      e.send(new ec2.DescribeNetworkInterfacesCommand({ MaxResults: 1000 })),
    ]);
    await Promise.all([
      e.send(new ec2.DescribeVpcsCommand({})), e.send(new ec2.DescribeSubnetsCommand({})), e.send(new ec2.DescribeRouteTablesCommand({})),
      e.send(new ec2.DescribeManagedPrefixListsCommand({})), e.send(new ec2.DescribeManagedPrefixListsCommand({})),
    ]);
    e.destroy();
    r.destroy();
  }));
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'latency-ms': { type: 'string' }, 'cli-targets': { type: 'string' }, 'page-size': { type: 'string' } } });
  const latency = Number(values['latency-ms'] ?? 100);
  const cliTargets = Number(values['cli-targets'] ?? 3);
  const pageSize = values['page-size'] ?? '100';
  const regions = [...DEFAULT_REGIONS];
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-bench-live-'));
  writeFileSync(path.join(dir, 'credentials'), PROFILES.map((p) => `[${p}]\naws_access_key_id = AKIA${p.toUpperCase().replace('-', '')}\naws_secret_access_key = bench\n`).join('\n'));
  writeFileSync(path.join(dir, 'config'), PROFILES.map((p) => `[profile ${p}]\nregion = ${SEED_REGION}\n`).join('\n'));
  const env = { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), HOME: dir };

  const { url, child } = await startEmulatorProcess([
    '--seed', path.join(__dirname, '..', 'samples', 'demo-account'), '--latency-ms', String(latency), '--page-size', pageSize,
    ...regions.filter((r) => r !== SEED_REGION).flatMap((r) => ['--seed-region', r]),
  ]);
  try {
    // Cold: the first call also loads the SDK modules.
    const cold = await loadLiveInventories({ profiles: [PROFILES[0]!], regions: [SEED_REGION], endpointUrl: url, env });
    const singles: LiveResult[] = [];
    for (let i = 0; i < RUNS; i++) singles.push(await loadLiveInventories({ profiles: [PROFILES[0]!], regions: [SEED_REGION], endpointUrl: url, env }));
    const single = singles[0]!;
    const singleMs = median(singles.map((r) => r.stats.durationMs));
    const chain = chainOf(single);
    const criticalMs = chain * latency;

    const targets = PROFILES.length * regions.length;
    const walls: number[] = [];
    const cpus: number[] = [];
    let all: LiveResult | undefined;
    for (let i = 0; i < RUNS; i++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      all = await loadLiveInventories({ profiles: PROFILES, regions, endpointUrl: url, env, concurrency: targets, limits: UNBOUNDED });
      walls.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      cpus.push((cpu.user + cpu.system) / 1000);
      if (all.errors.length || all.inventories.length !== targets) throw new Error(`audit incomplete: ${JSON.stringify(all.errors.slice(0, 3))}`);
    }
    const wallMs = median(walls);
    const cpuMs = median(cpus);
    const floors: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) floors.push(await sdkFloor(url, targets));
    const floorMs = median(floors.map((f) => f.wallMs));
    const floorCpuMs = median(floors.map((f) => f.cpuMs));
    // The defaults: targets and requests in flight bounded (DEFAULT_CONCURRENCY, DEFAULT_LIMITS).
    const bounded: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const boundedStart = performance.now();
      await loadLiveInventories({ profiles: PROFILES, regions, endpointUrl: url, env });
      bounded.push(performance.now() - boundedStart);
    }
    const boundedMs = median(bounded);

    // The plain way: the AWS CLI, one command after another, on a sample of targets.
    const sample = [];
    for (let i = 0; i < Math.min(cliTargets, targets); i++) sample.push({ region: regions[i % regions.length]!, profile: PROFILES[Math.floor(i / regions.length)]! });
    const cliStart = performance.now();
    let commands = 0;
    for (const { region } of sample) {
      const cli = async (args: string[]) => {
        commands++;
        const result = await runAwsCli(args, { endpointUrl: url, region });
        if (result.code !== 0) throw new Error(`aws ${args.join(' ')}: ${result.stderr}`);
        return JSON.parse(result.stdout) as Record<string, { VpcSecurityGroups?: { VpcSecurityGroupId: string }[] }[]>;
      };
      const clusters = (await cli(['rds', 'describe-db-clusters'])).DBClusters ?? [];
      await cli(['rds', 'describe-db-instances']);
      for (const cluster of clusters) {
        const ids = (cluster.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId);
        if (ids.length) await cli(['ec2', 'describe-security-groups', '--group-ids', ...ids]);
      }
    }
    const cliSampleMs = performance.now() - cliStart;
    const cliPerTarget = cliSampleMs / sample.length;
    const cliAllMs = cliPerTarget * targets;

    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`Targets: ${PROFILES.length} profiles x ${regions.length} regions = ${targets}; ${latency} ms injected latency per call; emulator page size ${pageSize}.`);
    console.log(`Per target: ${single.stats.apiCalls} API calls; longest chain of dependent calls: ${chain} -> critical path ${criticalMs} ms.`);
    console.log(`SDK loaded cold (first target alone): ${cold.stats.durationMs} ms; warm single target: ${single.stats.durationMs} ms.\n`);
    console.log(`Medians of ${RUNS} runs each.`);
    console.log(`aurora-sg, one target (warm): ${Math.round(singleMs)} ms = ${(singleMs / criticalMs).toFixed(2)}x the critical path (runs: ${singles.map((r) => r.stats.durationMs).join(', ')} ms).`);
    console.log(`aurora-sg, all ${targets} targets at once (no bound on targets or requests): ${s(wallMs)} = ${(wallMs / criticalMs).toFixed(2)}x the critical path (goal <= 1.3x); runs ${walls.map((w) => s(w)).join(', ')}; ${all!.stats.apiCalls} API calls, ${all!.stats.throttleRetries} throttling retries.`);
    console.log(`  this process used ${s(cpuMs)} of CPU for it (${(cpuMs / all!.stats.apiCalls).toFixed(1)} ms per call: SDK signing, XML parsing, GC): the audit is CPU-bound here, not latency-bound.`);
    console.log(`  the SDK's own floor for the same call graph (bare calls, fresh clients, ${targets} targets at once): ${s(floorMs)} = ${(floorMs / criticalMs).toFixed(2)}x the critical path, ${s(floorCpuMs)} of CPU; aurora-sg takes ${(wallMs / floorMs).toFixed(2)}x that floor.`);
    console.log(`aurora-sg, default bounds (${DEFAULT_CONCURRENCY} targets, ${DEFAULT_LIMITS.global} requests in flight, ${DEFAULT_LIMITS.perTarget} per target): ${s(boundedMs)} = ${(boundedMs / wallMs).toFixed(2)}x all at once (goal <= 1.5x); runs ${bounded.map((b) => s(b)).join(', ')}.`);
    console.log(`Sequential AWS CLI (the seed's test plan): ${commands} commands for ${sample.length} target(s) took ${s(cliSampleMs)} (${s(cliPerTarget)} per target);`);
    console.log(`  ${sample.length === targets ? 'measured' : `extrapolated from the sample of ${sample.length}`} for all ${targets} targets: ${s(cliAllMs)}.`);
    console.log(`Speed-up over the sequential CLI: ${(cliAllMs / wallMs).toFixed(1)}x (goal >= 20x).`);
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
