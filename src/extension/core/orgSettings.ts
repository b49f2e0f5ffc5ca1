// auroraSg.organizations as the extension uses it: each entry checked with the same rules as the
// CLI's flags (model/roles), and an entry that cannot work named in a problem and left out. Pure.

import { organizationSourceProblem } from '../../model/roles';

/** One entry of auroraSg.organizations: an organization profile and how its accounts are chosen and entered. */
export interface OrganizationSetting {
  profile: string;
  memberRole?: string;
  externalId?: string;
  organizationalUnits: string[];
  accounts: string[];
  excludeAccounts: string[];
  roleArns: string[];
  /** The regions of every account; empty: auroraSg.regions, else each account's enabled regions. */
  regions: string[];
}

/** The auroraSg.organizations entries that can work; each one that cannot is a problem naming it. */
export function organizationSettings(value: unknown, problems: string[]): OrganizationSetting[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push('auroraSg.organizations must be a list of {"profile": ...} entries; it is ignored.');
    return [];
  }
  const out: OrganizationSetting[] = [];
  value.forEach((entry: unknown, i) => {
    const raw = (entry ?? {}) as Record<string, unknown>;
    const profile = typeof raw.profile === 'string' ? raw.profile.trim() : '';
    if (!profile) {
      problems.push(`auroraSg.organizations[${i}] names no "profile" (the organization's management or delegated administrator profile); it is ignored.`);
      return;
    }
    const text = (key: string) => (typeof raw[key] === 'string' && (raw[key] as string).trim() ? (raw[key] as string).trim() : undefined);
    const setting: OrganizationSetting = {
      profile,
      organizationalUnits: stringList(raw.organizationalUnits),
      accounts: stringList(raw.accounts),
      excludeAccounts: stringList(raw.excludeAccounts),
      roleArns: stringList(raw.roleArns),
      regions: stringList(raw.regions),
    };
    const memberRole = text('memberRole');
    const externalId = text('externalId');
    if (memberRole) setting.memberRole = memberRole;
    if (externalId) setting.externalId = externalId;
    const problem = organizationSourceProblem({ ous: setting.organizationalUnits, accounts: setting.accounts, excludeAccounts: setting.excludeAccounts, roleArns: setting.roleArns, ...(memberRole ? { memberRole } : {}), ...(externalId ? { externalId } : {}) });
    if (problem) {
      problems.push(`auroraSg.organizations[${i}] (profile ${profile}): ${problem}; it is ignored.`);
      return;
    }
    out.push(setting);
  });
  return out;
}

/** The non-empty strings of a setting's list, trimmed. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}
