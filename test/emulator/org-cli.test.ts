// aurora-sg audit --org and collect --org against the emulated organization: every output
// format names the accounts and says "N of M accounts audited"; collect writes one evidence
// folder per account and region that audits to the same findings.

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as awsLayer from '../../src/aws';
import type { CliIo } from '../../src/cli/io';
import { run as runAuroraSg } from '../../src/cli/run';
import { auditInventory } from '../../src/rules';
import { loadEvidenceFolder } from '../../src/sources/evidence';
import { type EmulatorHandle, startEmulator } from '../../tools/aws-emulator';
import { ORG_FILE, ORG_PROFILE, PAYMENTS, REGIONS, SANDBOX, SHOP, orgProfileEnv, seededSubjects, subjectKeys } from './support/org';

const LINE = '3 of 4 accounts audited (1 failed); 1 skipped (not ACTIVE, or excluded)';

describe('aurora-sg with an organization source', () => {
  let emulator: EmulatorHandle;
  const env = orgProfileEnv();
  const work = mkdtempSync(path.join(tmpdir(), 'aurora-sg-org-cli-'));
  const cli = async (args: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, cwd: work, env, isTTY: false, loadAws: async () => awsLayer };
    return { code: await runAuroraSg(args, io), out, err };
  };
  const org = () => ['--org', ORG_PROFILE, ...REGIONS.flatMap((r) => ['--region', r]), '--endpoint-url', emulator.url];

  before(async () => { emulator = await startEmulator({ organization: ORG_FILE }); });
  after(async () => { await emulator.close(); });

  it('JSON: every finding carries accountId and accountName; the organization says N of M and each account\'s outcome; the failed account is an error naming it', async () => {
    const { code, out, err } = await cli(['audit', ...org(), '--format', 'json']);
    assert.equal(code, 2, 'an account that could not be read makes the audit incomplete (exit 2)');
    assert.match(err, new RegExp(`aurora-sg: ${LINE.replace(/[()]/g, '\\$&')}\\.`));
    const report = JSON.parse(out) as {
      findings: { accountId: string; accountName: string; region: string; profile: string | null }[];
      targets: { accountId: string; accountName: string; roleArn: string | null }[];
      errors: { target: string; accountId?: string; accountName?: string; roleArn?: string; message: string }[];
      organization: { line: string; summary: { total: number; audited: number }; accounts: { id: string; outcome: string }[] };
    };
    assert.equal(report.organization.line, LINE);
    assert.deepEqual(report.organization.accounts.map((a) => `${a.id} ${a.outcome}`).sort(), ['111111111111 audited', `${PAYMENTS} audited`, `${SHOP} audited`, `${SANDBOX} failed`, '555555555555 skipped'].sort());
    for (const account of [PAYMENTS, SHOP]) {
      const own = report.findings.filter((f) => f.accountId === account);
      assert.equal(own.length, (await seededSubjects(account)).length * REGIONS.length, `every seeded finding of ${account}, in both regions`);
      assert.ok(own.every((f) => f.accountName === (account === PAYMENTS ? 'Payments' : 'Shop') && f.profile === null));
    }
    assert.ok(report.findings.every((f) => f.accountId && f.accountName));
    assert.ok(report.targets.filter((t) => t.accountId === PAYMENTS).every((t) => t.roleArn === `arn:aws:iam::${PAYMENTS}:role/OrganizationAccountAccessRole`));
    assert.equal(report.errors.length, 1);
    assert.deepEqual({ ...report.errors[0], message: undefined }, {
      target: `Sandbox (${SANDBOX})`, accountId: SANDBOX, accountName: 'Sandbox', roleArn: `arn:aws:iam::${SANDBOX}:role/OrganizationAccountAccessRole`, code: 'role-denied', message: undefined,
    });
  });

  it('table and Markdown group the findings by account; SARIF names the account of each result and the run says N of M', async () => {
    const table = await cli(['audit', ...org(), '--format', 'table']);
    const headings = table.out.split('\n').filter((l) => l.startsWith('Account '));
    assert.deepEqual(headings.map((l) => l.replace(/ {2}.*$/, '')), ['Account Management (111111111111)', `Account Payments (${PAYMENTS})`, `Account Shop (${SHOP})`]);
    const paymentsAt = table.out.indexOf(`Account Payments (${PAYMENTS})`);
    const shopAt = table.out.indexOf(`Account Shop (${SHOP})`);
    assert.ok(table.out.indexOf(`Payments (${PAYMENTS}) / eu-west-1`) > paymentsAt && table.out.indexOf(`Payments (${PAYMENTS}) / us-east-1`) < shopAt, 'a Payments region sits under its account');
    assert.match(table.out, /error: Sandbox \(444444444444\): Cannot assume role/);
    assert.ok(table.out.trimEnd().endsWith(`${LINE}.`), 'the summary line says N of M accounts');

    const markdown = await cli(['audit', ...org(), '--format', 'markdown']);
    assert.match(markdown.out, new RegExp(`## Account Payments \\(${PAYMENTS}\\)\\n\\n### Payments \\(${PAYMENTS}\\) / eu-west-1`));
    assert.match(markdown.out, new RegExp(`\\| Sandbox \\(${SANDBOX}\\) \\| failed \\| none \\| Cannot assume role`));
    assert.ok(markdown.out.includes(`${LINE}.`));

    const sarif = JSON.parse((await cli(['audit', ...org(), '--format', 'sarif'])).out) as {
      runs: { properties: { organization: string }; results: { message: { text: string }; properties: { accountId: string; accountName: string } }[]; invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[];
    };
    const [run] = sarif.runs;
    assert.equal(run!.properties.organization, LINE);
    const shop = run!.results.filter((r) => r.properties.accountId === SHOP);
    assert.ok(shop.length > 0);
    for (const result of shop) {
      assert.equal(result.properties.accountName, 'Shop');
      assert.match(result.message.text, /\(account Shop, 333333333333, (eu-west-1|us-east-1)\)$/);
    }
    assert.match(run!.invocations[0]!.toolExecutionNotifications[0]!.message.text, /^Sandbox \(444444444444\): Cannot assume role/);
  });

  it('collect --org writes one evidence folder per account and region, and accounts.json; each folder audits to its account\'s findings', async () => {
    const out = path.join(work, 'evidence');
    const { code, out: stdout, err } = await cli(['collect', ...org(), '--out', out]);
    assert.equal(code, 2, 'the Sandbox account could not be read');
    assert.match(err, /Sandbox \(444444444444\): Cannot assume role/);
    assert.match(stdout, /Wrote 6 evidence folder\(s\)/);
    for (const account of ['111111111111', PAYMENTS, SHOP]) {
      for (const region of REGIONS) assert.ok(existsSync(path.join(out, account, region, 'describe-db-clusters.json')), `${account}/${region}`);
    }
    assert.ok(!existsSync(path.join(out, SANDBOX)));
    const seeded = await seededSubjects(SHOP);
    assert.deepEqual(subjectKeys(auditInventory(await loadEvidenceFolder(path.join(out, SHOP, 'us-east-1')))), seeded);
    const index = JSON.parse(readFileSync(path.join(out, 'accounts.json'), 'utf8')) as { summary: string; accounts: { id: string; outcome: string; reason: string | null }[] };
    assert.equal(index.summary, LINE);
    assert.match(index.accounts.find((a) => a.id === SANDBOX)!.reason!, /Cannot assume role/);
  });

  it('refuses organization flags without --org, and ids that are not ids, naming them', async () => {
    const stray = await cli(['audit', '--ou', 'ou-a1b2-prod0001', '--endpoint-url', emulator.url]);
    assert.equal(stray.code, 2);
    assert.match(stray.err, /--ou narrows an organization: add --org PROFILE/);
    const badAccount = await cli(['audit', ...org(), '--account', '1234']);
    assert.equal(badAccount.code, 2);
    assert.match(badAccount.err, /"1234" is not an AWS account id/);
    const badArn = await cli(['audit', '--role-arn', 'arn:aws:iam::222222222222:user/bob', '--endpoint-url', emulator.url]);
    assert.match(badArn.err, /is not an IAM role ARN/);
  });
});
