// What the tree shows for an organization's accounts: "Payments" with "222222222222 · critical",
// and a state word for contextValues and icons. Pure, so it is unit-tested directly.

import type { Finding, Severity } from '../../model/types';
import { worstSeverity } from '../../rules';

export type AccountState = Severity | 'ok' | 'failed' | 'skipped' | 'unread';

export interface AccountFacts {
  id: string;
  name?: string;
  state: string;
  outcome: string;
  reason?: string;
}

/** The account's state: skipped (not ACTIVE, excluded), failed (a reason is known), else its worst finding once a region is read. */
export function accountState(account: AccountFacts, findings: readonly Finding[] | undefined, failure?: string): AccountState {
  if (account.outcome === 'skipped') return 'skipped';
  if (failure && !findings?.length) return 'failed';
  if (findings === undefined) return 'unread';
  return worstSeverity(findings) ?? 'ok';
}

/** "222222222222 · 3 critical · 1 failed region"-style detail beside the account's name. */
export function accountDescription(account: AccountFacts, findings: readonly Finding[] | undefined, failure?: string): string {
  const parts = [account.id];
  const state = accountState(account, findings, failure);
  if (state === 'skipped') parts.push(`${account.state === 'ACTIVE' ? 'excluded' : account.state} · not audited`);
  else if (state === 'failed') parts.push('cannot be read');
  else if (state !== 'unread') {
    const active = (findings ?? []).filter((f) => !f.suppressed);
    const worst = worstSeverity(active);
    parts.push(worst ? `${active.filter((f) => f.severity === worst).length} ${worst}` : 'no findings');
    if (failure) parts.push('partly read');
  }
  return parts.join(' · ');
}

/** The label: the account's name, or its id when the organization gave none (a role ARN source). */
export function accountLabel(account: AccountFacts): string {
  return account.name ?? account.id;
}

/** "org: 3 of 5 accounts" for the organization node once its accounts are known. */
export function organizationDescription(accounts: readonly AccountFacts[] | undefined, findings: readonly Finding[]): string {
  if (!accounts) return 'organization';
  const audited = accounts.filter((a) => a.outcome !== 'skipped').length;
  const worst = worstSeverity(findings.filter((f) => !f.suppressed));
  return `organization · ${audited} account${audited === 1 ? '' : 's'}${worst ? ` · ${worst}` : ''}`;
}
