// A fix and its backout in a member account of the emulated organization: through the SDK
// executor (which assumes the finding's role again, and so does the backout from its journal),
// and through the bash script aurora-sg plan writes, run by Debian's real AWS CLI, which assumes
// the role with explicit `aws sts assume-role` steps from the organization profile.

import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as awsLayer from '../../src/aws';
import { backoutRun, loadOrganization, runPlan } from '../../src/aws';
import type { CliIo } from '../../src/cli/io';
import { run as runAuroraSg } from '../../src/cli/run';
import type { Finding, Inventory } from '../../src/model/types';
import { applicableFixes, buildPlan } from '../../src/remediation';
import { auditInventory } from '../../src/rules';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { MANAGEMENT, ORG_FILE, ORG_PROFILE, PAYMENTS, ROLE, orgProfileEnv } from './support/org';
import { awsCliShellEnv, runBash } from './support/shell';

const REGION = 'us-east-1';

describe('a fix and its backout in a member account of an organization', function () {
  this.timeout(300_000);
  let emulator: EmulatorHandle;
  const env = orgProfileEnv();
  const work = mkdtempSync(path.join(tmpdir(), 'aurora-sg-org-fix-'));

  before(async () => { emulator = await startEmulator({ organization: ORG_FILE }); });
  after(async () => { await emulator.close(); });
  beforeEach(() => emulator.reset());

  /** The Payments account in us-east-1, read through its role, and its worst revocable finding. */
  async function memberFinding(): Promise<{ inventory: Inventory; finding: Finding }> {
    const result = await loadOrganization({ profile: ORG_PROFILE, accounts: [PAYMENTS], regions: [REGION], endpointUrl: emulator.url, env });
    assert.deepEqual(result.errors, []);
    const inventory = result.inventories[0]!;
    const finding = auditInventory(inventory).find((f) => !f.suppressed && applicableFixes(f, inventory).includes('revoke'));
    assert.ok(finding, 'Payments has a finding the revoke fix applies to');
    return { inventory, finding };
  }

  it('through the SDK executor: the run and its backout assume the member role and change that account only', async () => {
    const original = emulator.state(REGION, { ruleIds: false, account: PAYMENTS });
    const management = emulator.state(REGION, { ruleIds: false, account: MANAGEMENT });
    const { inventory, finding } = await memberFinding();
    const plan = buildPlan({ finding, inventory, fix: 'revoke' });
    assert.equal(plan.target.assumedRole?.roleArn, `arn:aws:iam::${PAYMENTS}:role/${ROLE}`);
    assert.equal(plan.target.profile, undefined, 'a member account\'s plan names no profile: its role is assumed');
    const journalDir = path.join(work, 'journal-sdk');
    emulator.reset();

    const run = await runPlan(plan, { journalDir, endpointUrl: emulator.url, env });
    assert.equal(run.status, 'completed', run.message);
    assert.equal(run.verification?.ok, true, run.verification?.message);
    assert.notDeepEqual(emulator.state(REGION, { ruleIds: false, account: PAYMENTS }), original, 'the member account changed');
    assert.deepEqual(emulator.state(REGION, { ruleIds: false, account: MANAGEMENT }), management, 'the management account did not');
    const changes = emulator.calls().filter((c) => c.action.startsWith('Revoke'));
    assert.deepEqual(changes.map((c) => c.account), [PAYMENTS]);
    assert.equal(emulator.calls().filter((c) => c.action === 'AssumeRole' && c.account === PAYMENTS).length, 1);

    const backout = await backoutRun(run.journalId!, { journalDir, endpointUrl: emulator.url, env });
    assert.equal(backout.status, 'completed', backout.message);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false, account: PAYMENTS }), original, 'the backout restored the account exactly');
    assert.equal(emulator.calls().filter((c) => c.action === 'AssumeRole' && c.account === PAYMENTS).length, 2, 'the backout assumed the role again, from the journal');
  });

  it('through the real AWS CLI: aurora-sg plan --org writes a script that assumes the role; it fixes, and its backout restores, the member account', async () => {
    const shellEnv = awsCliShellEnv(work, emulator.url, { HOME: env.HOME, AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE });
    const cli = async (args: string[]) => {
      let out = '';
      let err = '';
      const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: work, env, isTTY: false, loadAws: async () => awsLayer };
      return { code: await runAuroraSg(args, io), out, err };
    };
    const org = ['--org', ORG_PROFILE, '--account', PAYMENTS, '--region', REGION, '--endpoint-url', emulator.url];
    const audit = await cli(['audit', ...org, '--format', 'json', '--fail-on', 'none']);
    assert.equal(audit.code, 0, audit.err);
    const report = JSON.parse(audit.out) as { findings: { id: string; accountId: string; accountName: string; fixes: string[] }[]; organization: { line: string } };
    assert.equal(report.organization.line, '1 of 1 account audited');
    const finding = report.findings.find((f) => f.fixes.includes('revoke'))!;
    assert.equal(finding.accountId, PAYMENTS);
    assert.equal(finding.accountName, 'Payments');

    const plan = await cli(['plan', ...org, '--finding', finding.id, '--fix', 'revoke']);
    assert.equal(plan.code, 0, plan.err);
    assert.match(plan.out, new RegExp(`aws sts assume-role --role-arn 'arn:aws:iam::${PAYMENTS}:role/${ROLE}' --role-session-name 'aurora-sg'`));
    assert.match(plan.out, /--profile 'org'/, 'the role is assumed from the organization profile');
    const stepLines = plan.out.split('\n').filter((l) => /^\s+aws ec2 /.test(l));
    assert.ok(stepLines.length > 0 && stepLines.every((l) => !l.includes('--profile')), 'the steps themselves run on the role\'s keys, not on a profile');
    const script = path.join(work, 'member-revoke.sh');
    writeFileSync(script, plan.out);

    const original = emulator.state(REGION, { ruleIds: false, account: PAYMENTS });
    const management = emulator.state(REGION, { ruleIds: false, account: MANAGEMENT });
    emulator.reset();
    const fixRun = await runBash(script, [], shellEnv);
    assert.equal(fixRun.code, 0, `remediation failed:\n${fixRun.stderr}`);
    const assumes = () => emulator.calls().filter((c) => c.action === 'AssumeRole' && c.account === PAYMENTS).length;
    assert.equal(assumes(), 1, 'the remediation assumed the role');
    assert.deepEqual(emulator.calls().filter((c) => c.action.startsWith('Revoke')).map((c) => `${c.account} ${c.outcome}`), [`${PAYMENTS} ok`]);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false, account: MANAGEMENT }), management, 'nothing changed in the management account');
    const after = await cli(['audit', ...org, '--format', 'json', '--fail-on', 'none']);
    assert.equal((JSON.parse(after.out) as { findings: { id: string }[] }).findings.find((f) => f.id === finding.id), undefined, 'the finding is gone');

    const before = assumes();
    const backout = await runBash(script, ['backout'], shellEnv);
    assert.equal(backout.code, 0, `backout failed:\n${backout.stderr}`);
    assert.deepEqual(emulator.state(REGION, { ruleIds: false, account: PAYMENTS }), original, 'the backout restored the member account exactly');
    assert.equal(assumes(), before + 1, 'the backout assumed the role itself');
  });

  it('aurora-sg apply and backout on a member account\'s finding assume the same role', async () => {
    const cli = async (args: string[]) => {
      let out = '';
      let err = '';
      const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: work, env, isTTY: false, loadAws: async () => awsLayer };
      return { code: await runAuroraSg(args, io), out, err };
    };
    const original = emulator.state(REGION, { ruleIds: false, account: PAYMENTS });
    const { finding } = await memberFinding();
    const journal = path.join(work, 'journal-cli');
    const apply = await cli(['apply', '--org', ORG_PROFILE, '--account', PAYMENTS, '--region', REGION, '--endpoint-url', emulator.url, '--finding', finding.id, '--fix', 'revoke', '--yes', '--journal', journal]);
    assert.equal(apply.code, 0, `${apply.out}\n${apply.err}`);
    assert.match(apply.err, new RegExp(`Target: account Payments \\(${PAYMENTS}\\) through arn:aws:iam::${PAYMENTS}:role/${ROLE} / ${REGION}`));
    const journalId = /Journal: (\S+)/.exec(apply.out)![1]!;
    const backout = await cli(['backout', journalId, '--yes', '--journal', journal, '--endpoint-url', emulator.url]);
    assert.equal(backout.code, 0, `${backout.out}\n${backout.err}`);
    assert.match(backout.err, new RegExp(`Target: Payments \\(${PAYMENTS}\\) / ${REGION}`));
    assert.deepEqual(emulator.state(REGION, { ruleIds: false, account: PAYMENTS }), original);
  });
});
