import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client, RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { computeBackoutSteps } from '../../../src/aws/backout';
import { ClientPool } from '../../../src/aws/clients';
import { runPlan } from '../../../src/aws/executor';
import { readRun } from '../../../src/aws/journal';
import type { Plan } from '../../../src/model/plan';
import type { Rule } from '../../../src/model/types';

// Made in before() and restored in after(), so other suites in the same run keep the real SDK.
const stubEc2 = () => mockClient(EC2Client);
let ec2: ReturnType<typeof stubEc2>;
const open: Rule = { groupId: 'sg-db', ruleId: 'sgr-1', direction: 'ingress', protocol: 'tcp', fromPort: 3306, toPort: 3306, source: { kind: 'cidr4', value: '0.0.0.0/0' }, description: 'old' };
const permission = { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'old' }] };

function plan(steps: Plan['steps']): Plan {
  return { fix: 'revoke', findingId: 'AURSG-001-x', title: 't', summary: 's', target: { profile: 'p', region: 'eu-west-1' }, steps, backout: [], warnings: [] };
}
const revoke: Plan['steps'][number] = {
  explanation: 'revoke', service: 'ec2', cli: ['aws', 'ec2', 'revoke-security-group-ingress'], sdkCommand: 'RevokeSecurityGroupIngressCommand',
  sdkInput: { GroupId: 'sg-db', SecurityGroupRuleIds: ['sgr-1'] }, mutating: true, preconditions: [{ kind: 'ruleExists', rule: open }],
};
const authorize: Plan['steps'][number] = {
  explanation: 'authorize', service: 'ec2', cli: ['aws', 'ec2', 'authorize-security-group-ingress'], sdkCommand: 'AuthorizeSecurityGroupIngressCommand',
  sdkInput: { GroupId: 'sg-db', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }, mutating: true,
  preconditions: [{ kind: 'ruleAbsent', rule: { ...open, ruleId: undefined, source: { kind: 'cidr4', value: '10.0.0.0/16' } } }],
};

describe('aws/executor: what the journal says when a call fails', () => {
  let pool: ClientPool;
  before(() => { ec2 = stubEc2(); });
  beforeEach(() => {
    ec2.reset();
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-db', GroupName: 'db', VpcId: 'vpc-1', IpPermissions: [permission] }] });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-1', GroupId: 'sg-db', IsEgress: false, IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, CidrIpv4: '0.0.0.0/0', Description: 'old' }] });
    pool = new ClientPool({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  });
  afterEach(async () => { await pool.dispose(); });
  after(() => ec2.restore());

  it('a call AWS refused is failed, and nothing is undone for it', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(Object.assign(new Error('You are not authorized'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403, attempts: 1 } }));
    const journalDir = mkdtempSync(path.join(tmpdir(), 'j-'));
    const result = await runPlan(plan([revoke]), { journalDir, pool, verify: false });
    assert.equal(result.status, 'failed');
    assert.match(result.message, /Access denied to ec2:RevokeSecurityGroupIngress/);
    const journal = await readRun(journalDir, result.journalId!);
    assert.equal(journal.steps[0]!.status, 'failed');
    assert.deepEqual(await computeBackoutSteps(journal, async () => undefined), []);
  });

  it('a call that got no answer stays "running" (outcome unknown) and its undo is conditional', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const journalDir = mkdtempSync(path.join(tmpdir(), 'j-'));
    const result = await runPlan(plan([revoke]), { journalDir, pool, verify: false, maxAttempts: 1 });
    assert.equal(result.status, 'failed');
    assert.match(result.message, /Outcome unknown/);
    const journal = await readRun(journalDir, result.journalId!);
    assert.equal(journal.steps[0]!.status, 'running');
    const undo = await computeBackoutSteps(journal, async () => undefined);
    assert.equal(undo.length, 1);
    assert.equal(undo[0]!.tolerant, true);
    assert.deepEqual(undo[0]!.sdkInput.IpPermissions, [permission], 'the exact old rule, description included');
  });

  it('a retry that finds its own first attempt done counts as done', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(Object.assign(new Error('the specified rule already exists'), { name: 'InvalidPermission.Duplicate', $metadata: { httpStatusCode: 400, attempts: 2 } }));
    const result = await runPlan(plan([authorize]), { journalDir: mkdtempSync(path.join(tmpdir(), 'j-')), pool, verify: false });
    assert.equal(result.status, 'completed');
    assert.match(result.steps[0]!.message!, /earlier attempt/);
  });

  it('a check afterwards that cannot be made is a failed verification, and the run keeps its journal id for the backout', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const rds = mockClient(RDSClient);
    rds.on(DescribeDBClustersCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, attempts: 1 } }));
    const journalDir = mkdtempSync(path.join(tmpdir(), 'j-'));
    try {
      const result = await runPlan(plan([revoke]), { journalDir, pool });
      assert.equal(result.status, 'completed');
      assert.ok(result.journalId);
      assert.equal(result.verification?.ok, false);
      assert.match(result.verification!.message, /could not be made: Access denied to rds:DescribeDBClusters/);
      assert.deepEqual((await readRun(journalDir, result.journalId)).verification, result.verification);
    } finally {
      rds.restore();
    }
  });

  it('refuses a plan step that is not on the allow-list', async () => {
    const evil = { ...revoke, sdkCommand: 'TerminateInstancesCommand' };
    await assert.rejects(runPlan(plan([evil]), { journalDir: mkdtempSync(path.join(tmpdir(), 'j-')), pool }), /ec2:TerminateInstancesCommand, which aurora-sg does not run/);
  });
});
