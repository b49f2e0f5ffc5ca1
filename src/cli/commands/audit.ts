// aurora-sg audit: judge evidence folders, IaC files or live accounts and report in one of four formats.

import { parseArgs } from 'node:util';
import { SEVERITIES } from '../../model/types';
import { defaultSettings } from '../../rules';
import { oneOf, parseOrUsage } from '../args';
import { type FailOn, failingFindings, runAudit } from '../auditRun';
import { type CliIo, colourEnabled, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, UsageError } from '../io';
import { jsonReport } from '../report/json';
import { markdownReport } from '../report/markdown';
import { sarifReport } from '../report/sarif';
import { tableReport } from '../report/table';
import { loadSettingsFile } from '../settingsFile';
import { type OrgFlags, type SourceFlags, wantsLive } from '../sources';
import type { Command } from './types';

export const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON: readonly FailOn[] = [...SEVERITIES, 'none'];
export const DEFAULT_FAIL_ON: FailOn = 'high';

/** The organization flags audit, plan, apply and collect share. */
export const ORG_OPTIONS = {
  org: { type: 'string' },
  'member-role': { type: 'string' },
  'external-id': { type: 'string' },
  ou: { type: 'string', multiple: true },
  account: { type: 'string', multiple: true },
  'exclude-account': { type: 'string', multiple: true },
  'role-arn': { type: 'string', multiple: true },
} as const;

/** The source flags audit, plan and apply share: evidence folders, IaC files, or live profiles and regions. */
export const SOURCE_OPTIONS = {
  evidence: { type: 'string', multiple: true },
  iac: { type: 'string', multiple: true },
  profile: { type: 'string', multiple: true },
  'all-profiles': { type: 'boolean' },
  region: { type: 'string', multiple: true },
  'all-regions': { type: 'boolean' },
  'endpoint-url': { type: 'string' },
  ...ORG_OPTIONS,
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OrgValues = {
  org?: string; 'member-role'?: string; 'external-id'?: string; ou?: string[]; account?: string[]; 'exclude-account'?: string[]; 'role-arn'?: string[];
};

/** --org and the flags that narrow it; those flags without --org (or --role-arn) are a usage error naming them. */
export function orgFlags(values: OrgValues, command: string): OrgFlags | undefined {
  const narrowing = (['member-role', 'external-id', 'ou', 'account', 'exclude-account'] as const).filter((flag) => {
    const value = values[flag];
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  });
  if (values.org === undefined && !values['role-arn']?.length) {
    if (narrowing.length) throw new UsageError(`--${narrowing[0]} narrows an organization: add --org PROFILE (or --role-arn ARN)`, command);
    return undefined;
  }
  if (values.org !== undefined && values.org.trim() === '') throw new UsageError('--org needs the organization profile: --org PROFILE', command);
  if (values['role-arn']?.length && values['member-role'] !== undefined) throw new UsageError('--member-role names the role of listed accounts; with --role-arn the ARNs name the roles: use one or the other', command);
  const flags: OrgFlags = {
    ous: values.ou ?? [], accounts: values.account ?? [], excludeAccounts: values['exclude-account'] ?? [], roleArns: values['role-arn'] ?? [],
  };
  if (values.org !== undefined) flags.profile = values.org;
  if (values['member-role'] !== undefined) flags.memberRole = values['member-role'];
  if (values['external-id'] !== undefined) flags.externalId = values['external-id'];
  return flags;
}

export function sourceFlags(values: {
  evidence?: string[]; iac?: string[]; profile?: string[]; 'all-profiles'?: boolean; region?: string[]; 'all-regions'?: boolean; 'endpoint-url'?: string;
} & OrgValues, command = 'audit'): SourceFlags {
  const flags: SourceFlags = {
    evidence: values.evidence ?? [],
    profiles: values.profile ?? [],
    allProfiles: values['all-profiles'] === true,
    regions: values.region ?? [],
    allRegions: values['all-regions'] === true,
  };
  if (values.iac?.length) flags.iac = values.iac;
  if (values['endpoint-url'] !== undefined) flags.endpointUrl = values['endpoint-url'];
  const org = orgFlags(values, command);
  if (org) flags.org = org;
  return flags;
}

export const SOURCE_HELP = `Sources (one or more):
  --evidence DIR        an evidence folder: the saved JSON of aws rds describe-db-clusters,
                        describe-db-instances, aws ec2 describe-security-groups, ... (repeatable)
  --iac FILE            a CloudFormation template (YAML or JSON), a Terraform .tf or .tf.json file or
                        terraform show -json output; its groups are judged against the
                        database ports (repeatable)
  --profile P           a live AWS profile (repeatable); without any source, what the AWS
                        CLI itself would use is audited: AWS_ACCESS_KEY_ID and its secret when
                        set (no profile is then named in plans), else AWS_PROFILE, else a web
                        identity (AWS_WEB_IDENTITY_TOKEN_FILE), else "default", else a
                        container's or the EC2 instance's role
  --all-profiles        every profile of the shared config and credentials files
  --region R            a region (repeatable); default: each profile's own region
  --all-regions         every region enabled for the account
  --endpoint-url URL    send every AWS call to another endpoint (a local emulator)
  --org PROFILE         every ACTIVE account of the AWS organization PROFILE can list (the
                        management account or a delegated administrator), each read through
                        a role assumed in it (the profile's own account with its own
                        credentials); --region / --all-regions choose each account's regions
  --member-role NAME    the role to assume in each account (default OrganizationAccountAccessRole)
  --external-id ID      the ExternalId the member roles' trust policy asks for
  --ou ID               only accounts under this OU or root, recursively (repeatable)
  --account ID          only this account (repeatable)
  --exclude-account ID  leave this account out (repeatable)
  --role-arn ARN        without Organizations access: assume this role, one per account
                        (repeatable), from --org PROFILE or the default credentials
  --config FILE         audit settings as JSON: approvedSources, broadCidrThresholds,
                        databasePorts, severityOverrides, suppressions`;

const HELP = `Usage: aurora-sg audit [sources] [--config FILE] [--format table|json|sarif|markdown] [--fail-on SEVERITY]

Audits the security groups of Aurora clusters and reports what can reach them.

${SOURCE_HELP}

Output:
  --format F            table (default), json (version 1), sarif (2.1.0) or markdown
  --fail-on SEVERITY    exit 1 when a finding that is not suppressed is at or above
                        critical|high|medium|low|info; "none" never fails (default: ${DEFAULT_FAIL_ON})
  --no-color            no colour in the table (also: NO_COLOR set, or output not a terminal)

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage or input error
(unknown flag, missing folder, bad settings file, unreadable evidence file or target).

Examples:
  aurora-sg audit --evidence samples/demo-account --config samples/demo-account/aurora-sg.config.json
  aurora-sg audit --profile prod --all-regions --format sarif > aurora-sg.sarif
  aurora-sg audit --org management --all-regions --exclude-account 111111111111 --format json
  aurora-sg audit --iac infra/database.yaml --format sarif --fail-on medium
`;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'judge the security groups of Aurora clusters (evidence folders or live accounts)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseOrUsage('audit', () => parseArgs({
      args,
      options: { ...SOURCE_OPTIONS, format: { type: 'string' }, 'fail-on': { type: 'string' }, 'no-color': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
    if (values.help) {
      io.out(HELP);
      return EXIT_CLEAN;
    }
    const format = oneOf<Format>('audit', '--format', values.format, FORMATS, 'table');
    const failOn = oneOf<FailOn>('audit', '--fail-on', values['fail-on'], FAIL_ON, DEFAULT_FAIL_ON);
    const settings = values.config ? await loadSettingsFile(values.config, io.cwd, 'audit') : defaultSettings();
    const flags = sourceFlags(values);
    const report = await runAudit(flags, settings, io, 'audit');

    switch (format) {
      case 'json': io.out(`${JSON.stringify(jsonReport(report, io.cwd), null, 2)}\n`); break;
      case 'sarif': io.out(`${JSON.stringify(sarifReport(report, io.cwd), null, 2)}\n`); break;
      case 'markdown': io.out(markdownReport(report, io.cwd)); break;
      default: io.out(tableReport(report, { colour: colourEnabled(io) && !values['no-color'], ...(io.isTTY && io.columns ? { columns: io.columns } : {}) }));
    }
    // Errors go to stderr too, so a pipeline reading JSON from stdout still sees them.
    if (report.organization) io.err(`aurora-sg: ${report.organization.line}.\n`);
    for (const error of report.errors) {
      const where = error.file ? ` (${error.file}${error.line ? `:${error.line}:${error.column ?? 1}` : ''})` : '';
      io.err(`aurora-sg: ${error.target}: ${error.message}${where}\n`);
    }
    if (report.errors.length && !flags.evidence.length && !flags.iac?.length && !wantsLive(flags)) {
      io.err('aurora-sg: no source was named, so the default AWS profile was audited; name one with --evidence DIR, --iac FILE or --profile P.\n');
    }
    if (report.errors.length) return EXIT_USAGE;
    return failingFindings(report, failOn).length ? EXIT_FINDINGS : EXIT_CLEAN;
  },
};
