// Shared by the AWS layer's emulator tests: an isolated AWS profile for the emulator, the
// demo account's findings, and picking a finding (and its plan) per fix kind.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadLiveInventories } from '../../../src/aws';
import type { Plan } from '../../../src/model/plan';
import type { Finding, FixKind, Inventory } from '../../../src/model/types';
import { applicableFixes, buildPlan } from '../../../src/remediation';
import { auditInventory } from '../../../src/rules';
import { loadEvidenceFolder } from '../../../src/sources/evidence';

export const DEMO = path.resolve(__dirname, '../../../samples/demo-account');
export const PROFILE = 'demo';
export const REGION = 'eu-west-1';

/** Shared config files that hold only the `demo` profile (static dummy keys), so the machine's AWS setup is never read. */
export function isolatedProfileEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-live-'));
  writeFileSync(path.join(dir, 'credentials'), `[${PROFILE}]\naws_access_key_id = AKIDEMOEMULATOR\naws_secret_access_key = emulator-secret\n`);
  writeFileSync(path.join(dir, 'config'), `[profile ${PROFILE}]\nregion = ${REGION}\n`);
  return { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config'), HOME: dir, ...extra };
}

export function findingKeys(findings: Finding[]): string[] {
  return findings.map((f) => `${f.id} ${f.ruleId} ${f.clusterId ?? ''} ${f.instanceId ?? ''} ${f.groupId ?? ''}`).sort();
}

export async function evidenceFindings(dir = DEMO): Promise<Finding[]> {
  return auditInventory(await loadEvidenceFolder(dir));
}

export async function liveInventory(endpointUrl: string, env: NodeJS.ProcessEnv): Promise<Inventory> {
  const result = await loadLiveInventories({ profiles: [PROFILE], regions: [REGION], endpointUrl, env });
  if (result.errors.length) throw new Error(`live load failed: ${JSON.stringify(result.errors)}`);
  return result.inventories[0]!;
}

/** The first finding (worst first) that each fix kind applies to. */
export function findingPerFix(inventory: Inventory): Map<FixKind, Finding> {
  const out = new Map<FixKind, Finding>();
  for (const finding of auditInventory(inventory)) {
    if (finding.suppressed) continue;
    for (const fix of applicableFixes(finding, inventory)) if (!out.has(fix)) out.set(fix, finding);
  }
  return out;
}

/** The approved source the restrict and dedicated-sg plans keep. */
export const ALLOW = ['10.20.0.0/16'];

/** Reads the emulated account and builds the plan of one fix kind for the first finding it applies to. */
export async function planPerFix(endpointUrl: string, env: NodeJS.ProcessEnv, fix: FixKind): Promise<Plan> {
  const inventory = await liveInventory(endpointUrl, env);
  const finding = findingPerFix(inventory).get(fix);
  if (!finding) throw new Error(`the demo account has no finding the ${fix} fix applies to`);
  return buildPlan({ finding, inventory, fix, ...(fix === 'restrict' || fix === 'dedicated-sg' ? { allow: ALLOW } : {}) });
}
