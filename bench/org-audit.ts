// An organization of 300 accounts x 17 regions, 100 ms of injected latency per call, one account
// in ten with Aurora (the demo account in every region), the rest empty; audited with --org and
// every enabled region of each account. Printed (not asserted):
// - wall time, CPU time, peak RSS, API calls by action (an empty region should cost one call,
//   each account one AssumeRole);
// - the critical path: AssumeRole + the three levels of a full target (and the real chain, which
//   adds GetCallerIdentity | the first ListAccounts page, and DescribeRegions in the account);
// - the same audit with the per-profile loader as it was before organizations (commit BASELINE):
//   one profile per account (its own static key), every region, its default concurrency.
// Goal (issue 9): under 60 s wall on this 2-core machine.
//
// The emulator and each audit run in processes of their own (CPU and RSS are the audit's alone).
// Run: npx tsx bench/org-audit.ts [--accounts 300] [--latency-ms 100] [--aurora-every 10] [--skip-old]

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './support/emulatorProcess';
import { DEFAULT_REGIONS } from '../tools/aws-emulator';
import type { OrganizationFile } from '../tools/aws-emulator';

/** The last commit of main before the organization source: its per-profile loader is the baseline. */
const BASELINE = 'aa41059';
const ROOT = path.join(__dirname, '..');
const MANAGEMENT = '100000000000';

interface RunFigures {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  apiCalls: number;
  byAction: Record<string, number>;
  targets: number;
  errors: number;
  clusters: number;
  line?: string;
}

function accountId(i: number): string {
  return String(100000000000 + i);
}


/** Runs this file again as `--run new|old` in a fresh process and reads the figures it prints. */
function runChild(args: string[], cwd: string): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', __filename, ...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FIGURES '));
      if (code !== 0 || !line) reject(new Error(`the audit run failed (exit ${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('FIGURES '.length)) as RunFigures);
    });
  });
}

/** In the child: one audit, measured. `src` is the source tree whose AWS layer is used. */
async function measure(kind: 'new' | 'old', src: string, url: string, env: NodeJS.ProcessEnv, profiles: string[]): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const aws = require(path.join(src, 'aws', 'index.ts')) as typeof import('../src/aws');
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = kind === 'new'
    ? await aws.loadOrganization({ profile: 'org', regions: 'all', endpointUrl: url, env })
    : await aws.loadLiveInventories({ profiles, regions: 'all', endpointUrl: url, env });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const figures: RunFigures = {
    wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 1024 / 1024,
    apiCalls: result.stats.apiCalls, byAction: result.stats.apiCallsByAction, targets: result.inventories.length, errors: result.errors.length,
    clusters: result.inventories.reduce((n, i) => n + i.clusters.length, 0),
    ...('summary' in result ? { line: aws.accountsLine((result as Awaited<ReturnType<typeof aws.loadOrganization>>).summary) } : {}),
  };
  console.log(`FIGURES ${JSON.stringify(figures)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' }, 'latency-ms': { type: 'string' }, 'aurora-every': { type: 'string' }, 'skip-old': { type: 'boolean' },
      run: { type: 'string' }, src: { type: 'string' }, url: { type: 'string' }, dir: { type: 'string' },
    },
  });
  const accounts = Number(values.accounts ?? 300);
  if (values.run) {
    const dir = values.dir!;
    const env = { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), HOME: dir };
    const profiles = Array.from({ length: accounts }, (_, i) => `account-${i}`);
    await measure(values.run === 'old' ? 'old' : 'new', values.src!, values.url!, env, profiles);
    return;
  }
  const latency = Number(values['latency-ms'] ?? 100);
  const auroraEvery = Number(values['aurora-every'] ?? 10);
  const regions = [...DEFAULT_REGIONS];
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-bench-org-'));
  const demo = path.join(ROOT, 'samples', 'demo-account');
  const organization: OrganizationFile = {
    ManagementAccountId: MANAGEMENT,
    Accounts: Array.from({ length: accounts }, (_, i) => ({
      Id: accountId(i), Name: i === 0 ? 'management' : `account ${i}`,
      ...(i % auroraEvery === auroraEvery - 1 ? { Evidence: demo, SeedRegions: regions } : {}),
    })),
  };
  writeFileSync(path.join(dir, 'organization.json'), JSON.stringify(organization));
  // The new way: one organization profile. The old way: one profile per account, each with its own key.
  writeFileSync(path.join(dir, 'credentials'), [
    '[org]\naws_access_key_id = AKIABENCHORGMANAGEMENT\naws_secret_access_key = bench\n',
    ...organization.Accounts.map((a, i) => `[account-${i}]\naws_access_key_id = AKIAACCT${a.Id}\naws_secret_access_key = bench\n`),
  ].join('\n'));
  writeFileSync(path.join(dir, 'config'), ['[profile org]\nregion = us-east-1\n', ...organization.Accounts.map((_, i) => `[profile account-${i}]\nregion = us-east-1\n`)].join('\n'));

  const { url, child } = await startEmulatorProcess(['--organization', path.join(dir, 'organization.json'), '--latency-ms', String(latency), '--page-size', '100']);
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  try {
    const loadBefore = load();
    const fresh = await runChild(['--run', 'new', '--src', path.join(ROOT, 'src'), '--url', url, '--dir', dir, '--accounts', String(accounts)], ROOT);
    let old: RunFigures | undefined;
    if (!values['skip-old']) {
      // The baseline's source, as it was, beside this checkout's node_modules (the same SDK).
      const oldRoot = mkdtempSync(path.join(tmpdir(), 'aurora-sg-bench-baseline-'));
      execFileSync('sh', ['-c', `git -C '${ROOT}' archive ${BASELINE} src | tar -x -C '${oldRoot}'`]);
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(oldRoot, 'node_modules'));
      old = await runChild(['--run', 'old', '--src', path.join(oldRoot, 'src'), '--url', url, '--dir', dir, '--accounts', String(accounts)], oldRoot);
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const aurora = Math.floor(accounts / auroraEvery);
    const targets = accounts * regions.length;
    const critical = 4 * latency;
    const chain = 6 * latency;
    console.log(`Organization: ${accounts} accounts x ${regions.length} regions = ${targets} targets; ${aurora} accounts with Aurora (the demo account in every region: ${aurora * regions.length} full targets), the rest empty; ${latency} ms injected latency per call.`);
    console.log(`Load average (1, 5, 15 min) before: ${loadBefore}; after: ${load()}.\n`);
    console.log(`aurora-sg --org, every enabled region: ${s(fresh.wallMs)} wall (goal < 60 s), ${s(fresh.cpuMs)} CPU, peak RSS ${fresh.peakRssMb.toFixed(0)} MB; ${fresh.line}; ${fresh.targets} targets read, ${fresh.clusters} clusters, ${fresh.errors} errors.`);
    console.log(`  ${fresh.apiCalls} API calls: ${Object.entries(fresh.byAction).sort((a, b) => b[1] - a[1]).map(([a, n]) => `${a} ${n}`).join(', ')}.`);
    const emptyTargets = targets - aurora * regions.length;
    const assumeRoles = fresh.byAction['sts:AssumeRole'] ?? 0;
    console.log(`  empty regions: ${emptyTargets}, DescribeDBClusters calls beyond the full targets' own: ${(fresh.byAction['rds:DescribeDBClusters'] ?? 0) - aurora * regions.length} (1 per empty region); AssumeRole: ${assumeRoles} for ${accounts - 1} member accounts (the management account uses its own credentials).`);
    console.log(`  critical path (AssumeRole + the three levels of a full target): ${critical} ms -> ${(fresh.wallMs / critical).toFixed(1)}x; with GetCallerIdentity | ListAccounts and DescribeRegions before them: ${chain} ms -> ${(fresh.wallMs / chain).toFixed(1)}x.`);
    console.log(`  throughput: ${(fresh.apiCalls / (fresh.wallMs / 1000)).toFixed(0)} calls/s; CPU ${(fresh.cpuMs / fresh.apiCalls).toFixed(2)} ms per call.`);
    if (old) {
      console.log(`\nThe per-profile loader of ${BASELINE} (one profile per account, every region, its default concurrency): ${s(old.wallMs)} wall, ${s(old.cpuMs)} CPU, peak RSS ${old.peakRssMb.toFixed(0)} MB; ${old.targets} targets, ${old.errors} errors; ${old.apiCalls} API calls (${Object.entries(old.byAction).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([a, n]) => `${a} ${n}`).join(', ')}, ...).`);
      console.log(`  aurora-sg --org is ${(old.wallMs / fresh.wallMs).toFixed(1)}x faster, with ${((1 - fresh.apiCalls / old.apiCalls) * 100).toFixed(0)}% fewer calls.`);
    }
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
