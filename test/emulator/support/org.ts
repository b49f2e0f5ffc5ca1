// Shared by the organization tests: the fixture organization (test/fixtures/org: 5 accounts in
// 2 OUs, one suspended, one whose member role is missing, two regions each), an isolated
// `org` profile for its management account, and what each seeded account should yield.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../../src/model/types';
import { auditInventory } from '../../../src/rules';
import { loadEvidenceFolder } from '../../../src/sources/evidence';
import type { OrganizationFile } from '../../../tools/aws-emulator';

export const ORG_DIR = path.resolve(__dirname, '../../fixtures/org');
export const ORG_FILE = path.join(ORG_DIR, 'organization.json');
export const ORG_PROFILE = 'org';
export const REGIONS = ['eu-west-1', 'us-east-1'];
export const MANAGEMENT = '111111111111';
export const PAYMENTS = '222222222222';
export const SHOP = '333333333333';
export const SANDBOX = '444444444444';
export const SUSPENDED = '555555555555';
export const PRODUCTION_OU = 'ou-a1b2-prod0001';
export const SANDBOX_OU = 'ou-a1b2-sand0001';
export const ROLE = 'OrganizationAccountAccessRole';

/** The organization file, for tests that change an account (a role with an ExternalId, a denied call). */
export function organization(): OrganizationFile {
  return JSON.parse(readFileSync(ORG_FILE, 'utf8')) as OrganizationFile;
}

/** Shared config files holding only the `org` profile (static keys of the management account). */
export function orgProfileEnv(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-org-'));
  writeFileSync(path.join(dir, 'credentials'), `[${ORG_PROFILE}]\naws_access_key_id = AKIAORGMANAGEMENT01\naws_secret_access_key = org-secret\n`);
  writeFileSync(path.join(dir, 'config'), `[profile ${ORG_PROFILE}]\nregion = eu-west-1\n`);
  return { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), HOME: dir };
}

/** What a finding is about, whatever account or region its copy of the seed sits in. */
export function subjectKeys(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.clusterId ?? ''} ${f.instanceId ?? ''} ${f.groupId ?? ''}`).sort();
}

/** The seeded findings of an account of the fixture, per region copy: its evidence folder audited directly. */
export async function seededSubjects(accountId: string): Promise<string[]> {
  const account = organization().Accounts.find((a) => a.Id === accountId);
  if (!account?.Evidence) return [];
  return subjectKeys(auditInventory(await loadEvidenceFolder(path.join(ORG_DIR, account.Evidence))));
}
