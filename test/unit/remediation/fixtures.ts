// A small account for plan tests: one Aurora MySQL cluster whose groups hold every kind of
// rule the fixes deal with.

import type { Finding, Inventory, Rule, RuleId, SecurityGroup } from '../../../src/model/types';
import { createEmptyInventory } from '../../../src/model/types';

export const CLUSTER = 'orders-db';
export const VPC = 'vpc-0abc1234';
export const MAIN_SG = 'sg-0aaa1111';
export const MONITORING_SG = 'sg-0bbb3333';
export const DEFAULT_SG = 'sg-0def4444';

export const openToWorld: Rule = {
  groupId: MAIN_SG, ruleId: 'sgr-0000000000000001', direction: 'ingress', protocol: 'tcp', fromPort: 3306, toPort: 3306,
  source: { kind: 'cidr4', value: '0.0.0.0/0' }, description: 'temporary: "debug" access; don\'t keep',
};
export const fromApps: Rule = {
  groupId: MAIN_SG, ruleId: 'sgr-0000000000000002', direction: 'ingress', protocol: 'tcp', fromPort: 3306, toPort: 3306,
  source: { kind: 'group', value: 'sg-0app2222', ownerId: '123456789012' }, description: 'app servers',
};
export const fromOfficeVpn: Rule = {
  groupId: MAIN_SG, direction: 'ingress', protocol: 'tcp', fromPort: 3306, toPort: 3306,
  source: { kind: 'cidr4', value: '10.20.0.0/16' }, description: 'office vpn',
};
export const publicRange: Rule = {
  groupId: MAIN_SG, direction: 'ingress', protocol: 'tcp', fromPort: 3300, toPort: 3310,
  source: { kind: 'cidr4', value: '203.0.113.0/24' },
};
export const allEgress: Rule = {
  groupId: MAIN_SG, ruleId: 'sgr-00000000000000e1', direction: 'egress', protocol: 'all', source: { kind: 'cidr4', value: '0.0.0.0/0' },
};

export function inventory(): Inventory {
  const inv = createEmptyInventory({ kind: 'live', label: 'prod / eu-west-1', profile: 'prod', region: 'eu-west-1', accountId: '123456789012' });
  const groups: SecurityGroup[] = [
    { groupId: MAIN_SG, groupName: 'orders-db-sg', description: 'orders database', vpcId: VPC, rules: [openToWorld, fromApps, fromOfficeVpn, publicRange, allEgress].map((r) => ({ ...r })) },
    {
      groupId: MONITORING_SG, groupName: 'monitoring', description: 'node exporter', vpcId: VPC,
      rules: [{ groupId: MONITORING_SG, direction: 'ingress', protocol: 'tcp', fromPort: 9100, toPort: 9100, source: { kind: 'cidr4', value: '10.20.5.0/24' } }],
    },
    {
      groupId: DEFAULT_SG, groupName: 'default', description: 'default VPC security group', vpcId: VPC,
      rules: [{ groupId: DEFAULT_SG, direction: 'ingress', protocol: 'all', source: { kind: 'group', value: DEFAULT_SG } }],
    },
  ];
  inv.securityGroups = groups;
  inv.clusters = [{
    clusterId: CLUSTER, engine: 'aurora-mysql', status: 'available', port: 3306, vpcId: VPC,
    securityGroupIds: [MAIN_SG, MONITORING_SG, DEFAULT_SG], memberInstanceIds: ['orders-db-1', 'orders-db-2'],
  }];
  inv.instances = [
    { instanceId: 'orders-db-1', clusterId: CLUSTER, engine: 'aurora-mysql', status: 'available', publiclyAccessible: true, subnetIds: [], securityGroupIds: [MAIN_SG, MONITORING_SG, DEFAULT_SG] },
    { instanceId: 'orders-db-2', clusterId: CLUSTER, engine: 'aurora-mysql', status: 'available', publiclyAccessible: false, subnetIds: [], securityGroupIds: [MAIN_SG, MONITORING_SG, DEFAULT_SG] },
  ];
  inv.vpcs = [{ vpcId: VPC, cidrBlocks: ['10.20.0.0/16'], ipv6CidrBlocks: ['2001:db8:1234:1a00::/56'] }];
  inv.coverage.vpcs = true;
  return inv;
}

export function finding(ruleId: RuleId, parts: Partial<Finding> = {}, inv: Inventory = inventory()): Finding {
  return {
    id: `finding-${ruleId}`,
    ruleId,
    severity: 'critical',
    title: `${ruleId} test finding`,
    message: 'test',
    target: { kind: inv.target.kind, label: inv.target.label, profile: inv.target.profile, region: inv.target.region, accountId: inv.target.accountId },
    clusterId: CLUSTER,
    fixes: [],
    ...parts,
  };
}
