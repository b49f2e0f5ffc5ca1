import { strict as assert } from 'node:assert';
import type { Arg, Plan } from '../../../src/model/plan';
import { buildPlan, renderCommandLine, renderScript } from '../../../src/remediation';
import { DEFAULT_SG, finding, inventory, openToWorld } from './fixtures';
import { BashHarness, STUB_GROUP_ID, hostileValues } from './shellHarness';
import { readPowerShellArgs } from './powershellGrammar';

const resolved = (argv: Arg[], id: string) => argv.slice(1).map((a) => (typeof a === 'string' ? a : id));

describe('rendered scripts', function () {
  this.timeout(60_000); // each aws call is a stub process
  let bash: BashHarness;
  before(() => { bash = new BashHarness(); });
  after(() => bash.dispose());

  function hostilePlan(fix: 'revoke' | 'restrict'): { plan: Plan; traps: string[] } {
    const { values, traps } = hostileValues((n) => bash.trap(n));
    const inv = inventory();
    const rule = { ...openToWorld, description: values.slice(0, 8).join(' ') };
    inv.securityGroups[0].rules[0] = rule;
    const f = finding('AURSG-001', { rule }, inv);
    f.target.profile = `prod $(touch ${bash.trap('subst')}) 'x'`;
    const plan = buildPlan({ finding: f, inventory: inv, fix, allow: ['10.30.0.0/16'] });
    return { plan, traps };
  }

  describe('bash', () => {
    it('runs the remediation by default and never its own backout; argv exact despite hostile text', () => {
      const { plan, traps } = hostilePlan('restrict');
      const script = renderScript(plan, 'bash');
      assert.ok(script.startsWith('#!/usr/bin/env bash\n'));
      assert.match(script, /\nset -euo pipefail\n/);
      const run = bash.run(script);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.calls, plan.steps.map((s) => s.cli.slice(1)));
      bash.assertNoTrapSprung(traps);
    });

    it('runs the backout when asked for it', () => {
      const { plan, traps } = hostilePlan('revoke');
      const run = bash.run(renderScript(plan, 'bash'), ['backout']);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.calls, plan.backout.map((s) => s.cli.slice(1)));
      bash.assertNoTrapSprung(traps);
      const usage = bash.run(renderScript(plan, 'bash'), ['bogus']);
      assert.equal(usage.status, 2);
      assert.deepEqual(usage.calls, []);
    });

    it('with only, renders just that part and runs it top to bottom', () => {
      const { plan } = hostilePlan('revoke');
      const remediation = renderScript(plan, 'bash', 'remediation');
      assert.ok(!remediation.includes('authorize-security-group-ingress'));
      assert.deepEqual(bash.run(remediation).calls, plan.steps.map((s) => s.cli.slice(1)));
      assert.deepEqual(bash.run(renderScript(plan, 'bash', 'backout')).calls, plan.backout.map((s) => s.cli.slice(1)));
    });

    it('stops at the first failing command', () => {
      const { plan } = hostilePlan('restrict');
      const run = bash.run(renderScript(plan, 'bash'), [], { AWS_STUB_FAIL_ON: 'revoke-security-group-ingress' });
      assert.notEqual(run.status, 0);
      assert.deepEqual(run.calls.map((c) => c[1]), ['authorize-security-group-ingress', 'revoke-security-group-ingress']);
    });

    describe('dedicated-sg', () => {
      const plan = () => buildPlan({ finding: finding('AURSG-007', { groupId: DEFAULT_SG }), inventory: inventory(), fix: 'dedicated-sg' });

      it('captures the created group id and passes it to the later steps', () => {
        const p = plan();
        const script = renderScript(p, 'bash');
        assert.match(script, /NEW_GROUP_ID="\$\(aws ec2 create-security-group .* --query 'GroupId' --output text\)"/);
        const run = bash.run(script);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, [
          [...resolved(p.steps[0].cli, STUB_GROUP_ID), '--query', 'GroupId', '--output', 'text'],
          ...p.steps.slice(1).map((s) => resolved(s.cli, STUB_GROUP_ID)),
        ]);
      });

      it('backout on its own finds the created group by name and VPC', () => {
        const p = plan();
        const run = bash.run(renderScript(p, 'bash', 'backout'), [], { AWS_STUB_DESCRIBE: 'sg-0found0000000001' });
        assert.equal(run.status, 0, run.stderr);
        const filters = JSON.stringify([{ Name: 'group-name', Values: ['aurora-sg-orders-db'] }, { Name: 'vpc-id', Values: ['vpc-0abc1234'] }]);
        assert.deepEqual(run.calls, [
          ['ec2', 'describe-security-groups', '--filters', filters, '--query', 'SecurityGroups[0].GroupId', '--output', 'text', '--region', 'eu-west-1', '--profile', 'prod'],
          ...p.backout.map((s) => resolved(s.cli, 'sg-0found0000000001')),
        ]);
      });

      it('backout uses NEW_GROUP_ID when set, and stops with a clear error when the group cannot be found', () => {
        const p = plan();
        const given = bash.run(renderScript(p, 'bash'), ['backout'], { NEW_GROUP_ID: 'sg-0given0000000001' });
        assert.deepEqual(given.calls, p.backout.map((s) => resolved(s.cli, 'sg-0given0000000001')));
        const missing = bash.run(renderScript(p, 'bash', 'backout'), [], { AWS_STUB_DESCRIBE: 'None' });
        assert.notEqual(missing.status, 0);
        assert.match(missing.stderr, /Cannot find the id of the group aurora-sg-orders-db in vpc-0abc1234.*set NEW_GROUP_ID/);
        assert.equal(missing.calls.length, 1);
      });
    });

    it('keeps hostile explanations, titles and warnings inside comments', () => {
      const evil = `x\ntouch ${bash.trap('comment')}\r\ntouch ${bash.trap('comment')}\u2028touch ${bash.trap('comment')}`;
      const plan: Plan = {
        fix: 'revoke', findingId: evil, title: evil, summary: evil, target: { profile: evil }, warnings: [evil],
        steps: [{ explanation: evil, service: 'ec2', cli: ['aws', 'ec2', 'describe-security-groups'], sdkCommand: 'DescribeSecurityGroupsCommand', sdkInput: {}, mutating: false, preconditions: [] }],
        backout: [{ explanation: evil, service: 'ec2', cli: ['aws', 'ec2', 'describe-security-groups'], sdkCommand: 'DescribeSecurityGroupsCommand', sdkInput: {}, mutating: false, preconditions: [] }],
      };
      for (const only of [undefined, 'backout'] as const) {
        const script = renderScript(plan, 'bash', only);
        const run = bash.run(script);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, [['ec2', 'describe-security-groups']]);
        bash.assertNoTrapSprung(['comment']);
        for (const line of script.split('\n').filter((l) => l.includes('touch'))) assert.match(line, /^\s*#/);
      }
      for (const line of renderScript(plan, 'powershell').split('\n').filter((l) => l.includes('touch'))) assert.match(line, /^\s*#/);
    });
  });

  describe('PowerShell', () => {
    it('states its assumption, sets Standard argument passing and guards the backout behind -Part', () => {
      const p = buildPlan({ finding: finding('AURSG-007', { groupId: DEFAULT_SG }), inventory: inventory(), fix: 'dedicated-sg' });
      const script = renderScript(p, 'powershell');
      const lines = script.split('\n');
      assert.equal(lines[0], '#Requires -Version 7.3');
      assert.ok(lines.includes("$PSNativeCommandArgumentPassing = 'Standard'"));
      assert.match(script, /# Needs PowerShell 7\.3 or later/);
      assert.match(script, /\[string\] \$Part = 'remediation'/);
      assert.match(script, /'remediation' \{ Invoke-Remediation \}/);
      // Each step's command line is in the script as rendered, and reads back to the plan's argv.
      for (const step of [...p.steps.slice(1), ...p.backout]) {
        const line = renderCommandLine(step.cli, 'powershell');
        assert.ok(script.includes(line), line);
        assert.deepEqual(readPowerShellArgs(line, { NEW_GROUP_ID: 'sg-1' }), step.cli.map((a) => (typeof a === 'string' ? a : 'sg-1')));
      }
      assert.match(script, /\$NEW_GROUP_ID = \(aws ec2 create-security-group .* --query 'GroupId' --output text \| Out-String\)\.Trim\(\)/);
      assert.match(script, /\$NEW_GROUP_ID = \$env:NEW_GROUP_ID/);
      assert.match(script, /if \(\$LASTEXITCODE -ne 0\) \{ throw 'Step 2 of \d+ failed: aws exited with an error\.' \}/);
    });

    it('with only, has no -Part parameter', () => {
      const p = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'revoke' });
      const script = renderScript(p, 'powershell', 'backout');
      assert.ok(!script.includes('param('));
      assert.ok(script.includes(renderCommandLine(p.backout[0].cli, 'powershell')));
      assert.ok(!script.includes('revoke-security-group-ingress'));
    });
  });
});
