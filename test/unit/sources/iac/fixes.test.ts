// Code fixes on IaC files: each edit's text before and after, the finding gone, nothing new, and
// why the candidates that would not fix it (or would add a finding) are not offered.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AuditSettings } from '../../../../src/model/settings';
import { auditInventory, defaultSettings } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { applyEdits, iacCodeFixes, suppressionFix, typedSourceFix, unifiedDiff, type CodeFix, type FixList } from '../../../../src/sources/iac/fixes';
import { auroraTerraform, expressions, type GeneratedRule } from './hclGenerators';

function settings(approved: string[] = []): AuditSettings {
  return { ...defaultSettings(), approvedSources: approved };
}

function findingOf(file: string, text: string, ruleId: string, s: AuditSettings, source?: string) {
  const found = auditInventory(loadIacFile(file, text), s).find((f) => f.ruleId === ruleId && (source === undefined || f.rule?.source.value === source));
  assert.ok(found, `${ruleId} in the test text`);
  return found;
}

function fixesFor(file: string, text: string, ruleId: string, s: AuditSettings, source?: string): FixList {
  const list = iacCodeFixes({ file, text, settings: s }, findingOf(file, text, ruleId, s, source).id);
  if ('why' in list) throw new Error(list.why);
  return list;
}

function fix(list: FixList, kind: CodeFix['kind']): CodeFix {
  const found = list.fixes.find((f) => f.kind === kind);
  assert.ok(found, `a ${kind} fix among ${list.fixes.map((f) => f.kind).join(', ')}; refused: ${list.refused.map((r) => `${r.kind}: ${r.why}`).join('; ')}`);
  return found;
}

/** The fix's text, and the checks every fix must pass on it: same finding gone, no new one. */
function after(file: string, text: string, f: CodeFix, s: AuditSettings, ruleId: string): string {
  const edited = applyEdits(text, f.edits);
  const subject = (x: { ruleId: string; groupId?: string; clusterId?: string; instanceId?: string }) => `${x.ruleId}|${x.groupId}|${x.clusterId}|${x.instanceId}`;
  const before = auditInventory(loadIacFile(file, text), s).map(subject);
  const now = auditInventory(loadIacFile(file, edited), s).map(subject);
  const count = (list: string[], k: string) => list.filter((x) => x === k).length;
  for (const k of new Set(now)) assert.ok(count(now, k) <= count(before, k), `no new finding: ${k}`);
  assert.ok(now.length < before.length, `${ruleId}: a finding fewer`);
  return edited;
}

const TF = `resource "aws_security_group" "db" {
  name = "db"

  ingress {
    description = "temporary"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0", "10.1.0.0/16"] # keep this comment
  }

  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_rds_cluster" "main" {
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = [aws_security_group.db.id]
}
`;

describe('IaC code fixes: Terraform', () => {
  const file = '/w/main.tf';

  it('replaces the risky source with the approved sources, one entry per source, each in the list of its kind', () => {
    const s = settings(['10.20.0.0/16', '10.21.0.0/16', 'sg-0123456789abcdef0']);
    const list = fixesFor(file, TF, 'AURSG-001', s, '0.0.0.0/0');
    const f = fix(list, 'approved-sources');
    assert.equal(f.preferred, true, 'keeping connectivity for approved sources is preferred');
    assert.equal(f.title, 'Replace 0.0.0.0/0 with the approved sources (10.20.0.0/16, 10.21.0.0/16, sg-0123456789abcdef0)');
    const edited = after(file, TF, f, s, 'AURSG-001');
    assert.equal(edited, TF.replace(
      '    cidr_blocks = ["0.0.0.0/0", "10.1.0.0/16"] # keep this comment\n',
      '    cidr_blocks = ["10.20.0.0/16", "10.21.0.0/16", "10.1.0.0/16"] # keep this comment\n    security_groups = ["sg-0123456789abcdef0"]\n',
    ));
  });

  it('narrows protocol -1 to tcp on the cluster\'s port, and offers removing the rule', () => {
    const s = settings();
    const list = fixesFor(file, TF, 'AURSG-002', s);
    const narrow = fix(list, 'narrow-port');
    assert.equal(narrow.title, 'Narrow to tcp 5432, the database port');
    assert.equal(narrow.preferred, true);
    assert.equal(after(file, TF, narrow, s, 'AURSG-002'), TF.replace('    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n', '    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n'));
    const remove = fix(list, 'remove-rule');
    assert.equal(after(file, TF, remove, s, 'AURSG-002'), TF.replace('\n  ingress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n', ''));
  });

  it('removes only the risky element when the rule block holds other sources, keeping the comment', () => {
    const s = settings();
    const list = fixesFor(file, TF, 'AURSG-001', s, '0.0.0.0/0');
    const edited = after(file, TF, fix(list, 'remove-rule'), s, 'AURSG-001');
    assert.ok(edited.includes('    cidr_blocks = ["10.1.0.0/16"] # keep this comment\n'), edited);
  });

  it('on rule resources of one source each: the first source in place, the others in copies of the resource', () => {
    const text = `resource "aws_vpc_security_group_ingress_rule" "partner" {
  security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  ip_protocol       = "tcp"
  from_port         = 3306
  to_port           = 3306
  cidr_ipv4         = "81.2.69.0/24"
}
`;
    const s = settings(['10.20.0.0/16', 'sg-0123456789abcdef0']);
    const f = fix(fixesFor(file, text, 'AURSG-003', s), 'approved-sources');
    assert.equal(after(file, text, f, s, 'AURSG-003'), `resource "aws_vpc_security_group_ingress_rule" "partner" {
  security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  ip_protocol       = "tcp"
  from_port         = 3306
  to_port           = 3306
  cidr_ipv4         = "10.20.0.0/16"
}

resource "aws_vpc_security_group_ingress_rule" "partner_2" {
  security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  ip_protocol       = "tcp"
  from_port         = 3306
  to_port           = 3306
  referenced_security_group_id = "sg-0123456789abcdef0"
}
`);
    // A prefix list the file cannot resolve could admit anything: approving one is refused.
    const unresolved = fixesFor(file, text, 'AURSG-003', settings(['pl-0123456789abcdef0'])).refused.find((r) => r.kind === 'approved-sources');
    assert.match(unresolved?.why ?? '', /would still have AURSG-003|would add/);
  });

  it('adds from_port and to_port where the rule had none, and refuses what would leave the finding', () => {
    const text = `resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
`;
    const s = settings();
    const list = fixesFor(file, text, 'AURSG-002', s);
    const narrow = fix(list, 'narrow-port');
    assert.equal(applyEdits(text, narrow.edits), text.replace('  ip_protocol       = "-1"\n', '  ip_protocol       = "tcp"\n  from_port         = 3306\n  to_port           = 3306\n'));
    // Judged against both database ports, narrowing to one leaves AURSG-001 on the other.
    const ones = fixesFor(file, text, 'AURSG-001', s).refused.filter((r) => r.kind === 'narrow-port');
    assert.ok(ones.every((r) => /would still have AURSG-001/.test(r.why)), JSON.stringify(ones));
  });

  it('puts what the user types in place of the source: a CIDR, a variable (a list, through concat) or a group; refuses what the file does not declare', () => {
    const text = `variable "office_cidrs" {
  type = list(string)
}
resource "aws_security_group" "app" { name = "app" }
${TF}`;
    const s = settings();
    const id = findingOf(file, text, 'AURSG-001', s, '0.0.0.0/0').id;
    const input = { file, text, settings: s };
    const cidr = typedSourceFix(input, id, '192.168.10.0/24');
    assert.ok('fix' in cidr, JSON.stringify(cidr));
    assert.ok(applyEdits(text, cidr.fix.edits).includes('cidr_blocks = ["192.168.10.0/24", "10.1.0.0/16"]'));
    const variable = typedSourceFix(input, id, 'var.office_cidrs');
    assert.ok('fix' in variable, JSON.stringify(variable));
    assert.ok(applyEdits(text, variable.fix.edits).includes('cidr_blocks = concat(["10.1.0.0/16"], var.office_cidrs) # keep this comment'));
    const group = typedSourceFix(input, id, 'aws_security_group.app.id');
    assert.ok('fix' in group, JSON.stringify(group));
    assert.ok(applyEdits(text, group.fix.edits).includes('    security_groups = [aws_security_group.app.id]\n'));
    assert.deepEqual(typedSourceFix(input, id, 'var.nope'), { why: 'var.nope is not declared in this file' });
    assert.deepEqual(typedSourceFix(input, id, 'aws_security_group.missing.id'), { why: 'aws_security_group.missing is not declared in this file' });
    assert.match((typedSourceFix(input, id, 'hello world') as { why: string }).why, /is not a CIDR \(10\.0\.0\.0\/16\), a security group id/);
    // A public range is typed as asked, but it would make the file worse: refused, with the reason.
    assert.match((typedSourceFix(input, id, '81.2.69.0/24') as { why: string }).why, /would add AURSG-003/);
  });

  it('writes an inline suppression above the rule that the re-read file honours', () => {
    const s = settings();
    const id = findingOf(file, TF, 'AURSG-002', s).id;
    const result = suppressionFix({ file, text: TF, settings: s }, id, 'lab only, ticket 7');
    assert.ok('fix' in result, JSON.stringify(result));
    const edited = applyEdits(TF, result.fix.edits);
    assert.ok(edited.includes('  # aurora-sg:ignore AURSG-002 lab only, ticket 7\n  ingress {\n    from_port   = 0\n'), edited);
    const finding = auditInventory(loadIacFile(file, edited), s).find((f) => f.ruleId === 'AURSG-002');
    assert.deepEqual(finding?.suppressed, { reason: 'lab only, ticket 7' });
    assert.deepEqual(suppressionFix({ file, text: TF, settings: s }, id, '  '), { why: 'a suppression needs a reason' });
  });

  it('limits egress to the VPC when the group names an aws_vpc of the file', () => {
    const text = `resource "aws_vpc" "main" { cidr_block = "10.50.0.0/16" }
resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
    const s = settings();
    const f = fix(fixesFor(file, text, 'AURSG-008', s), 'egress-vpc');
    assert.equal(f.preferred, true);
    assert.equal(f.title, 'Limit egress to the VPC (aws_vpc.main.cidr_block)');
    assert.equal(after(file, text, f, s, 'AURSG-008'), text.replace('cidr_blocks = ["0.0.0.0/0"]', 'cidr_blocks = [aws_vpc.main.cidr_block]'));
  });

  it('does not edit a rule a dynamic block makes, nor a source that comes from a variable, and says why', () => {
    const text = `variable "open" { default = ["0.0.0.0/0"] }
resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.open
  }
  dynamic "ingress" {
    for_each = ["::/0"]
    content {
      from_port        = 5432
      to_port          = 5432
      protocol         = "tcp"
      ipv6_cidr_blocks = [ingress.value]
    }
  }
}
`;
    const s = settings(['10.0.0.0/16']);
    const fromVariable = fixesFor(file, text, 'AURSG-001', s, '0.0.0.0/0').refused.find((r) => r.kind === 'approved-sources');
    assert.match(fromVariable?.why ?? '', /the source comes from `var\.open`: change it where its value is set/);
    const dynamic = fixesFor(file, text, 'AURSG-001', s, '::/0');
    assert.deepEqual(dynamic.fixes, []);
    assert.ok(dynamic.refused.every((r) => /dynamic block/.test(r.why)), JSON.stringify(dynamic.refused));
  });
});

const YAML = `Resources:
  Db:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db # the database tier
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 3306
          ToPort: 3306
          CidrIp: 0.0.0.0/0
          Description: vendor
        - IpProtocol: "-1"
          CidrIpv6: ::/0
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      VpcSecurityGroupIds: [!Ref Db]
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Cluster
      PubliclyAccessible: true
`;

describe('IaC code fixes: CloudFormation YAML and JSON', () => {
  const file = '/w/stack.yaml';

  it('YAML: one rule per approved source, copied from the rule itself', () => {
    const s = settings(['10.20.0.0/16', 'sg-0123456789abcdef0']);
    const f = fix(fixesFor(file, YAML, 'AURSG-001', s, '0.0.0.0/0'), 'approved-sources');
    assert.equal(after(file, YAML, f, s, 'AURSG-001'), YAML.replace(
      '          CidrIp: 0.0.0.0/0\n          Description: vendor\n',
      '          CidrIp: 10.20.0.0/16\n          Description: vendor\n        - IpProtocol: tcp\n          FromPort: 3306\n          ToPort: 3306\n          SourceSecurityGroupId: sg-0123456789abcdef0\n          Description: vendor\n',
    ));
  });

  it('YAML: narrows -1 to tcp on the port, adding FromPort and ToPort at the item\'s indentation; removes a list item', () => {
    const s = settings();
    const list = fixesFor(file, YAML, 'AURSG-002', s);
    const narrow = fix(list, 'narrow-port');
    assert.equal(applyEdits(YAML, narrow.edits), YAML.replace('        - IpProtocol: "-1"\n', '        - IpProtocol: tcp\n          FromPort: 3306\n          ToPort: 3306\n'));
    const remove = fix(list, 'remove-rule');
    assert.equal(after(file, YAML, remove, s, 'AURSG-002'), YAML.replace('        - IpProtocol: "-1"\n          CidrIpv6: ::/0\n', ''));
  });

  it('YAML: replaces a !Ref source with the typed one, tag included, and refuses a list parameter', () => {
    const text = YAML.replace('CidrIp: 0.0.0.0/0', 'CidrIp: !Ref Open').replace('Resources:', 'Parameters:\n  Open:\n    Type: String\n    Default: 0.0.0.0/0\n  Offices:\n    Type: CommaDelimitedList\n  App:\n    Type: AWS::EC2::SecurityGroup::Id\nResources:');
    const s = settings();
    const id = findingOf(file, text, 'AURSG-001', s, '0.0.0.0/0').id;
    const typed = typedSourceFix({ file, text, settings: s }, id, '!Ref App');
    assert.ok('fix' in typed, JSON.stringify(typed));
    assert.ok(applyEdits(text, typed.fix.edits).includes('          SourceSecurityGroupId: !Ref App\n'));
    assert.match((typedSourceFix({ file, text, settings: s }, id, 'Offices') as { why: string }).why, /Offices is a list parameter/);
  });

  it('YAML: adds explicit egress limited to the VPC to a group that has AWS\'s default egress', () => {
    const text = YAML.replace('Resources:\n', 'Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.60.0.0/16\n').replace('      GroupDescription: db # the database tier\n', '      GroupDescription: db # the database tier\n      VpcId: !Ref Vpc\n');
    const s = settings();
    const f = fix(fixesFor(file, text, 'AURSG-008', s), 'egress-vpc');
    const edited = after(file, text, f, s, 'AURSG-008');
    assert.ok(edited.includes('          CidrIpv6: ::/0\n      SecurityGroupEgress:\n        - IpProtocol: "-1"\n          CidrIp: !GetAtt Vpc.CidrBlock\n          Description: Egress within the VPC only\n  Cluster:'), edited);
  });

  it('JSON: copies the rule object for each source, with JSON values and references', () => {
    const json = `{
  "Resources": {
    "Db": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "db",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "0.0.0.0/0" }
        ]
      }
    },
    "App": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "app" } }
  }
}
`;
    const s = settings(['10.20.0.0/16']);
    const id = findingOf('/w/stack.json', json, 'AURSG-001', s).id;
    const typed = typedSourceFix({ file: '/w/stack.json', text: json, settings: s }, id, 'App');
    assert.ok('fix' in typed, JSON.stringify(typed));
    assert.ok(applyEdits(json, typed.fix.edits).includes('{ "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "SourceSecurityGroupId": {"Fn::GetAtt":["App","GroupId"]} }'));
    const f = fix(fixesFor('/w/stack.json', json, 'AURSG-001', s), 'approved-sources');
    assert.ok(applyEdits(json, f.edits).includes('"CidrIp": "10.20.0.0/16"'));
    const remove = fix(fixesFor('/w/stack.json', json, 'AURSG-001', s), 'remove-rule');
    assert.ok(applyEdits(json, remove.edits).includes('"SecurityGroupIngress": []'));
    assert.match((suppressionFix({ file: '/w/stack.json', text: json, settings: s }, id, 'x') as { why: string }).why, /JSON has no comments/);
  });
});

describe('IaC code fixes: the diff aurora-sg fix prints', () => {
  it('is a unified diff with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const afterText = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    assert.equal(unifiedDiff('x.tf', before, afterText), '--- a/x.tf\n+++ b/x.tf\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n');
    assert.equal(unifiedDiff('x.tf', before, before), '');
  });
});

describe('IaC code fixes: never throw', () => {
  it('property: for every finding of generated Terraform, the fixer answers with fixes or reasons, and every fix verifies', function () {
    this.timeout(120000);
    const exprs = expressions(2);
    const rule: fc.Arbitrary<GeneratedRule> = fc.tuple(fc.constantFrom('"tcp"', '"-1"', '"6"', 'var.p'), fc.constantFrom('5432', '0', '3306', 'local.port'), fc.oneof(fc.constantFrom('["0.0.0.0/0"]', '["0.0.0.0/0", "10.0.0.0/8"]', '["::/0"]', 'var.c', '[var.c, "81.2.69.0/24"]'), exprs.expr));
    const file = auroraTerraform(rule, exprs);
    fc.assert(fc.property(file, fc.constantFrom<string[]>([], ['10.9.0.0/16'], ['10.9.0.0/16', 'sg-0123456789abcdef0']), (text, approved) => {
      const s = settings(approved);
      for (const finding of auditInventory(loadIacFile('/p/gen.tf', text), s)) {
        const list = iacCodeFixes({ file: '/p/gen.tf', text, settings: s }, finding.id);
        assert.ok(!('why' in list), 'the finding is found again');
        for (const f of list.fixes) {
          const edited = applyEdits(text, f.edits);
          assert.ok(!loadIacFile('/p/gen.tf', edited).notes.some((n) => n.level === 'error'), `${f.title} keeps the file readable`);
        }
        for (const r of list.refused) assert.ok(r.why.length > 5, r.title);
      }
    }), { numRuns: 120 });
  });

  it('property: the same for generated CloudFormation rules, in YAML and JSON', function () {
    this.timeout(120000);
    const rule = fc.record({
      protocol: fc.constantFrom('tcp', '"-1"', '"6"', 'udp'),
      from: fc.constantFrom(3306, 0, 3300),
      to: fc.constantFrom(3306, 65535, 3310),
      source: fc.constantFrom(['CidrIp', '0.0.0.0/0'], ['CidrIpv6', '::/0'], ['CidrIp', '10.0.0.0/8'], ['CidrIp', '!Ref Open'], ['SourceSecurityGroupId', '!GetAtt Other.GroupId']),
    });
    const template = fc.tuple(fc.array(rule, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean()).map(([rules, egress, json]) => {
      if (json) {
        const value = (v: string) => (v.startsWith('!Ref ') ? { Ref: v.slice(5) } : v.startsWith('!GetAtt ') ? { 'Fn::GetAtt': v.slice(8).split('.') } : v);
        const body = {
          Parameters: { Open: { Type: 'String', Default: '0.0.0.0/0' } },
          Resources: {
            Db: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'db', SecurityGroupIngress: rules.map((r) => ({ IpProtocol: r.protocol.replace(/"/g, ''), FromPort: r.from, ToPort: r.to, [r.source[0] as string]: value(r.source[1] as string) })), ...(egress ? { SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }] } : {}) } },
            Cluster: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-mysql', VpcSecurityGroupIds: [{ Ref: 'Db' }] } },
          },
        };
        return { file: '/p/gen.json', text: `${JSON.stringify(body, null, 2)}\n` };
      }
      const items = rules.map((r) => `        - IpProtocol: ${r.protocol}\n          FromPort: ${r.from}\n          ToPort: ${r.to}\n          ${r.source[0]}: ${r.source[1]}\n`).join('');
      const text = `Parameters:\n  Open:\n    Type: String\n    Default: 0.0.0.0/0\nResources:\n  Db:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n${items}${egress ? '      SecurityGroupEgress:\n        - IpProtocol: "-1"\n          CidrIp: 0.0.0.0/0\n' : ''}  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-mysql\n      VpcSecurityGroupIds: [!Ref Db]\n`;
      return { file: '/p/gen.yaml', text };
    });
    fc.assert(fc.property(template, fc.constantFrom<string[]>([], ['10.9.0.0/16', 'sg-0123456789abcdef0']), ({ file, text }, approved) => {
      const s = settings(approved);
      for (const finding of auditInventory(loadIacFile(file, text), s)) {
        const list = iacCodeFixes({ file, text, settings: s }, finding.id);
        assert.ok(!('why' in list), 'the finding is found again');
        for (const f of list.fixes) assert.ok(!loadIacFile(file, applyEdits(text, f.edits)).notes.some((n) => n.level === 'error'), `${f.title} keeps ${file} readable`);
      }
    }), { numRuns: 120 });
  });
});
