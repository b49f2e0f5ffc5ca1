import * as assert from 'node:assert/strict';
import { computeBackoutSteps } from '../../../src/aws/backout';
import type { JournalRun, JournalStep } from '../../../src/aws/journal';
import type { StateSnapshot } from '../../../src/aws/state';

const before: StateSnapshot = {
  securityGroups: [{
    GroupId: 'sg-db', GroupName: 'db', VpcId: 'vpc-1',
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary; "quoted" $(x)' }] }],
  }],
  securityGroupRules: [{ SecurityGroupRuleId: 'sgr-old', GroupId: 'sg-db', IsEgress: false, IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, CidrIpv4: '0.0.0.0/0', Description: 'temporary; "quoted" $(x)' }],
  dbClusters: [{ DBClusterIdentifier: 'orders', VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-db', Status: 'active' }] }],
  dbInstances: [{ DBInstanceIdentifier: 'orders-1', PubliclyAccessible: true }],
};

function run(steps: Partial<JournalStep>[]): JournalRun {
  return {
    version: 1, id: 'r1', kind: 'run', createdAt: '', updatedAt: '', status: 'failed', profile: 'p', region: 'eu-west-1',
    plan: { fix: 'dedicated-sg', findingId: 'f', title: 't', summary: '', target: {}, steps: [], backout: [], warnings: [] },
    before,
    steps: steps.map((s, index) => ({ index, explanation: '', service: 'ec2', sdkCommand: '', cli: [], mutating: true, status: 'done', ...s })),
    produced: {},
  };
}

const noLookup = async () => undefined;

describe('aws/backout: the reverse of a run, from its journal', () => {
  it('restores a revoked rule exactly, description included, from the state before', async () => {
    const steps = await computeBackoutSteps(run([{ sdkCommand: 'RevokeSecurityGroupIngressCommand', input: { GroupId: 'sg-db', SecurityGroupRuleIds: ['sgr-old'] } }]), noLookup);
    assert.equal(steps.length, 1);
    assert.equal(steps[0]!.sdkCommand, 'AuthorizeSecurityGroupIngressCommand');
    assert.deepEqual(steps[0]!.sdkInput, { GroupId: 'sg-db', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary; "quoted" $(x)' }] }] });
    assert.equal(steps[0]!.preconditions[0]!.kind, 'ruleAbsent');
  });

  it('undoes the dedicated-group fix newest first with the real ids the run recorded', async () => {
    const steps = await computeBackoutSteps(run([
      { sdkCommand: 'CreateSecurityGroupCommand', input: { GroupName: 'aurora-sg-orders', VpcId: 'vpc-1', Description: 'd' }, result: { GroupId: 'sg-new' } },
      { sdkCommand: 'AuthorizeSecurityGroupIngressCommand', input: { GroupId: 'sg-new', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }] }, result: { SecurityGroupRuleIds: ['sgr-new'] } },
      { service: 'rds', sdkCommand: 'ModifyDBClusterCommand', input: { DBClusterIdentifier: 'orders', VpcSecurityGroupIds: ['sg-new'], ApplyImmediately: true } },
    ]), noLookup);
    assert.deepEqual(steps.map((s) => s.sdkCommand), ['ModifyDBClusterCommand', 'RevokeSecurityGroupIngressCommand', 'DeleteSecurityGroupCommand']);
    assert.deepEqual(steps[0]!.sdkInput.VpcSecurityGroupIds, ['sg-db']);
    assert.deepEqual(steps[0]!.preconditions, [{ kind: 'clusterGroups', clusterId: 'orders', groupIds: ['sg-new'] }]);
    assert.deepEqual(steps[1]!.sdkInput, { GroupId: 'sg-new', SecurityGroupRuleIds: ['sgr-new'] });
    assert.deepEqual(steps[2]!.sdkInput, { GroupId: 'sg-new' });
    assert.ok(steps[0]!.cli.includes('--apply-immediately'));
  });

  it('skips steps that never ran, and undoes a step cut off mid-call only if it took effect', async () => {
    const lookups: string[] = [];
    const steps = await computeBackoutSteps(run([
      { sdkCommand: 'CreateSecurityGroupCommand', input: { GroupName: 'aurora-sg-orders', VpcId: 'vpc-1' }, status: 'running' },
      { sdkCommand: 'AuthorizeSecurityGroupIngressCommand', input: { GroupId: 'sg-x' }, status: 'pending' },
    ]), async (name, vpc) => { lookups.push(`${name}@${vpc}`); return 'sg-found'; });
    assert.deepEqual(lookups, ['aurora-sg-orders@vpc-1']);
    assert.deepEqual(steps.map((s) => [s.sdkCommand, s.sdkInput.GroupId]), [['DeleteSecurityGroupCommand', 'sg-found']]);

    const none = await computeBackoutSteps(run([{ sdkCommand: 'CreateSecurityGroupCommand', input: { GroupName: 'n', VpcId: 'vpc-1' }, status: 'running' }]), noLookup);
    assert.equal(none.length, 0, 'the group was never created: nothing to delete');

    const uncertain = await computeBackoutSteps(run([{ sdkCommand: 'RevokeSecurityGroupIngressCommand', input: { GroupId: 'sg-db', SecurityGroupRuleIds: ['sgr-old'] }, status: 'running' }]), noLookup);
    assert.equal(uncertain[0]!.tolerant, true, 'an unknown outcome is undone only if the rule is really gone');
  });

  it('puts an instance back to its old public setting', async () => {
    const steps = await computeBackoutSteps(run([{ service: 'rds', sdkCommand: 'ModifyDBInstanceCommand', input: { DBInstanceIdentifier: 'orders-1', PubliclyAccessible: false, ApplyImmediately: true } }]), noLookup);
    assert.deepEqual(steps[0]!.sdkInput, { DBInstanceIdentifier: 'orders-1', PubliclyAccessible: true, ApplyImmediately: true });
    assert.deepEqual(steps[0]!.preconditions, [{ kind: 'instancePublic', instanceId: 'orders-1', publiclyAccessible: false }]);
  });

  it('refuses to pretend a deleted group can come back', async () => {
    await assert.rejects(computeBackoutSteps(run([{ sdkCommand: 'DeleteSecurityGroupCommand', input: { GroupId: 'sg-db' } }]), noLookup), /cannot be brought back/);
  });
});
