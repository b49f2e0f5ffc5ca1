// A member account's plan: its script assumes the role first (explicit `aws sts assume-role`
// from the organization profile), every step then runs on the role's temporary keys with no
// --profile, and each part assumes the role on its own. Hostile values cannot get through.

import { strict as assert } from 'node:assert';
import type { AssumedRole } from '../../../src/model/types';
import { buildPlan, PlanError, renderMarkdown, renderScript } from '../../../src/remediation';
import { MAIN_SG, finding, inventory, openToWorld } from './fixtures';
import { BashHarness, STUB_ROLE_KEYS, hostileValues } from './shellHarness';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/OrganizationAccountAccessRole';

function memberPlan(role: Partial<AssumedRole> = {}, fix: 'revoke' | 'dedicated-sg' = 'revoke') {
  const inv = inventory();
  delete inv.target.profile;
  inv.target.accountName = 'Payments';
  inv.target.assumedRole = { roleArn: ROLE_ARN, sessionName: 'aurora-sg', sourceProfile: 'org-admin', ...role };
  const f = finding('AURSG-001', { rule: openToWorld, groupId: MAIN_SG }, inv);
  return buildPlan({ finding: f, inventory: inv, fix, ...(fix === 'dedicated-sg' ? { allow: ['10.30.0.0/16'] } : {}) });
}

describe('scripts for a member account of an organization', function () {
  this.timeout(60_000);
  let bash: BashHarness;
  before(() => { bash = new BashHarness(); });
  after(() => bash.dispose());

  it('the plan runs under the role and names no profile; the script assumes it first and every step runs on its keys', () => {
    const plan = memberPlan();
    assert.equal(plan.target.profile, undefined);
    assert.equal(plan.target.assumedRole?.roleArn, ROLE_ARN);
    assert.ok(plan.steps.every((s) => !s.cli.includes('--profile')));
    const run = bash.run(renderScript(plan, 'bash'), [], { AWS_PROFILE: 'someone-else' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.calls[0], [
      'sts', 'assume-role', '--role-arn', ROLE_ARN, '--role-session-name', 'aurora-sg', '--duration-seconds', '3600',
      '--query', 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]', '--output', 'text', '--region', 'us-east-1', '--profile', 'org-admin',
    ]);
    assert.deepEqual(run.calls.slice(1), plan.steps.map((s) => s.cli.slice(1)));
    assert.equal(run.sessionTokens[0], '', 'the assume-role call runs on the organization profile');
    assert.deepEqual(run.sessionTokens.slice(1), plan.steps.map(() => STUB_ROLE_KEYS[2]), 'each step runs on the role\'s session');
  });

  it('the backout part assumes the role on its own (it may run hours later), with the ExternalId', () => {
    const plan = memberPlan({ externalId: 'aurora-audit-7' });
    const run = bash.run(renderScript(plan, 'bash'), ['backout']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.calls[0]![1], 'assume-role');
    assert.deepEqual(run.calls[0]!.slice(run.calls[0]!.indexOf('--external-id'), run.calls[0]!.indexOf('--external-id') + 2), ['--external-id', 'aurora-audit-7']);
    assert.equal(run.calls.length, plan.backout.length + 1);
  });

  it('from the environment\'s credentials, assume-role names no profile either', () => {
    const role: Partial<AssumedRole> = { sourceProfile: undefined };
    const plan = memberPlan(role);
    const run = bash.run(renderScript(plan, 'bash', 'remediation'));
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.calls.flat().includes('--profile'));
  });

  it('a hostile source profile is quoted; an ExternalId, ARN or session name AWS would refuse never reaches a command', () => {
    const { values, traps } = hostileValues((n) => bash.trap(n));
    const hostile = values.find((v) => v.includes('$(touch'))!;
    const plan = memberPlan({ sourceProfile: `org ${hostile}` });
    const run = bash.run(renderScript(plan, 'bash'));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.calls[0]!.at(-1), `org ${hostile}`);
    bash.assertNoTrapSprung(traps);
    assert.throws(() => memberPlan({ externalId: `x; touch ${bash.trap('semi')}` }), PlanError);
    assert.throws(() => memberPlan({ roleArn: 'arn:aws:iam::123456789012:role/x $(id)' }), /not an IAM role ARN/);
    assert.throws(() => memberPlan({ roleArn: 'arn:aws:iam::999999999999:role/OrganizationAccountAccessRole' }), /in account 999999999999, but the finding is in account 123456789012/);
    assert.throws(() => memberPlan({ sessionName: 'aurora sg' }), /session name/);
  });

  it('PowerShell assumes the role with ConvertFrom-Json and sets the keys for the steps; Markdown shows the assume-role step', () => {
    const plan = memberPlan();
    const script = renderScript(plan, 'powershell');
    const assumeAt = script.indexOf("aws sts assume-role --role-arn 'arn:aws:iam::123456789012:role/OrganizationAccountAccessRole'");
    assert.ok(assumeAt > 0);
    assert.ok(script.indexOf('$env:AWS_SESSION_TOKEN = $AuroraSgCredentials.SessionToken') > assumeAt);
    assert.ok(script.indexOf('ConvertFrom-Json') > assumeAt);
    assert.equal(script.split('sts assume-role').length - 1, 2, 'once per part');
    const markdown = renderMarkdown(plan);
    assert.match(markdown, /account Payments \(123456789012\) under the role arn:aws:iam::123456789012:role\/OrganizationAccountAccessRole, assumed from profile org-admin/);
    assert.match(markdown, /aws sts assume-role/);
  });

  it('a plan that creates a group (dedicated-sg) still captures the new id after assuming the role', () => {
    const plan = memberPlan({}, 'dedicated-sg');
    const run = bash.run(renderScript(plan, 'bash'));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.calls[0]![1], 'assume-role');
    assert.ok(run.calls.some((c) => c.includes('create-security-group')));
  });
});
