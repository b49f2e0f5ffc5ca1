import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isIacFile, loadIacFile } from '../../../../src/sources/iac';
import { parseCfnJson } from '../../../../src/sources/iac/cfn/fromJson';
import { parseCfnYaml } from '../../../../src/sources/iac/cfn/fromYaml';
import { parseHcl } from '../../../../src/sources/iac/hcl/parser';
import { configuration, expressions } from './hclGenerators';

describe('IaC: malformed input', () => {
  const cases: [string, string, RegExp, number, number][] = [
    // file, text, message, line (zero-based), character (zero-based)
    ['/s/bad.yaml', 'Resources:\n  Db:\n    Type: AWS::EC2::SecurityGroup\n    Properties: [unclosed\n', /bad\.yaml: cannot parse CloudFormation YAML at line 5, column 1: Flow sequence/, 4, 0],
    ['/s/dup.yaml', 'Resources:\n  Db: {}\n  Db: {}\n', /dup\.yaml: cannot parse CloudFormation YAML at line 3, column 3: Map keys must be unique/, 2, 2],
    ['/s/bad.json', '{\n  "Resources": {\n    "Db": { "Type": "AWS::EC2::SecurityGroup" \n  }\n', /bad\.json: cannot parse CloudFormation JSON at line \d+, column \d+: (comma|close brace) expected/, -1, -1],
    ['/s/trailing.json', '{\n  "Resources": {},\n}\n', /trailing\.json: cannot parse CloudFormation JSON at line 3, column 1: property name expected/, 2, 0],
    ['/s/bad.tf', 'resource "aws_security_group" "db" {\n  ingress {\n    from_port = \n  }\n}\n', /bad\.tf: cannot parse Terraform at line 3, column 17: expected a value but found a new line/, 2, 16],
    ['/s/open.tf', 'resource "aws_security_group" "db" {\n  name = "db\n}\n', /open\.tf: cannot parse Terraform at line 2, column 10: unterminated string/, 1, 9],
  ];

  for (const [file, text, message, line, character] of cases) {
    it(`reports ${file.split('/').pop()} as a note naming the file, line and column, and audits nothing`, () => {
      const inventory = loadIacFile(file, text);
      assert.equal(inventory.notes.length >= 1, true);
      const note = inventory.notes[0];
      assert.equal(note?.level, 'error');
      assert.match(note?.message ?? '', message);
      assert.equal(note?.file, file);
      if (line >= 0) assert.equal(note?.location?.start.line, line);
      if (character >= 0) assert.equal(note?.location?.start.character, character);
      assert.deepEqual([inventory.securityGroups, inventory.clusters, inventory.instances], [[], [], []]);
    });
  }

  it('reads a template saved with a byte order mark like one without, at the same positions', () => {
    const text = '{\n  "Resources": {\n    "Db": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "db",\n      "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "CidrIp": "0.0.0.0/0" }] } }\n  }\n}\n';
    for (const file of ['/s/bom.json', '/s/bom.template']) {
      const plain = loadIacFile(file, text);
      const bom = loadIacFile(file, `\ufeff${text}`);
      assert.equal(plain.securityGroups[0]?.rules.filter((r) => r.direction === 'ingress').length, 1, file);
      assert.deepEqual(bom.notes, plain.notes, file);
      assert.deepEqual(bom.securityGroups, plain.securityGroups, file);
    }
  });

  it('skips a cluster whose declared port is not a port, saying so, instead of judging it against a port no rule reaches', () => {
    const cfn = (port: string) => `Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-mysql\n      Port: ${port}\n`;
    const tf = (port: string) => `resource "aws_rds_cluster" "db" {\n  engine = "aurora-postgresql"\n  port   = ${port}\n}\n`;
    for (const [file, text, label] of [['/s/t.yaml', cfn('0'), 'Db Port'], ['/s/t.yaml', cfn('"70000"'), 'Db Port'], ['/s/t.tf', tf('-1'), 'aws_rds_cluster.db port']] as const) {
      const inventory = loadIacFile(file, text);
      assert.deepEqual(inventory.clusters, [], text);
      assert.ok(inventory.notes.some((n) => n.level === 'warning' && n.message.includes(`${label}: `) && /is not a port; the cluster was skipped/.test(n.message)), JSON.stringify(inventory.notes));
    }
    assert.equal(loadIacFile('/s/t.yaml', cfn('3307')).clusters[0]?.port, 3307);
    assert.equal(loadIacFile('/s/t.tf', tf('"5433"')).clusters[0]?.port, 5433);
    assert.equal(loadIacFile('/s/t.tf', 'resource "aws_rds_cluster" "db" {\n  engine = "aurora-postgresql"\n}\n').clusters[0]?.port, 5432);
  });

  it('parses every CloudFormation short-form tag, in scalar, sequence and map form, without a problem', () => {
    const text = [
      'Resources:',
      '  X:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      A: !Ref P',
      '      B: !GetAtt X.GroupId',
      '      C: !Sub "${P}"',
      '      D: !Sub ["${a}", {a: !Ref P}]',
      '      E: !Join ["", [!Select [0, !Split [",", "a,b"]], !ImportValue V, !GetAZs ""]]',
      '      F: !If [C, !Base64 x, !FindInMap [M, k, v]]',
      '      G: !Cidr [!Ref P, 2, 8]',
      '      H: !And [!Equals [a, b], !Or [!Not [!Condition C], !Condition C]]',
      '      I: !Transform {Name: AWS::Include}',
      '      J: !Length [1, 2]',
      '      K: !ToJsonString {a: 1}',
    ].join('\n');
    assert.deepEqual(parseCfnYaml(text).problems, []);
    assert.ok(parseCfnYaml(text).root);
  });

  it('refuses runaway alias expansion and nesting with a note, quickly', () => {
    const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const started = Date.now();
    const inventory = loadIacFile('/s/laughs.yaml', `Resources:\n  X:\n    Type: AWS::EC2::SecurityGroup\nMappings:\n${laughs.map((l) => `  ${l}`).join('\n')}\n`);
    assert.match(inventory.notes[0]?.message ?? '', /laughs\.yaml: cannot parse CloudFormation YAML at line \d+, column \d+: aliases expand to more than a template can hold/);
    assert.ok(Date.now() - started < 5000, 'bounded work');
    const deep = loadIacFile('/s/deep.yaml', `Resources: ${'['.repeat(3000)}`);
    assert.match(deep.notes[0]?.message ?? '', /deep\.yaml: cannot parse CloudFormation YAML at line 1, column 212: nesting deeper than 200 levels/);
    // Deep enough to overflow any stack if a parser recursed into it before the depth check.
    const deepJson = loadIacFile('/s/deep.json', `{"Resources": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    assert.match(deepJson.notes[0]?.message ?? '', /deep\.json: cannot parse CloudFormation JSON at line 1, column \d+: nesting deeper than 200 levels/);
  });

  it('notes a file without Resources instead of failing', () => {
    const inventory = loadIacFile('/s/empty.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\n');
    assert.deepEqual(inventory.notes.map((n) => [n.level, n.message]), [['info', 'empty.yaml: no CloudFormation Resources section; nothing to audit.']]);
    const blank = loadIacFile('/s/blank.yaml', '');
    assert.equal(blank.notes[0]?.level, 'info');
  });

  it('property: random text never makes a reader throw, in any of the three syntaxes', function () {
    this.timeout(60000);
    const fragments = fc.constantFrom(
      'Resources:', '  Db:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      SecurityGroupIngress:', '        - IpProtocol: tcp',
      '          FromPort: 3306', '          CidrIp: !Ref X', '!GetAtt', '!If [', '{"Ref": "X"}', '{"Fn::GetAtt": [', '"Resources": {', '[', ']', '{', '}',
      'resource "aws_security_group" "db" {', 'ingress {', 'from_port = 5432', 'cidr_blocks = ["0.0.0.0/0"]', '"${var.x}"', '<<EOT', 'EOT', '#', '/*', '*/',
      'security_group_id = aws_security_group.db.id', 'vpc_security_group_ids = [', 'engine = "aurora-mysql"', '&a', '*a', '---', '\t', '\r\n', '"', "'",
      '%{ if var.x }', '%{ else }', '%{ endif }', '%{ for v in var.l ~}', '${~', '~}', '[for x in var.y : x if x]', '{ for k, v in m : k => v... }', 'max(var.l...)',
      'x[*].id', 'x.*.id', '<<-EOT', 'a ? b : c', 'dynamic "ingress" {', 'content {', 'for_each = var.r', 'module "m" {', '# aurora-sg:ignore AURSG-001 why',
      'resource "aws_default_security_group" "d" {', '{ "k/${var.n}" = 1, (var.k) = 2, 1 = 3 }', 'région = 1', '!GetAtt Missing.GroupId', '"format_version": "1.2"',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join('\n')),
      fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join(' ')),
    );
    fc.assert(fc.property(text, fc.constantFrom('a.yaml', 'a.json', 'a.tf', 'a.template'), (input, name) => {
      // The readers themselves, without loadIacFile's last-resort catch, must not throw.
      parseCfnYaml(input);
      parseCfnJson(input);
      parseHcl(input);
      const inventory = loadIacFile(`/p/${name}`, input);
      assert.ok(!inventory.notes.some((n) => /could not be read/.test(n.message)), inventory.notes.map((n) => n.message).join('\n'));
      isIacFile(`/p/${name}`, input);
    }), { numRuns: 1500 });
  });
});

describe('IaC: every HCL expression form, damaged or not, never makes the reader throw', () => {
  const exprs = expressions(3);

  it('property: generated expressions as rule and cluster values are evaluated or reported, never thrown', function () {
    this.timeout(60000);
    fc.assert(fc.property(exprs.expr, exprs.expr, exprs.expr, (cidrs, port, ids) => {
      const text = `resource "aws_security_group" "g" {\n  ingress {\n    protocol = "tcp"\n    from_port = ${port}\n    to_port = 5432\n    cidr_blocks = ${cidrs}\n  }\n  dynamic "egress" {\n    for_each = ${cidrs}\n    content {\n      protocol = "-1"\n      cidr_blocks = [egress.value]\n    }\n  }\n}\nresource "aws_rds_cluster" "c" {\n  engine = "aurora-mysql"\n  vpc_security_group_ids = ${ids}\n}\n`;
      const inventory = loadIacFile('/p/gen.tf', text);
      assert.ok(!inventory.notes.some((n) => /could not be read/.test(n.message)), inventory.notes.map((n) => n.message).join('\n'));
    }), { numRuns: 400 });
  });

  it('property: generated configurations with characters deleted, doubled or swapped never make the parser throw', function () {
    this.timeout(60000);
    const damaged = fc.tuple(configuration(exprs), fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'double', 'insert'), fc.constantFrom('{', '}', '"', '$', '%', '~', '\n', '<<', '[', '(', ',', '.', '*', '\\')), { maxLength: 4 }))
      .map(([text, edits]) => edits.reduce((t, [at, kind, ch]) => {
        const i = t.length ? at % t.length : 0;
        return kind === 'delete' ? t.slice(0, i) + t.slice(i + 1) : kind === 'double' ? t.slice(0, i) + t[i] + t.slice(i) : t.slice(0, i) + ch + t.slice(i);
      }, text));
    fc.assert(fc.property(damaged, (text) => {
      const parsed = parseHcl(text);
      if (!parsed.ok) assert.ok(parsed.offset >= 0 && parsed.offset <= text.length, `offset ${parsed.offset} outside the text`);
      const inventory = loadIacFile('/p/damaged.tf', text);
      assert.ok(!inventory.notes.some((n) => /could not be read/.test(n.message)), inventory.notes.map((n) => n.message).join('\n'));
    }), { numRuns: 1500 });
  });
});

describe('IaC: which files are IaC', () => {
  it('knows Terraform by its extension and CloudFormation by what the text declares', () => {
    const cases: [string, string, boolean][] = [
      ['main.tf', '', true],
      ['stack.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\n', true],
      ['stack.yml', 'Resources:\n  Db:\n    Type: AWS::RDS::DBCluster\n', true],
      ['stack.json', '{\n  "Resources": {\n    "Db": { "Type": "AWS::EC2::SecurityGroup" }\n  }\n}', true],
      ['stack.template', '{ "AWSTemplateFormatVersion": "2010-09-09" }', true],
      ['minified.json', '{"Resources":{"Db":{"Type":"AWS::RDS::DBCluster"}}}', true],
      ['describe-security-groups.json', '{ "SecurityGroups": [] }', false],
      ['docker-compose.yaml', 'services:\n  db:\n    image: mysql\n', false],
      ['k8s.yaml', 'Resources:\n  requests: {}\n', false],
      ['notes.md', 'AWSTemplateFormatVersion: "2010-09-09"', false],
      ['main.tf.bak', 'resource "x" "y" {}', false],
    ];
    for (const [file, text, expected] of cases) assert.equal(isIacFile(`/w/${file}`, text), expected, file);
  });
});
