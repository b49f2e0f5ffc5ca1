import * as assert from 'node:assert/strict';
import { checkPreconditions, queryFor } from '../../../src/aws/preconditions';
import type { Precondition } from '../../../src/model/plan';
import type { Rule } from '../../../src/model/types';
import type { StateSnapshot } from '../../../src/aws/state';

const open: Rule = { groupId: 'sg-db', direction: 'ingress', protocol: 'tcp', fromPort: 5432, toPort: 5432, source: { kind: 'cidr4', value: '0.0.0.0/0' } };
const state: StateSnapshot = {
  securityGroups: [{ GroupId: 'sg-db', GroupName: 'db', VpcId: 'vpc-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }],
  securityGroupRules: [],
  dbClusters: [{ DBClusterIdentifier: 'c1', VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-db', Status: 'active' }, { VpcSecurityGroupId: 'sg-old', Status: 'inactive' }] }],
  dbInstances: [{ DBInstanceIdentifier: 'i1', PubliclyAccessible: true }],
};

describe('aws/preconditions: drift is named exactly', () => {
  it('passes when the account is as the plan assumed', () => {
    const all: Precondition[] = [
      { kind: 'ruleExists', rule: open },
      { kind: 'ruleAbsent', rule: { ...open, source: { kind: 'cidr4', value: '10.0.0.0/16' } } },
      { kind: 'clusterGroups', clusterId: 'c1', groupIds: ['sg-db'] },
      { kind: 'instancePublic', instanceId: 'i1', publiclyAccessible: true },
      { kind: 'groupAbsent', groupName: 'aurora-sg-c1', vpcId: 'vpc-1' },
    ];
    assert.deepEqual(checkPreconditions(all, state), []);
    assert.deepEqual(queryFor(all), { groupIds: ['sg-db', 'sg-db'], clusterIds: ['c1'], instanceIds: ['i1'], groupNames: [{ groupName: 'aurora-sg-c1', vpcId: 'vpc-1' }] });
  });

  it('says what changed for each kind', () => {
    const problems = checkPreconditions([
      { kind: 'ruleExists', rule: { ...open, fromPort: 3306, toPort: 3306 } },
      { kind: 'ruleAbsent', rule: open },
      { kind: 'clusterGroups', clusterId: 'c1', groupIds: ['sg-db', 'sg-app'] },
      { kind: 'instancePublic', instanceId: 'i1', publiclyAccessible: false },
      { kind: 'groupAbsent', groupName: 'db', vpcId: 'vpc-1' },
      { kind: 'ruleExists', rule: { ...open, groupId: 'sg-gone' } },
    ], state);
    assert.deepEqual(problems, [
      'The rule tcp 3306 from 0.0.0.0/0 (ingress) is no longer on sg-db: it was revoked or changed since the plan was made.',
      'The rule tcp 5432 from 0.0.0.0/0 (ingress) is already on sg-db: it was added since the plan was made.',
      'Cluster c1 now uses security groups [sg-db]; the plan expected [sg-db, sg-app].',
      'Instance i1 is now publicly accessible; the plan expected it private.',
      'A security group named "db" already exists in vpc-1 (sg-db).',
      'Security group sg-gone no longer exists.',
    ]);
  });
});
