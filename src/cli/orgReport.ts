// An organization audit as the reports carry it: "N of M accounts audited", each account's outcome,
// and its errors as the JSON `errors[]` entries (naming the account, the role and AWS's reason).
// Pure: the CLI and the extension's export share it without loading the AWS layer.

import { accountLabel, credentialsLabel, namedProfile } from '../aws/credentialsKey';
import type { LiveError } from '../aws/live';
import type { OrgAccountStatus } from '../aws/org/scope';
import { accountsLine, summaryOf } from '../aws/org/summary';
import type { OrgReport, TargetError } from './sources';

export function organizationReport(accounts: OrgAccountStatus[], liveErrors: LiveError[]): { organization: OrgReport; errors: TargetError[] } {
  const summary = summaryOf(accounts);
  const errors = liveErrors.map((e): TargetError => {
    const who = e.accountId ? accountLabel(e.accountId, e.accountName) : credentialsLabel(e.profile);
    const error: TargetError = { target: e.region ? `${who} / ${e.region}` : who, message: e.message };
    const named = namedProfile(e.profile);
    if (named) error.profile = named;
    if (e.region) error.region = e.region;
    if (e.code) error.code = e.code;
    if (e.accountId) error.accountId = e.accountId;
    if (e.accountName) error.accountName = e.accountName;
    if (e.roleArn) error.roleArn = e.roleArn;
    return error;
  });
  const organization: OrgReport = {
    line: accountsLine(summary),
    summary,
    accounts: accounts.map((a) => ({
      id: a.id, state: a.state, outcome: a.outcome, regions: a.regions,
      ...(a.name ? { name: a.name } : {}), ...(a.roleArn ? { roleArn: a.roleArn } : {}), ...(a.reason ? { reason: a.reason } : {}),
    })),
  };
  return { organization, errors };
}
