import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonFinding, JsonReport } from '../../../src/cli/report/json';
import { DEMO, DEMO_CONFIG, runCli } from './runCli';

/** Passes a script through `bash -n`: it must at least parse. */
async function assertBashParses(script: string): Promise<void> {
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-plan-')), 'plan.sh');
  await fs.writeFile(file, script);
  const check = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
}

describe('aurora-sg plan', () => {
  let findings: JsonFinding[];
  before(async () => {
    findings = (JSON.parse((await runCli(['audit', '--evidence', DEMO, '--config', DEMO_CONFIG, '--format', 'json'])).stdout) as JsonReport).findings;
  });
  const byRule = (ruleId: string, pick: (f: JsonFinding) => boolean = () => true): JsonFinding => {
    const found = findings.find((f) => f.ruleId === ruleId && pick(f));
    assert.ok(found, `the demo has a ${ruleId} finding`);
    return found;
  };

  it('prints a runnable bash script with the remediation and the backout under clear headings', async () => {
    const finding = byRule('AURSG-001');
    const { code, stdout, stderr } = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'revoke']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^#!\/usr\/bin\/env bash\n/);
    assert.match(stdout, /# ===== Remediation =====/);
    assert.match(stdout, /# ===== Backout/);
    assert.ok(stdout.includes(`aws ec2 revoke-security-group-ingress --group-id '${finding.groupId ?? ''}' --security-group-rule-ids '${finding.securityGroupRuleId ?? ''}'`));
    assert.match(stdout, /aws ec2 authorize-security-group-ingress --group-id '[^']+' --ip-permissions '\[\{"IpProtocol":"tcp","FromPort":5432/);
    await assertBashParses(stdout);
  });

  it('quotes a hostile description so bash reads it as data', async () => {
    const finding = byRule('AURSG-003', (f) => f.source?.value === '198.51.100.23/32');
    const { code, stdout } = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'revoke']);
    assert.equal(code, 0);
    assert.ok(stdout.includes(`"Description":"office VPN; $(touch /tmp/pwned) \\"quoted\\" '\\''single'\\''"`));
    await assertBashParses(stdout);
  });

  it('--only prints just one part', async () => {
    const finding = byRule('AURSG-002');
    const remediation = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'revoke', '--only', 'remediation']);
    const backout = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'revoke', '--only', 'backout']);
    assert.equal(remediation.code, 0);
    assert.match(remediation.stdout, /revoke-security-group-ingress/);
    assert.doesNotMatch(remediation.stdout, /authorize-security-group-ingress|Backout/);
    assert.match(backout.stdout, /authorize-security-group-ingress/);
    assert.doesNotMatch(backout.stdout, /revoke-security-group-ingress|===== Remediation/);
    await assertBashParses(remediation.stdout);
    await assertBashParses(backout.stdout);
  });

  it('renders PowerShell, Markdown and the plan as JSON', async () => {
    const finding = byRule('AURSG-009');
    const ps = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'private', '--shell', 'powershell']);
    assert.equal(ps.code, 0);
    assert.match(ps.stdout, /aws rds modify-db-instance --db-instance-identifier 'analytics-pg-1' --no-publicly-accessible/);
    assert.match(ps.stdout, /\$PSNativeCommandArgumentPassing = 'Standard'/);
    const md = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'private', '--format', 'markdown']);
    assert.match(md.stdout, /```/);
    const plan = JSON.parse((await runCli(['plan', '--evidence', DEMO, '--finding', finding.id, '--fix', 'private', '--format', 'json'])).stdout);
    assert.equal(plan.fix, 'private');
    assert.equal(plan.findingId, finding.id);
    assert.deepEqual(plan.steps[0].cli.slice(0, 3), ['aws', 'rds', 'modify-db-instance']);
    assert.ok(plan.backout[0].cli.includes('--publicly-accessible'));
  });

  it('takes a unique id prefix, or --cluster with a fix', async () => {
    const finding = byRule('AURSG-007');
    const prefix = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id.slice(0, 14), '--fix', 'dedicated-sg']);
    assert.equal(prefix.code, 0, prefix.stderr);
    assert.match(prefix.stdout, /aws ec2 create-security-group/);
    assert.match(prefix.stdout, /aws rds modify-db-cluster --db-cluster-identifier 'legacy-orders'/);
    const cluster = await runCli(['plan', '--evidence', DEMO, '--cluster', 'legacy-orders', '--fix', 'dedicated-sg', '--group-name', 'legacy-orders-only']);
    assert.equal(cluster.code, 0, cluster.stderr);
    assert.match(cluster.stdout, /--group-name 'legacy-orders-only'/);
    await assertBashParses(cluster.stdout);
  });

  it('uses the first applicable fix when --fix is left out, and says so', async () => {
    const finding = byRule('AURSG-008');
    const { code, stdout, stderr } = await runCli(['plan', '--evidence', DEMO, '--finding', finding.id]);
    assert.equal(code, 0);
    assert.match(stderr, /no --fix given; using egress/);
    assert.match(stdout, /revoke-security-group-egress/);
  });

  it('exits 2 naming an unknown finding, a fix that does not apply, or a clean cluster', async () => {
    let result = await runCli(['plan', '--evidence', DEMO, '--finding', 'AURSG-001-000000000000', '--fix', 'revoke']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no finding with id "AURSG-001-000000000000" in .*demo-account/);
    result = await runCli(['plan', '--evidence', DEMO, '--finding', byRule('AURSG-010').id, '--fix', 'private']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /the private fix does not apply to AURSG-010-[0-9a-f]+ \(.*\); applicable: dedicated-sg/);
    // ledger-pg is clean once its IPv6 VPC range is approved (the demo settings).
    result = await runCli(['plan', '--evidence', DEMO, '--config', DEMO_CONFIG, '--cluster', 'ledger-pg', '--fix', 'revoke']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cluster ledger-pg has no finding that the revoke fix applies to \(it is clean\)/);
    result = await runCli(['plan', '--evidence', DEMO, '--fix', 'revoke']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--finding ID/);
    result = await runCli(['plan', '--evidence', DEMO, '--finding', byRule('AURSG-001').id, '--only', 'everything']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--only must be one of remediation, backout/);
  });
});
