import { strict as assert } from 'node:assert';
import { applicableFixes, applySteps, buildPlan, PlanError, ruleSetSignature, simulateAccount } from '../../../src/remediation';
import {
  allEgress, CLUSTER, DEFAULT_SG, finding, fromApps, fromOfficeVpn, inventory, MAIN_SG, MONITORING_SG, openToWorld, publicRange, VPC,
} from './fixtures';

const TARGET = ['--region', 'eu-west-1', '--profile', 'prod'];

describe('remediation plans', () => {
  describe('revoke', () => {
    it('revokes by sgr id and restores the exact old rule, description included', () => {
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld, groupId: MAIN_SG }), inventory: inventory(), fix: 'revoke' });
      assert.equal(plan.steps.length, 1);
      const [step] = plan.steps;
      assert.deepEqual(step.cli, ['aws', 'ec2', 'revoke-security-group-ingress', '--group-id', MAIN_SG, '--security-group-rule-ids', 'sgr-0000000000000001', ...TARGET]);
      assert.equal(step.sdkCommand, 'RevokeSecurityGroupIngressCommand');
      assert.deepEqual(step.sdkInput, { GroupId: MAIN_SG, SecurityGroupRuleIds: ['sgr-0000000000000001'] });
      assert.equal(step.mutating, true);
      assert.deepEqual(step.preconditions, [{ kind: 'ruleExists', rule: openToWorld }]);
      assert.match(step.explanation, /0\.0\.0\.0\/0/);

      assert.equal(plan.backout.length, 1);
      const [undo] = plan.backout;
      const permissions = [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary: "debug" access; don\'t keep' }] }];
      assert.deepEqual(undo.cli, ['aws', 'ec2', 'authorize-security-group-ingress', '--group-id', MAIN_SG, '--ip-permissions', JSON.stringify(permissions), ...TARGET]);
      assert.equal(undo.sdkCommand, 'AuthorizeSecurityGroupIngressCommand');
      assert.deepEqual(undo.sdkInput, { GroupId: MAIN_SG, IpPermissions: permissions });
      assert.equal(undo.preconditions[0].kind, 'ruleAbsent');
      assert.deepEqual(plan.target, { profile: 'prod', region: 'eu-west-1', accountId: '123456789012' });
    });

    it('revokes by the exact permission (no description) when no sgr id is known', () => {
      const plan = buildPlan({ finding: finding('AURSG-003', { rule: publicRange }), inventory: inventory(), fix: 'revoke' });
      const permissions = [{ IpProtocol: 'tcp', FromPort: 3300, ToPort: 3310, IpRanges: [{ CidrIp: '203.0.113.0/24' }] }];
      assert.deepEqual(plan.steps[0].cli, ['aws', 'ec2', 'revoke-security-group-ingress', '--group-id', MAIN_SG, '--ip-permissions', JSON.stringify(permissions), ...TARGET]);
      assert.deepEqual(plan.steps[0].sdkInput, { GroupId: MAIN_SG, IpPermissions: permissions });
      assert.ok(plan.warnings.some((w) => /describe-security-group-rules/.test(w)));
    });

    it('keeps group pairs, owners and descriptions in the restored rule', () => {
      const plan = buildPlan({ finding: finding('AURSG-006', { rule: fromApps }), inventory: inventory(), fix: 'revoke' });
      assert.deepEqual(plan.backout[0].sdkInput, {
        GroupId: MAIN_SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: 'sg-0app2222', UserId: '123456789012', Description: 'app servers' }] }],
      });
    });

    it('revokes every rule that makes the finding together, and restores them in reverse order', () => {
      const low = { ...publicRange, fromPort: 3306, toPort: 3306, source: { kind: 'cidr4' as const, value: '0.0.0.0/1' } };
      const high = { ...low, source: { kind: 'cidr4' as const, value: '128.0.0.0/1' } };
      const inv = inventory();
      inv.securityGroups[0].rules.push(low, high);
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: low, relatedRules: [high, low] }), inventory: inv, fix: 'revoke' });
      assert.deepEqual(plan.steps.map((s) => (s.sdkInput.IpPermissions as { IpRanges: { CidrIp: string }[] }[])[0].IpRanges[0].CidrIp), ['0.0.0.0/1', '128.0.0.0/1']);
      assert.deepEqual(plan.backout.map((s) => (s.sdkInput.IpPermissions as { IpRanges: { CidrIp: string }[] }[])[0].IpRanges[0].CidrIp), ['128.0.0.0/1', '0.0.0.0/1']);
    });

    it('leaves out --region and --profile when the target has none', () => {
      const inv = inventory();
      inv.target = { kind: 'evidence', label: 'samples', path: '/x' };
      const f = finding('AURSG-001', { rule: openToWorld }, inv);
      const plan = buildPlan({ finding: f, inventory: inv, fix: 'revoke' });
      assert.ok(!plan.steps[0].cli.includes('--region') && !plan.steps[0].cli.includes('--profile'));
    });
  });

  describe('restrict', () => {
    it('authorizes each allowed source on the DB port before revoking, and backs out in reverse', () => {
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['10.30.0.0/16', 'sg-0cafe555'] });
      assert.deepEqual(plan.steps.map((s) => s.sdkCommand), ['AuthorizeSecurityGroupIngressCommand', 'AuthorizeSecurityGroupIngressCommand', 'RevokeSecurityGroupIngressCommand']);
      assert.deepEqual(plan.steps[0].sdkInput, {
        GroupId: MAIN_SG,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.30.0.0/16', Description: 'Approved source for the database port, added by aurora-sg (restrict)' }] }],
      });
      assert.deepEqual((plan.steps[1].sdkInput.IpPermissions as { UserIdGroupPairs: unknown[] }[])[0].UserIdGroupPairs, [{ GroupId: 'sg-0cafe555', Description: 'Approved source for the database port, added by aurora-sg (restrict)' }]);
      assert.deepEqual(plan.steps[2].sdkInput, { GroupId: MAIN_SG, SecurityGroupRuleIds: ['sgr-0000000000000001'] });
      assert.deepEqual(plan.steps[0].preconditions.map((p) => p.kind), ['ruleAbsent']);

      assert.deepEqual(plan.backout.map((s) => s.sdkCommand), ['AuthorizeSecurityGroupIngressCommand', 'RevokeSecurityGroupIngressCommand', 'RevokeSecurityGroupIngressCommand']);
      assert.equal((plan.backout[0].sdkInput.IpPermissions as { IpRanges: { CidrIp: string }[] }[])[0].IpRanges[0].CidrIp, '0.0.0.0/0');
      // New rules have no sgr id yet at plan time: they are revoked by their properties, the last added first.
      assert.equal((plan.backout[1].sdkInput.IpPermissions as { UserIdGroupPairs: { GroupId: string }[] }[])[0].UserIdGroupPairs[0].GroupId, 'sg-0cafe555');
      assert.equal((plan.backout[2].sdkInput.IpPermissions as { IpRanges: { CidrIp: string }[] }[])[0].IpRanges[0].CidrIp, '10.30.0.0/16');
    });

    it('uses the approved sources from the settings when --allow is not given', () => {
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', settings: { approvedSources: ['10.40.0.0/16'] } });
      assert.equal((plan.steps[0].sdkInput.IpPermissions as { IpRanges: { CidrIp: string }[] }[])[0].IpRanges[0].CidrIp, '10.40.0.0/16');
    });

    it('says to pass --allow when there is nothing to allow', () => {
      assert.throws(() => buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict' }),
        (e: unknown) => e instanceof PlanError && /--allow/.test(e.message));
    });

    it('rejects an --allow value that is not a source, naming it, and one that means anywhere', () => {
      assert.throws(() => buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['banana'] }),
        (e: unknown) => e instanceof PlanError && /"banana"/.test(e.message));
      assert.throws(() => buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['::/0'] }),
        (e: unknown) => e instanceof PlanError && /anywhere/.test(e.message));
    });

    it('writes an --allow CIDR with host bits as the network AWS stores, and says so', () => {
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['10.30.1.7/16', '192.0.2.10'] });
      const cidrs = plan.steps.slice(0, 2).map((s) => (s.sdkInput.IpPermissions as { IpRanges: { CidrIp: string }[] }[])[0].IpRanges[0].CidrIp);
      assert.deepEqual(cidrs, ['10.30.0.0/16', '192.0.2.10/32']);
      assert.ok(plan.warnings.some((w) => w.includes('10.30.0.0/16')));
    });

    it('takes a bare IPv6 address as one host and writes an IPv6 CIDR in the form AWS stores', () => {
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['2001:DB8:0::7', '2001:db8:1::9/48'] });
      const cidrs = plan.steps.slice(0, 2).map((s) => (s.sdkInput.IpPermissions as { Ipv6Ranges: { CidrIpv6: string }[] }[])[0].Ipv6Ranges[0].CidrIpv6);
      assert.deepEqual(cidrs, ['2001:db8::7/128', '2001:db8:1::/48']);
    });

    it('skips a source the group already allows on the port', () => {
      const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', allow: ['10.20.0.0/16'] });
      assert.deepEqual(plan.steps.map((s) => s.sdkCommand), ['RevokeSecurityGroupIngressCommand']);
      assert.ok(plan.warnings.some((w) => /already allows 10\.20\.0\.0\/16/.test(w)));
    });

    it('narrows an AURSG-005 port range to the DB port for the same source when nothing else is given', () => {
      const wide = { ...fromOfficeVpn, fromPort: 3000, toPort: 4000, source: { kind: 'cidr4' as const, value: '10.21.0.0/16' } };
      const inv = inventory();
      inv.securityGroups[0].rules.push(wide);
      const plan = buildPlan({ finding: finding('AURSG-005', { rule: wide }), inventory: inv, fix: 'restrict' });
      assert.deepEqual(plan.steps[0].sdkInput.IpPermissions, [{ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.21.0.0/16', Description: 'Approved source for the database port, added by aurora-sg (restrict)' }] }]);
      const account = simulateAccount(inv);
      applySteps(account, plan.steps);
      applySteps(account, plan.backout);
      assert.deepEqual(ruleSetSignature(account.groups.get(MAIN_SG)!.rules), ruleSetSignature(inv.securityGroups[0].rules));
    });

    it('does not narrow an AURSG-005 rule open to anywhere, however the /0 is spelled: it asks for sources', () => {
      for (const source of [{ kind: 'cidr4' as const, value: '0.0.0.0/0' }, { kind: 'cidr6' as const, value: '0:0::0/0' }]) {
        const wide = { ...fromOfficeVpn, fromPort: 3000, toPort: 4000, source };
        const inv = inventory();
        inv.securityGroups[0].rules.push(wide);
        assert.throws(() => buildPlan({ finding: finding('AURSG-005', { rule: wide }), inventory: inv, fix: 'restrict' }),
          (e: unknown) => e instanceof PlanError && /--allow/.test(e.message), source.value);
      }
    });

    it('uses every configured DB port the rule reaches when the finding has no cluster', () => {
      const inv = inventory();
      inv.clusters = [];
      const wide = { ...publicRange, fromPort: 0, toPort: 65535 };
      inv.securityGroups[0].rules.push(wide);
      const plan = buildPlan({ finding: finding('AURSG-003', { rule: wide, clusterId: undefined }, inv), inventory: inv, fix: 'restrict', allow: ['10.30.0.0/16'] });
      assert.deepEqual(plan.steps.slice(0, 2).map((s) => (s.sdkInput.IpPermissions as { FromPort: number }[])[0].FromPort), [3306, 5432]);
    });

    it('takes partial settings (an extension setting left unset) with the defaults filled in', () => {
      const settings = { approvedSources: undefined, broadCidrThresholds: { ipv4: 8 } } as never;
      assert.throws(() => buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }), inventory: inventory(), fix: 'restrict', settings }),
        (e: unknown) => e instanceof PlanError && /--allow/.test(e.message));
      const plan = buildPlan({ finding: finding('AURSG-007', { groupId: DEFAULT_SG }), inventory: inventory(), fix: 'dedicated-sg', settings });
      assert.ok(plan.steps.some((s) => JSON.stringify(s.sdkInput).includes('10.20.0.0/16')), 'a /16 is narrower than the /8 threshold: carried over');
    });

    it('refuses, naming the rule in words, when a rule without a cluster reaches no database port', () => {
      const inv = inventory();
      inv.clusters = [];
      const ssh = { ...publicRange, fromPort: 22, toPort: 22 };
      inv.securityGroups[0].rules.push(ssh);
      assert.throws(() => buildPlan({ finding: finding('AURSG-003', { rule: ssh, clusterId: undefined }, inv), inventory: inv, fix: 'restrict', allow: ['10.30.0.0/16'] }),
        (e: unknown) => e instanceof PlanError && e.message.includes(`ingress tcp 22 from 203.0.113.0/24 on ${MAIN_SG}`) && e.message.includes('3306, 5432'));
    });
  });

  describe('dedicated-sg', () => {
    const plan = () => buildPlan({ finding: finding('AURSG-007', { groupId: DEFAULT_SG }), inventory: inventory(), fix: 'dedicated-sg', allow: ['10.99.0.0/16'] });

    it('creates the group in the cluster VPC and names its id for later steps', () => {
      const [create] = plan().steps;
      assert.deepEqual(create.cli, ['aws', 'ec2', 'create-security-group', '--group-name', 'aurora-sg-orders-db', '--description', `Dedicated security group for Aurora cluster ${CLUSTER}, created by aurora-sg`, '--vpc-id', VPC, ...TARGET]);
      assert.equal(create.sdkCommand, 'CreateSecurityGroupCommand');
      assert.deepEqual(create.sdkInput, { GroupName: 'aurora-sg-orders-db', Description: `Dedicated security group for Aurora cluster ${CLUSTER}, created by aurora-sg`, VpcId: VPC });
      assert.deepEqual(create.produces, { ref: 'NEW_GROUP_ID', from: 'GroupId' });
      assert.deepEqual(create.preconditions, [{ kind: 'groupAbsent', groupName: 'aurora-sg-orders-db', vpcId: VPC }]);
    });

    it('allows the approved source and the safe existing DB-port sources, descriptions kept, not the risky ones', () => {
      const p = plan();
      const authorizes = p.steps.filter((s) => s.sdkCommand === 'AuthorizeSecurityGroupIngressCommand');
      for (const step of authorizes) {
        assert.deepEqual(step.sdkInput.GroupId, { ref: 'NEW_GROUP_ID' });
        assert.deepEqual(step.cli.slice(0, 5), ['aws', 'ec2', 'authorize-security-group-ingress', '--group-id', { ref: 'NEW_GROUP_ID' }]);
      }
      const permissions = authorizes.map((s) => (s.sdkInput.IpPermissions as unknown[])[0]);
      assert.deepEqual(permissions, [
        { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.99.0.0/16', Description: 'Approved source, added by aurora-sg (dedicated-sg)' }] },
        { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: 'sg-0app2222', UserId: '123456789012', Description: 'app servers' }] },
        { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '10.20.0.0/16', Description: 'office vpn' }] },
        { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, UserIdGroupPairs: [{ GroupId: DEFAULT_SG, Description: `Carried over from ${DEFAULT_SG} by aurora-sg` }] },
      ]);
      assert.ok(p.warnings.some((w) => w.includes('0.0.0.0/0') && /anywhere/.test(w)));
      assert.ok(p.warnings.some((w) => w.includes('203.0.113.0/24') && /public/.test(w)));
    });

    it('does not carry over a special-use source (loopback), and says what it is', () => {
      const inv = inventory();
      inv.securityGroups[0].rules.push({ ...fromOfficeVpn, source: { kind: 'cidr4', value: '127.0.0.0/8' }, description: 'loopback' });
      const p = buildPlan({ finding: finding('AURSG-007', { groupId: DEFAULT_SG }), inventory: inv, fix: 'dedicated-sg', allow: ['10.99.0.0/16'] });
      assert.ok(!JSON.stringify(p.steps).includes('127.0.0.0/8'));
      assert.ok(p.warnings.some((w) => w.includes('127.0.0.0/8') && /special-use/.test(w)), p.warnings.join('\n'));
    });

    it('attaches it with modify-db-cluster (never modify-db-instance), keeping groups that do not open the port, and says why', () => {
      const p = plan();
      const modify = p.steps[p.steps.length - 1];
      assert.deepEqual(modify.cli, ['aws', 'rds', 'modify-db-cluster', '--db-cluster-identifier', CLUSTER, '--vpc-security-group-ids', { ref: 'NEW_GROUP_ID' }, MONITORING_SG, '--apply-immediately', ...TARGET]);
      assert.equal(modify.sdkCommand, 'ModifyDBClusterCommand');
      assert.deepEqual(modify.sdkInput, { DBClusterIdentifier: CLUSTER, VpcSecurityGroupIds: [{ ref: 'NEW_GROUP_ID' }, MONITORING_SG], ApplyImmediately: true });
      assert.deepEqual(modify.preconditions, [{ kind: 'clusterGroups', clusterId: CLUSTER, groupIds: [MAIN_SG, MONITORING_SG, DEFAULT_SG] }]);
      assert.match(p.summary, /InvalidParameterCombination/);
      assert.ok(!p.steps.some((s) => s.cli.includes('modify-db-instance')));
    });

    it('backs out by restoring the old group list first, then deleting the new group', () => {
      const p = plan();
      assert.deepEqual(p.backout.map((s) => s.cli), [
        ['aws', 'rds', 'modify-db-cluster', '--db-cluster-identifier', CLUSTER, '--vpc-security-group-ids', MAIN_SG, MONITORING_SG, DEFAULT_SG, '--apply-immediately', ...TARGET],
        ['aws', 'ec2', 'delete-security-group', '--group-id', { ref: 'NEW_GROUP_ID' }, ...TARGET],
      ]);
      assert.deepEqual(p.backout[1].sdkInput, { GroupId: { ref: 'NEW_GROUP_ID' } });
    });

    it('runs in the simulator: the cluster gets the new group, and the backout restores everything', () => {
      const inv = inventory();
      const p = plan();
      const account = simulateAccount(inv);
      applySteps(account, p.steps);
      const newId = account.refs.get('NEW_GROUP_ID')!;
      assert.deepEqual(account.clusters.get(CLUSTER)!.securityGroupIds, [newId, MONITORING_SG]);
      assert.equal(account.groups.get(newId)!.rules.filter((r) => r.direction === 'ingress').length, 4);
      applySteps(account, p.backout);
      assert.deepEqual(account.clusters.get(CLUSTER)!.securityGroupIds, [MAIN_SG, MONITORING_SG, DEFAULT_SG]);
      assert.equal(account.groups.has(newId), false);
      assert.deepEqual([...account.groups.keys()].sort(), inv.securityGroups.map((g) => g.groupId).sort());
    });

    it('refuses a group name that exists in the VPC, or that the AWS CLI would read as a file or an option', () => {
      assert.throws(() => buildPlan({ finding: finding('AURSG-007'), inventory: inventory(), fix: 'dedicated-sg', groupName: 'monitoring' }),
        (e: unknown) => e instanceof PlanError && /--group-name/.test(e.message));
      assert.throws(() => buildPlan({ finding: finding('AURSG-007'), inventory: inventory(), fix: 'dedicated-sg', groupName: 'file:///etc/passwd' }),
        (e: unknown) => e instanceof PlanError && /file/.test(e.message));
      assert.throws(() => buildPlan({ finding: finding('AURSG-007'), inventory: inventory(), fix: 'dedicated-sg', groupName: 'a"b' }), PlanError);
      // Quoting does not help here: the shell hands '--dry-run' to aws, whose parser takes it for the option.
      assert.throws(() => buildPlan({ finding: finding('AURSG-007'), inventory: inventory(), fix: 'dedicated-sg', groupName: '--dry-run' }),
        (e: unknown) => e instanceof PlanError && /read it as an option/.test(e.message));
    });

    it('replaces the shared group an AURSG-010 finding is about, even when it does not open the port', () => {
      const p = buildPlan({ finding: finding('AURSG-010', { groupId: MONITORING_SG }), inventory: inventory(), fix: 'dedicated-sg' });
      const modify = p.steps[p.steps.length - 1];
      assert.deepEqual(modify.sdkInput.VpcSecurityGroupIds, [{ ref: 'NEW_GROUP_ID' }]);
    });

    it('refuses when there is nothing to replace', () => {
      const inv = inventory();
      inv.securityGroups[0].rules = [];
      inv.securityGroups[2].groupName = 'not-default';
      inv.securityGroups[2].rules = [];
      assert.throws(() => buildPlan({ finding: finding('AURSG-010', { groupId: 'sg-0other0000' }, inv), inventory: inv, fix: 'dedicated-sg' }),
        (e: unknown) => e instanceof PlanError && /nothing for a dedicated group to replace/.test(e.message));
    });

    it('warns loudly when the new group would let nothing in', () => {
      const inv = inventory();
      inv.securityGroups[0].rules = [openToWorld];
      inv.securityGroups[2].rules = [];
      const p = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }, inv), inventory: inv, fix: 'dedicated-sg' });
      assert.match(p.warnings[0], /allows no inbound traffic/);
    });
  });

  describe('private', () => {
    it('turns PubliclyAccessible off for the instance, and on again as backout', () => {
      const p = buildPlan({ finding: finding('AURSG-009', { instanceId: 'orders-db-1' }), inventory: inventory(), fix: 'private' });
      assert.deepEqual(p.steps[0].cli, ['aws', 'rds', 'modify-db-instance', '--db-instance-identifier', 'orders-db-1', '--no-publicly-accessible', '--apply-immediately', ...TARGET]);
      assert.deepEqual(p.steps[0].sdkInput, { DBInstanceIdentifier: 'orders-db-1', PubliclyAccessible: false, ApplyImmediately: true });
      assert.deepEqual(p.steps[0].preconditions, [{ kind: 'instancePublic', instanceId: 'orders-db-1', publiclyAccessible: true }]);
      assert.deepEqual(p.backout[0].cli, ['aws', 'rds', 'modify-db-instance', '--db-instance-identifier', 'orders-db-1', '--publicly-accessible', '--apply-immediately', ...TARGET]);
      assert.deepEqual(p.backout[0].sdkInput, { DBInstanceIdentifier: 'orders-db-1', PubliclyAccessible: true, ApplyImmediately: true });
      const account = simulateAccount(inventory());
      applySteps(account, p.steps);
      assert.equal(account.instances.get('orders-db-1')!.publiclyAccessible, false);
      applySteps(account, p.backout);
      assert.equal(account.instances.get('orders-db-1')!.publiclyAccessible, true);
    });

    it('refuses an instance that is already private', () => {
      assert.throws(() => buildPlan({ finding: finding('AURSG-009', { instanceId: 'orders-db-2' }), inventory: inventory(), fix: 'private' }), /already not publicly accessible/);
    });
  });

  describe('egress', () => {
    it('adds egress to the VPC CIDR before revoking all-traffic egress; the backout is the reverse', () => {
      const p = buildPlan({ finding: finding('AURSG-008', { rule: allEgress, groupId: MAIN_SG }), inventory: inventory(), fix: 'egress' });
      assert.deepEqual(p.steps.map((s) => s.sdkCommand), ['AuthorizeSecurityGroupEgressCommand', 'RevokeSecurityGroupEgressCommand']);
      assert.deepEqual(p.steps[0].cli, ['aws', 'ec2', 'authorize-security-group-egress', '--group-id', MAIN_SG, '--ip-permissions',
        JSON.stringify([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.20.0.0/16', Description: `Egress within ${VPC}, added by aurora-sg (egress)` }] }]), ...TARGET]);
      assert.deepEqual(p.steps[1].cli, ['aws', 'ec2', 'revoke-security-group-egress', '--group-id', MAIN_SG, '--security-group-rule-ids', 'sgr-00000000000000e1', ...TARGET]);
      assert.deepEqual(p.backout.map((s) => s.sdkCommand), ['AuthorizeSecurityGroupEgressCommand', 'RevokeSecurityGroupEgressCommand']);
      assert.deepEqual(p.backout[0].sdkInput, { GroupId: MAIN_SG, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
      const inv = inventory();
      const account = simulateAccount(inv);
      applySteps(account, p.steps);
      assert.ok(!account.groups.get(MAIN_SG)!.rules.some((r) => r.direction === 'egress' && r.source.value === '0.0.0.0/0'));
      applySteps(account, p.backout);
      assert.deepEqual(ruleSetSignature(account.groups.get(MAIN_SG)!.rules), ruleSetSignature(inv.securityGroups[0].rules));
    });

    it('uses the IPv6 CIDR of the VPC for ::/0 egress', () => {
      const v6 = { ...allEgress, ruleId: undefined, source: { kind: 'cidr6' as const, value: '::/0' } };
      const p = buildPlan({ finding: finding('AURSG-008', { rule: v6 }), inventory: inventory(), fix: 'egress' });
      assert.deepEqual((p.steps[0].sdkInput.IpPermissions as { Ipv6Ranges: { CidrIpv6: string }[] }[])[0].Ipv6Ranges[0].CidrIpv6, '2001:db8:1234:1a00::/56');
    });

    it('says describe-vpcs is needed when the VPC CIDR is unknown', () => {
      const inv = inventory();
      inv.vpcs = [];
      assert.throws(() => buildPlan({ finding: finding('AURSG-008', { rule: allEgress }, inv), inventory: inv, fix: 'egress' }),
        (e: unknown) => e instanceof PlanError && /describe-vpcs/.test(e.message) && e.message.includes(VPC));
    });
  });

  describe('applicableFixes', () => {
    const inv = inventory();
    it('offers revoke, restrict and dedicated-sg for rule findings on a cluster', () => {
      assert.deepEqual(applicableFixes(finding('AURSG-001', { rule: openToWorld }), inv), ['revoke', 'restrict', 'dedicated-sg']);
      assert.deepEqual(applicableFixes(finding('AURSG-004', { rule: fromOfficeVpn, clusterId: undefined }), inv), ['revoke', 'restrict']);
    });
    it('offers egress only for AURSG-008 and private only for AURSG-009', () => {
      assert.deepEqual(applicableFixes(finding('AURSG-008', { rule: allEgress }), inv), ['egress']);
      assert.deepEqual(applicableFixes(finding('AURSG-009', { instanceId: 'orders-db-1', rule: openToWorld }), inv), ['private', 'revoke', 'restrict', 'dedicated-sg']);
      assert.ok(!applicableFixes(finding('AURSG-001', { rule: openToWorld, instanceId: 'orders-db-1' }), inv).includes('private'));
    });
    it('offers only dedicated-sg for the default group and shared groups', () => {
      assert.deepEqual(applicableFixes(finding('AURSG-007', { groupId: DEFAULT_SG }), inv), ['dedicated-sg']);
      assert.deepEqual(applicableFixes(finding('AURSG-010', { groupId: MAIN_SG }), inv), ['dedicated-sg']);
      assert.deepEqual(applicableFixes(finding('AURSG-010', { groupId: MAIN_SG, clusterId: 'elsewhere' }), inv), []);
    });
    it('offers nothing for IaC, and buildPlan says to edit the template', () => {
      const iac = inventory();
      iac.target = { kind: 'iac', label: 'template.yaml', path: 'template.yaml' };
      const f = finding('AURSG-001', { rule: openToWorld }, iac);
      assert.deepEqual(applicableFixes(f, iac), []);
      assert.throws(() => buildPlan({ finding: f, inventory: iac, fix: 'revoke' }), (e: unknown) => e instanceof PlanError && /template/.test(e.message));
    });
    it('buildPlan names the applicable fixes when asked for one that does not fit', () => {
      assert.throws(() => buildPlan({ finding: finding('AURSG-007'), inventory: inv, fix: 'egress' }),
        (e: unknown) => e instanceof PlanError && /applicable fixes: dedicated-sg/.test(e.message));
    });
  });

  describe('hostile ids from the inventory', () => {
    it('refuses to put an invalid group id, rule id or region into a command', () => {
      const badGroup = { ...openToWorld, groupId: 'sg-1; touch /tmp/x' };
      assert.throws(() => buildPlan({ finding: finding('AURSG-001', { rule: badGroup }), inventory: inventory(), fix: 'revoke' }),
        (e: unknown) => e instanceof PlanError && e.message.includes('sg-1; touch /tmp/x'));
      const badRuleId = { ...openToWorld, ruleId: 'file:///etc/passwd' };
      assert.throws(() => buildPlan({ finding: finding('AURSG-001', { rule: badRuleId }), inventory: inventory(), fix: 'revoke' }), PlanError);
      const inv = inventory();
      const f = finding('AURSG-001', { rule: openToWorld }, inv);
      f.target.region = '--endpoint-url=http://evil';
      assert.throws(() => buildPlan({ finding: f, inventory: inv, fix: 'revoke' }), PlanError);
      f.target.region = 'eu-west-1';
      f.target.profile = '--debug';
      assert.throws(() => buildPlan({ finding: f, inventory: inv, fix: 'revoke' }), PlanError);
    });
  });
});

describe('remediation plans: where the facts come from', () => {
  it('takes the region and account from the cluster ARN when the target has none, and warns about saved evidence', () => {
    const inv = inventory();
    inv.target = { kind: 'evidence', label: 'saved/prod', path: '/x' };
    inv.clusters[0].arn = 'arn:aws:rds:ap-southeast-2:210987654321:cluster:orders-db';
    const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }, inv), inventory: inv, fix: 'revoke' });
    assert.deepEqual(plan.steps[0].cli.slice(-2), ['--region', 'ap-southeast-2']);
    assert.deepEqual(plan.target, { region: 'ap-southeast-2', accountId: '210987654321' });
    assert.ok(plan.warnings.some((w) => /saved evidence \(saved\/prod\)/.test(w)));
  });

  it('warns that the default region applies when no region is known', () => {
    const inv = inventory();
    inv.target = { kind: 'evidence', label: 'saved', path: '/x' };
    const plan = buildPlan({ finding: finding('AURSG-001', { rule: openToWorld }, inv), inventory: inv, fix: 'revoke' });
    assert.ok(!plan.steps[0].cli.includes('--region'));
    assert.ok(plan.warnings.some((w) => /default region/.test(w)));
  });
});
