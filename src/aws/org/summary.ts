// What became of an organization's accounts, as every output says it: "N of M accounts audited".
// Pure (no SDK): the CLI's reports and the extension's export use it without loading the AWS layer.

import type { AccountOutcome, OrgAccountStatus } from './scope';

export interface OrgSummary { total: number; audited: number; partial: number; failed: number; skipped: number; cancelled: number }

/** "3 of 5 accounts audited (1 partly, 1 failed); 1 skipped (not ACTIVE, or excluded)": the line every output carries. */
export function accountsLine(summary: OrgSummary): string {
  const parts = [summary.partial && `${summary.partial} partly`, summary.failed && `${summary.failed} failed`, summary.cancelled && `${summary.cancelled} cancelled`].filter(Boolean);
  const skipped = summary.skipped ? `; ${summary.skipped} skipped (not ACTIVE, or excluded)` : '';
  return `${summary.audited} of ${summary.total} account${summary.total === 1 ? '' : 's'} audited${parts.length ? ` (${parts.join(', ')})` : ''}${skipped}`;
}

export function summaryOf(accounts: OrgAccountStatus[]): OrgSummary {
  const count = (outcome: AccountOutcome) => accounts.filter((a) => a.outcome === outcome).length;
  const skipped = count('skipped');
  return { total: accounts.length - skipped, audited: count('audited'), partial: count('partial'), failed: count('failed'), skipped, cancelled: count('cancelled') + count('pending') };
}

