// aurora-sg collect: the seed's test plan, automated. Reads one live (profile, region) and
// writes it as an evidence folder an auditor can keep or hand over; auditing that folder
// gives the same findings as auditing the account. With --org, one folder per account and
// region of the organization, and accounts.json saying what was read and what was not.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseOrUsage } from '../args';
import { type CliIo, EXIT_CLEAN, EXIT_USAGE, loadAws, UsageError } from '../io';
import { displayPath, type OrgFlags } from '../sources';
import { ORG_OPTIONS, orgFlags } from './audit';
import type { Command } from './types';

const HELP = `Usage: aurora-sg collect --profile P --region R --out DIR [--endpoint-url URL]
       aurora-sg collect --org PROFILE [--region R]... [--all-regions] [organization flags] --out DIR

Reads the Aurora clusters, instances and their security groups of one profile and region
(with rule ids, network interfaces, VPCs, the subnets and route tables of public
instances and the entries of referenced prefix lists) and writes them to DIR as the
AWS CLI prints them: describe-db-clusters.json, describe-db-instances.json,
describe-security-groups.json, ... "aurora-sg audit --evidence DIR" then gives the same
findings as the live audit.

  --profile P           the AWS profile (default: what the AWS CLI would use, as for audit)
  --region R            the region (default: the profile's)
  --out DIR             the folder to write (created if needed; evidence files in it are replaced)
  --endpoint-url URL    send every AWS call to another endpoint (a local emulator)

With --org PROFILE (and --member-role, --external-id, --ou, --account, --exclude-account,
--role-arn as for "aurora-sg audit"), every ACTIVE account of the organization is read through
its role: DIR/ACCOUNT-ID/REGION/ holds each evidence folder, and DIR/accounts.json lists every
account with its outcome (audited, partly, failed, skipped) and the errors.
`;

export const collectCommand: Command = {
  name: 'collect',
  summary: 'save a live account as an evidence folder',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseOrUsage('collect', () => parseArgs({
      args,
      options: {
        profile: { type: 'string' },
        region: { type: 'string', multiple: true },
        'all-regions': { type: 'boolean' },
        out: { type: 'string' },
        'endpoint-url': { type: 'string' },
        ...ORG_OPTIONS,
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) { io.out(HELP); return EXIT_CLEAN; }
    if (!values.out) throw new UsageError('say where to write the evidence: --out DIR', 'collect');
    const org = orgFlags(values, 'collect');
    if (org) return collectOrg(org, values, io);
    if (values['all-regions']) throw new UsageError('--all-regions collects an organization (--org PROFILE); for one profile name its --region', 'collect');
    if ((values.region?.length ?? 0) > 1) throw new UsageError('collect reads one region of a profile: name one --region (or collect an organization with --org)', 'collect');
    const aws = await loadAws('collect', io);
    const asked = values.profile ?? aws.defaultCredentialsKey(io.env);
    const known = aws.resolveCredentialsKey(asked, await aws.listProfiles(io.env), io.env);
    if (!known) throw new UsageError(`profile "${asked}" is not in the AWS config or credentials file`, 'collect');
    const profile = known.name;
    const who = aws.namedProfile(profile) ? `profile "${profile}"` : aws.credentialsLabel(profile);
    if (known.broken) throw new UsageError(`${who} is broken: ${known.broken}`, 'collect');
    const region = values.region?.[0] ?? known.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError(`${who} has no region: pass --region R`, 'collect');
    const outDir = path.resolve(io.cwd, values.out);
    const request: Parameters<typeof aws.collectEvidence>[0] = { profile, region, outDir, env: io.env };
    if (values['endpoint-url'] !== undefined) request.endpointUrl = values['endpoint-url'];
    let result;
    try {
      result = await aws.collectEvidence(request);
    } catch (error) {
      const mapped = aws.toAwsError(error, { profile, region });
      io.err(`aurora-sg: ${aws.credentialsLabel(profile)} / ${region}: ${mapped.message}\n`);
      return EXIT_USAGE;
    }
    const { inventory } = result;
    io.out(`Wrote ${result.files.length} files to ${displayPath(outDir, io.cwd)} (${inventory.clusters.length} clusters, ${inventory.instances.length} instances, ${inventory.securityGroups.length} security groups; ${result.apiCalls} API calls).\n`);
    for (const note of inventory.notes.filter((n) => n.level !== 'info')) io.err(`aurora-sg: ${note.level}: ${note.message}\n`);
    return EXIT_CLEAN;
  },
};

/** One evidence folder per account and region of an organization, and accounts.json beside them. */
async function collectOrg(org: OrgFlags, values: { region?: string[]; 'all-regions'?: boolean; out?: string; 'endpoint-url'?: string }, io: CliIo): Promise<number> {
  const aws = await loadAws('collect', io);
  const problem = aws.sourceProblem(org);
  if (problem) throw new UsageError(problem, 'collect');
  const outDir = path.resolve(io.cwd, values.out!);
  const request: Parameters<typeof aws.collectOrganization>[0] = {
    profile: org.profile ?? aws.defaultCredentialsKey(io.env), outDir, env: io.env,
    ous: org.ous, accounts: org.accounts, excludeAccounts: org.excludeAccounts, roleArns: org.roleArns,
  };
  if (org.memberRole !== undefined) request.memberRole = org.memberRole;
  if (org.externalId !== undefined) request.externalId = org.externalId;
  if (values['all-regions']) request.regions = 'all';
  else if (values.region?.length) request.regions = values.region;
  if (values['endpoint-url'] !== undefined) request.endpointUrl = values['endpoint-url'];
  const { folders, result } = await aws.collectOrganization(request);
  const clusters = folders.reduce((n, f) => n + f.clusters, 0);
  io.out(`Wrote ${folders.length} evidence folder(s) under ${displayPath(outDir, io.cwd)} (${clusters} clusters; ${result.stats.apiCalls} API calls) and ${aws.ACCOUNTS_FILE}: ${aws.accountsLine(result.summary)}.\n`);
  for (const folder of folders) io.out(`  ${displayPath(folder.dir, io.cwd)}  ${folder.accountName ? `${folder.accountName}, ` : ''}${folder.clusters} cluster(s)\n`);
  for (const error of result.errors) {
    const who = error.accountId ? aws.accountLabel(error.accountId, error.accountName) : aws.credentialsLabel(error.profile);
    io.err(`aurora-sg: ${who}${error.region ? ` / ${error.region}` : ''}: ${error.message}\n`);
  }
  return result.errors.length ? EXIT_USAGE : EXIT_CLEAN;
}
