import { strict as assert } from 'node:assert';
import type { Plan } from '../../../src/model/plan';
import { checkNewGroupName, checkSources, sourceEntries } from '../../../src/extension/core/inputs';
import { renderJournal, type JournalEntry } from '../../../src/extension/core/journalText';
import {
  appendSection, checkAccessKeyId, checkProfileName, checkRegion, checkRoleArn, checkSecretAccessKey, checkStartUrl, maskedText, profileText,
} from '../../../src/extension/core/profileText';

describe('extension: inputs checked as they are typed', () => {
  it('approved sources: CIDRs, one address, sg- and pl- ids, each entry named when wrong', () => {
    assert.deepEqual(sourceEntries(' 10.0.0.0/16, sg-0123456789abcdef0  pl-6da54004,'), ['10.0.0.0/16', 'sg-0123456789abcdef0', 'pl-6da54004']);
    assert.deepEqual(checkSources('10.0.0.0/16, 2001:db8::/32, sg-0123456789abcdef0, pl-6da54004'), {});
    assert.match(checkSources('10.0.0.0/16, 10.0.0.0/33').error ?? '', /^10\.0\.0\.0\/33 is not a CIDR/);
    assert.match(checkSources('0.0.0.0/0').error ?? '', /means anywhere/);
    assert.match(checkSources('::/0').error ?? '', /means anywhere/);
    assert.match(checkSources('sg-xyz').error ?? '', /^sg-xyz is not a security group id/);
    assert.match(checkSources('   ').error ?? '', /at least one source/);
    assert.equal(checkSources('10.1.2.3/16').note, '10.1.2.3/16 will be written as 10.1.0.0/16, the form AWS stores.');
    assert.equal(checkSources('203.0.113.7').note, '203.0.113.7 is one address: 203.0.113.7/32.');
  });

  it('a new group name: what AWS allows, and not one the VPC has', () => {
    assert.deepEqual(checkNewGroupName('aurora-sg-orders', ['default']), {});
    assert.match(checkNewGroupName('sg-orders', []).error ?? '', /cannot start with "sg-"/);
    assert.match(checkNewGroupName('', []).error ?? '', /1 to 255 characters/);
    assert.match(checkNewGroupName('db', ['db']).error ?? '', /already exists in this VPC/);
  });
});

describe('extension: Configure an AWS Profile writes what the AWS CLI writes, and only that', () => {
  it('static keys: the keys to the credentials file, the region to the config file', () => {
    const text = profileText({ kind: 'keys', name: 'audit', region: 'eu-west-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    assert.equal(text.config, '[profile audit]\nregion = eu-west-1\n');
    assert.equal(text.credentials, '[audit]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    assert.equal(maskedText(text.credentials!), '[audit]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ********\n');
    assert.equal(profileText({ kind: 'keys', name: 'default', region: 'us-east-1', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) }).config, '[default]\nregion = us-east-1\n');
  });

  it('IAM Identity Center: a profile and its sso-session; a role: role_arn and its source', () => {
    const sso = profileText({ kind: 'sso', name: 'dev', region: 'eu-west-1', startUrl: 'https://corp.awsapps.com/start', ssoRegion: 'eu-west-1', accountId: '123456789012', roleName: 'ReadOnly', session: 'dev' });
    assert.equal(sso.config, '[profile dev]\nsso_session = dev\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nregion = eu-west-1\n\n[sso-session dev]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n');
    assert.equal(sso.credentials, undefined);
    const role = profileText({ kind: 'role', name: 'audit', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/Audit', source: { profile: 'default' } });
    assert.equal(role.config, '[profile audit]\nrole_arn = arn:aws:iam::123456789012:role/Audit\nsource_profile = default\nregion = eu-west-1\n');
  });

  it('appends after what the file holds, with one blank line between', () => {
    assert.equal(appendSection('', '[profile a]\n'), '[profile a]\n');
    assert.equal(appendSection('[profile x]\nregion = r\n\n\n', '[profile a]\n'), '[profile x]\nregion = r\n\n[profile a]\n');
  });

  it('checks each answer', () => {
    assert.match(checkProfileName('prod', ['prod']).error ?? '', /exists already/);
    assert.match(checkProfileName('my profile', []).error ?? '', /no spaces/);
    assert.deepEqual(checkRegion('eu-west-1'), {});
    assert.ok(checkRegion('Europe').error);
    assert.deepEqual(checkAccessKeyId('AKIAIOSFODNN7EXAMPLE'), {});
    assert.ok(checkAccessKeyId('AKIA123').error);
    assert.ok(checkSecretAccessKey('short').error);
    assert.ok(checkStartUrl('http://corp.awsapps.com/start').error);
    assert.deepEqual(checkRoleArn('arn:aws:iam::123456789012:role/path/Audit'), {});
    assert.ok(checkRoleArn('arn:aws:iam::1234:role/Audit').error);
  });
});

describe('extension: the journal as people read it', () => {
  it('lists runs newest first with their steps, what backed them out, and local times', () => {
    const entries: JournalEntry[] = [
      { id: 'r2', route: 'terminal', kind: 'run', title: 'Revoke ingress tcp 5432 from 0.0.0.0/0 on sg-1', status: 'completed', exitCode: 0, createdAt: '2026-12-01T10:00:00.000Z', who: 'prod', region: 'eu-west-1', steps: [{ explanation: 'Revoke it', command: "aws ec2 revoke-security-group-ingress --group-id 'sg-1'" }], backoutable: true },
      { id: 'r1', route: 'sdk', kind: 'run', title: 'Make db-1 private', status: 'completed', createdAt: '2026-12-01T09:00:00.000Z', who: 'environment credentials', region: 'eu-west-1', backedOutBy: ['b1'], steps: [{ explanation: 'Make it private', command: 'aws rds modify-db-instance', status: 'done', at: '2026-12-01T09:00:01.000Z' }], backoutable: false },
    ];
    const rendered = renderJournal(entries, (iso) => `LOCAL(${iso.slice(11, 19)})`, '/j');
    assert.match(rendered.text, /^# Aurora SG journal\n\n2 runs, newest first; times are local\. Journal: `\/j`\./);
    assert.match(rendered.text, /## Revoke ingress tcp 5432 from 0\.0\.0\.0\/0 on sg-1\n\n\*\*completed\*\* \(exit 0\) · terminal, AWS CLI · prod \/ eu-west-1 · LOCAL\(10:00:00\)/);
    assert.match(rendered.text, /1\. Revoke it {2}\n {3}`aws ec2 revoke-security-group-ingress --group-id 'sg-1'`/);
    assert.match(rendered.text, /Backed out by `b1`\./);
    assert.match(rendered.text, /1\. ✓ Make it private \(LOCAL\(09:00:01\)\)/);
    assert.ok(!rendered.text.includes('{'), 'no raw JSON');
    assert.deepEqual(rendered.headings.map((h) => [rendered.text.split('\n')[h.line], h.entry.id]), [
      ['## Revoke ingress tcp 5432 from 0.0.0.0/0 on sg-1', 'r2'],
      ['## Make db-1 private', 'r1'],
    ]);
  });

  it('says where runs are journaled when there are none', () => {
    assert.match(renderJournal([], String, '/j').text, /Nothing has been run yet/);
  });

  // A plan's title comes from AWS names: it stays text.
  it('escapes titles', () => {
    const plan = { title: '<b>x</b> `y`' } as Plan;
    const text = renderJournal([{ id: 'r', route: 'sdk', kind: 'run', title: plan.title, status: 'failed', steps: [], backoutable: false }], String, '/j').text;
    assert.ok(text.includes('## \\<b\\>x\\</b\\> \\`y\\`'), text);
  });
});
