// The organization source against the emulated organization of test/fixtures/org: five
// accounts in two OUs (Management at the root; Payments and Shop in Production; Sandbox, whose
// member role is missing, and a suspended account in Sandbox), two regions each.

import { strict as assert } from 'node:assert';
import { ClientPool, loadOrganization, type OrgRequest, type OrgResult } from '../../src/aws';
import { auditInventory } from '../../src/rules';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import {
  MANAGEMENT, ORG_DIR, ORG_FILE, ORG_PROFILE, PAYMENTS, PRODUCTION_OU, REGIONS, ROLE, SANDBOX, SANDBOX_OU, SHOP, SUSPENDED,
  organization, orgProfileEnv, seededSubjects, subjectKeys,
} from './support/org';

const env = orgProfileEnv();

function outcomes(result: OrgResult): Record<string, string> {
  return Object.fromEntries(result.accounts.map((a) => [a.id, a.outcome]));
}

function callsIn(emulator: EmulatorHandle, account: string, filter: (c: { service: string; action: string }) => boolean = () => true) {
  return emulator.calls().filter((c) => c.account === account && filter(c));
}

describe('organization source against the emulator', () => {
  let emulator: EmulatorHandle;
  // Organizations pages of two, so discovery has to paginate.
  before(async () => { emulator = await startEmulator({ organization: ORG_FILE, pageSize: 2 }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  const audit = (extra: Partial<OrgRequest> = {}, url = emulator.url) =>
    loadOrganization({ profile: ORG_PROFILE, regions: REGIONS, endpointUrl: url, env, ...extra });

  it('finds every seeded finding in the right account and region, skips the suspended account and reports the missing role once, naming it', async () => {
    const result = await audit();
    assert.deepEqual(outcomes(result), { [MANAGEMENT]: 'audited', [PAYMENTS]: 'audited', [SHOP]: 'audited', [SANDBOX]: 'failed', [SUSPENDED]: 'skipped' });
    assert.deepEqual(result.summary, { total: 4, audited: 3, partial: 0, failed: 1, skipped: 1, cancelled: 0 });

    for (const account of [PAYMENTS, SHOP]) {
      const seeded = await seededSubjects(account);
      assert.ok(seeded.length > 0, `account ${account} has seeded findings`);
      for (const region of REGIONS) {
        const inventory = result.inventories.find((i) => i.target.accountId === account && i.target.region === region);
        assert.ok(inventory, `${account} / ${region} was read`);
        const findings = auditInventory(inventory);
        assert.deepEqual(subjectKeys(findings), seeded, `${account} / ${region}: the seeded findings, no more, no fewer`);
        for (const finding of findings) {
          assert.equal(finding.target.accountId, account);
          assert.equal(finding.target.accountName, organization().Accounts.find((a) => a.Id === account)!.Name);
          assert.equal(finding.target.region, region);
          assert.equal(finding.target.assumedRole?.roleArn, `arn:aws:iam::${account}:role/${ROLE}`);
        }
      }
    }
    // Finding ids name their account: the same seed in two accounts gives different ids.
    const ids = (account: string) => new Set(result.inventories.filter((i) => i.target.accountId === account).flatMap((i) => auditInventory(i).map((f) => f.id)));
    for (const id of ids(PAYMENTS)) assert.ok(!ids(SHOP).has(id));

    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    const [error] = result.errors;
    assert.equal(error!.accountId, SANDBOX);
    assert.equal(error!.accountName, 'Sandbox');
    assert.equal(error!.roleArn, `arn:aws:iam::${SANDBOX}:role/${ROLE}`);
    assert.equal(error!.code, 'role-denied');
    for (const part of ['Sandbox', SANDBOX, `arn:aws:iam::${SANDBOX}:role/${ROLE}`, 'is not authorized to perform: sts:AssumeRole']) assert.ok(error!.message.includes(part), `"${error!.message}" names ${part}`);
    assert.match(result.accounts.find((a) => a.id === SUSPENDED)!.reason!, /SUSPENDED/);
    assert.equal(callsIn(emulator, SUSPENDED).length, 0, 'nothing is asked of a suspended account');
  });

  it('assumes each member role once (never per region), reads the profile\'s own account with its own credentials, and an empty region costs one call', async () => {
    const result = await audit();
    const assumes = (account: string) => callsIn(emulator, account, (c) => c.action === 'AssumeRole').length;
    assert.equal(assumes(PAYMENTS), 1);
    assert.equal(assumes(SHOP), 1);
    assert.equal(assumes(SANDBOX), 1, 'the missing role is tried once, not once per region');
    assert.equal(assumes(MANAGEMENT), 0, 'the management account is read with the organization profile itself');
    assert.equal(result.stats.apiCallsByAction['sts:AssumeRole'], 3);
    // The management account has no Aurora: each of its regions costs DescribeDBClusters only.
    const management = callsIn(emulator, MANAGEMENT, (c) => c.service === 'ec2' || c.service === 'rds');
    assert.deepEqual(management.map((c) => `${c.action} ${c.region}`).sort(), REGIONS.map((r) => `DescribeDBClusters ${r}`));
    assert.ok(emulator.calls().filter((c) => c.action === 'ListAccounts').length >= 3, 'ListAccounts was paginated (pages of two)');
    assert.equal(result.stats.apiCalls, emulator.callCount(), 'every call the emulator answered is counted');
  });

  it('limits the audit to the OUs asked for, recursively, with their own paginated listing', async () => {
    const production = await audit({ ous: [PRODUCTION_OU] });
    assert.deepEqual(outcomes(production), { [PAYMENTS]: 'audited', [SHOP]: 'audited' });
    assert.equal(emulator.calls().filter((c) => c.action === 'ListAccounts').length, 0);
    assert.ok(emulator.calls().some((c) => c.action === 'ListAccountsForParent'));
    assert.equal(callsIn(emulator, SANDBOX).length, 0);

    emulator.reset();
    const sandbox = await audit({ ous: [SANDBOX_OU] });
    assert.deepEqual(outcomes(sandbox), { [SANDBOX]: 'failed', [SUSPENDED]: 'skipped' });

    emulator.reset();
    const root = await audit({ ous: ['r-a1b2'] });
    assert.deepEqual(Object.keys(outcomes(root)).sort(), [MANAGEMENT, PAYMENTS, SHOP, SANDBOX, SUSPENDED].sort(), 'the root holds every account, through its OUs');

    const unknown = await audit({ ous: ['ou-a1b2-nowhere1'] });
    assert.equal(unknown.inventories.length, 0);
    assert.match(unknown.errors[0]!.message, /ListOrganizationalUnitsForParent|ListAccountsForParent/);
    assert.match(unknown.errors[0]!.message, /ParentNotFoundException|can't find a root or OU/);
  });

  it('includes only the accounts asked for and leaves out the excluded ones; an account the organization does not have is an error of its own', async () => {
    const only = await audit({ accounts: [SHOP, '999999999999'] });
    assert.deepEqual(outcomes(only), { [SHOP]: 'audited', '999999999999': 'failed' });
    assert.match(only.errors.find((e) => e.accountId === '999999999999')!.message, /no such account/);
    assert.equal(callsIn(emulator, PAYMENTS).length, 0);

    emulator.reset();
    const without = await audit({ excludeAccounts: [PAYMENTS, SANDBOX] });
    assert.deepEqual(outcomes(without), { [MANAGEMENT]: 'audited', [PAYMENTS]: 'skipped', [SHOP]: 'audited', [SANDBOX]: 'skipped', [SUSPENDED]: 'skipped' });
    assert.deepEqual(without.errors, []);
    assert.equal(callsIn(emulator, PAYMENTS).length, 0);
  });

  it('without Organizations access, audits the accounts of explicit role ARNs and makes no Organizations call', async () => {
    const result = await audit({ roleArns: [`arn:aws:iam::${PAYMENTS}:role/${ROLE}`] });
    assert.deepEqual(outcomes(result), { [PAYMENTS]: 'audited' });
    assert.equal(emulator.calls().filter((c) => c.service === 'organizations').length, 0);
    assert.equal(result.inventories.length, REGIONS.length);
  });

  it('passes the ExternalId the member role asks for, and a wrong one is that account\'s error alone', async () => {
    const file = organization();
    const shop = file.Accounts.find((a) => a.Id === SHOP)!;
    shop.Roles = [{ Name: ROLE, ExternalId: 'aurora-audit-7' }];
    const withExternalId = await startEmulator({ organization: file, organizationDir: ORG_DIR });
    try {
      const missing = await audit({ accounts: [PAYMENTS, SHOP] }, withExternalId.url);
      assert.deepEqual(outcomes(missing), { [PAYMENTS]: 'audited', [SHOP]: 'failed' });
      assert.match(missing.errors[0]!.message, /Cannot assume role .*Shop \(333333333333\)/);
      const given = await audit({ accounts: [SHOP], externalId: 'aurora-audit-7' }, withExternalId.url);
      assert.deepEqual(outcomes(given), { [SHOP]: 'audited' });
    } finally {
      await withExternalId.close();
    }
  });

  it('a region an account has not enabled and a call the role may not make are one error each, naming the account, the role and AWS\'s reason; the rest is read', async () => {
    const file = organization();
    file.Accounts.find((a) => a.Id === PAYMENTS)!.Regions = ['eu-west-1'];
    file.Accounts.find((a) => a.Id === SHOP)!.DeniedActions = ['ec2:DescribeNetworkInterfaces'];
    const partial = await startEmulator({ organization: file, organizationDir: ORG_DIR });
    try {
      const result = await audit({ accounts: [PAYMENTS, SHOP] }, partial.url);
      assert.deepEqual(outcomes(result), { [PAYMENTS]: 'partial', [SHOP]: 'failed' });
      const disabled = result.errors.filter((e) => e.accountId === PAYMENTS);
      assert.equal(disabled.length, 1);
      assert.equal(disabled[0]!.region, 'us-east-1');
      assert.equal(disabled[0]!.code, 'region-disabled');
      assert.match(disabled[0]!.message, /Region us-east-1 is not enabled in account Payments \(222222222222\)/);
      const denied = result.errors.filter((e) => e.accountId === SHOP);
      assert.deepEqual(denied.map((e) => e.region).sort(), REGIONS);
      for (const error of denied) {
        assert.equal(error.code, 'access-denied');
        for (const part of ['ec2:DescribeNetworkInterfaces', 'account Shop (333333333333)', `role ${ROLE}`, 'You are not authorized']) assert.ok(error.message.includes(part), `"${error.message}" names ${part}`);
      }
      assert.deepEqual(result.inventories.map((i) => `${i.target.accountId} ${i.target.region}`), [`${PAYMENTS} eu-west-1`]);
    } finally {
      await partial.close();
    }
  });

  it('reads every enabled region of each account when asked for all (DescribeRegions in the account)', async () => {
    const result = await audit({ regions: 'all', accounts: [PAYMENTS] });
    assert.deepEqual(result.accounts[0]!.regions, REGIONS, 'the account\'s own enabled regions');
    assert.equal(callsIn(emulator, PAYMENTS, (c) => c.action === 'DescribeRegions').length, 1);
  });

  it('refreshes member credentials before they expire: an audit longer than the sessions, and a later use of the same pool, both work', async () => {
    // One-second sessions; one request at a time per target and 60 ms per call make each
    // target's reads last longer than a session.
    const short = await startEmulator({ organization: ORG_FILE, sessionSeconds: 1, latencyMs: 60 });
    const pool = new ClientPool({ endpointUrl: short.url, env, limits: { perTarget: 1 } });
    try {
      const result = await audit({ accounts: [PAYMENTS], pool }, short.url);
      assert.deepEqual(result.errors, []);
      assert.deepEqual(outcomes(result), { [PAYMENTS]: 'audited' });
      const assumed = callsIn(short, PAYMENTS, (c) => c.action === 'AssumeRole').length;
      assert.ok(assumed >= 2, `the session was renewed during the audit (${assumed} AssumeRole calls)`);
      assert.equal(short.calls().filter((c) => c.outcome === 'ExpiredToken').length, 0, 'no request went out with an expired session');
      const seeded = await seededSubjects(PAYMENTS);
      for (const inventory of result.inventories) assert.deepEqual(subjectKeys(auditInventory(inventory)), seeded);

      // Later (the fix started 55 minutes in): the cached session has expired; the pool renews it.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const again = await audit({ accounts: [PAYMENTS], regions: ['eu-west-1'], pool }, short.url);
      assert.deepEqual(again.errors, []);
      assert.ok(callsIn(short, PAYMENTS, (c) => c.action === 'AssumeRole').length > assumed);
    } finally {
      await pool.dispose();
      await short.close();
    }
  });

  it('reports progress account by account and stops early when cancelled', async () => {
    const seen: number[] = [];
    const done = await audit({ onProgress: (p) => { if (p.account) seen.push(p.accountsDone); } });
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.equal(done.summary.total, 4);

    const controller = new AbortController();
    const slow = await startEmulator({ organization: ORG_FILE, latencyMs: 150 });
    try {
      const cancelled = audit({ signal: controller.signal, accountConcurrency: 1 }, slow.url);
      setTimeout(() => controller.abort(), 400);
      const result = await cancelled;
      assert.ok(result.summary.cancelled > 0, JSON.stringify(result.summary));
      assert.ok(result.summary.audited < 3);
    } finally {
      await slow.close();
    }
  });

  it('treats empty lists as no narrowing; names a profile that does not exist and one that cannot list the organization', async () => {
    // Empty lists (as the CLI passes them when no flag is given) mean "no such narrowing".
    const empty = await audit({ roleArns: [], ous: [], accounts: [], excludeAccounts: [], memberRole: ROLE });
    assert.deepEqual(outcomes(empty), { [MANAGEMENT]: 'audited', [PAYMENTS]: 'audited', [SHOP]: 'audited', [SANDBOX]: 'failed', [SUSPENDED]: 'skipped' });
    const ghost = await loadOrganization({ profile: 'ghost', endpointUrl: emulator.url, env });
    assert.match(ghost.errors[0]!.message, /Profile "ghost" is not in the AWS config/);
    const notOrg = await startEmulator({});
    try {
      const result = await loadOrganization({ profile: ORG_PROFILE, endpointUrl: notOrg.url, env });
      assert.equal(result.inventories.length, 0);
      assert.match(result.errors[0]!.message, /Cannot list the organization's accounts with profile org/);
      assert.match(result.errors[0]!.message, /--role-arn/);
    } finally {
      await notOrg.close();
    }
  });
});
