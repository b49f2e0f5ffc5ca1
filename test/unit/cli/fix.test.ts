import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './runCli';

const TF = `resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_rds_cluster" "main" {
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = [aws_security_group.db.id]
}
`;

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aurora-sg-fix-'));
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  return dir;
}

describe('aurora-sg fix', () => {
  it('prints a unified diff of the fix by default, names what it did, and leaves the file as it was', async () => {
    const cwd = await workspace({ 'main.tf': TF });
    const result = await runCli(['fix', '--iac', 'main.tf', '--rule', 'AURSG-001', '--allow', '10.20.0.0/16', '--fail-on', 'critical'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, [
      '--- a/main.tf', '+++ b/main.tf', '@@ -3,7 +3,7 @@', '     from_port   = 5432', '     to_port     = 5432', '     protocol    = "tcp"',
      '-    cidr_blocks = ["0.0.0.0/0"]', '+    cidr_blocks = ["10.20.0.0/16"]', '   }', ' ', '   ingress {', '',
    ].join('\n'));
    assert.match(result.stderr, /^AURSG-001-[0-9a-f]{12} \(main\.tf:2\): Replace 0\.0\.0\.0\/0 with the approved sources \(10\.20\.0\.0\/16\)\n$/);
    assert.equal(await fs.readFile(path.join(cwd, 'main.tf'), 'utf8'), TF);
  });

  it('--write edits the file in place; the audit afterwards no longer has the findings fixed', async () => {
    const cwd = await workspace({ 'main.tf': TF });
    const first = await runCli(['fix', '--iac', 'main.tf', '--rule', 'AURSG-005', '--write', '--fail-on', 'none'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Narrow to tcp 5432, the database port\naurora-sg fix: wrote main\.tf\n$/);
    const written = await fs.readFile(path.join(cwd, 'main.tf'), 'utf8');
    assert.ok(written.includes('    from_port   = 5432\n    to_port     = 5432\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]'), written);
    const audit = await runCli(['audit', '--iac', 'main.tf', '--format', 'json', '--fail-on', 'none'], { cwd });
    const ids = (JSON.parse(audit.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId).sort();
    assert.deepEqual(ids, ['AURSG-001', 'AURSG-004']);
  });

  it('exits 1 when findings at or above --fail-on are left, saying why a finding has no fix', async () => {
    const cwd = await workspace({ 'main.tf': TF });
    const result = await runCli(['fix', '--iac', 'main.tf', '--rule', 'AURSG-004', '--fix', 'narrow-port'], { cwd });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /AURSG-004-[0-9a-f]{12} \(main\.tf:9\): not fixed: Narrow to tcp 5432, the database port: the file would still have AURSG-004/);
    assert.match(result.stderr, /1 finding could not be fixed in the file/);
    assert.equal(result.stdout, '');
  });

  it('fixes CloudFormation YAML with --finding and a reference of the template as the new source', async () => {
    const yaml = 'Parameters:\n  AppGroup:\n    Type: AWS::EC2::SecurityGroup::Id\nResources:\n  Db:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 3306\n          ToPort: 3306\n          CidrIp: 0.0.0.0/0\n      SecurityGroupEgress:\n        - IpProtocol: tcp\n          FromPort: 443\n          ToPort: 443\n          CidrIp: 10.0.0.0/16\n';
    const cwd = await workspace({ 'stack.yaml': yaml });
    const audit = await runCli(['audit', '--iac', 'stack.yaml', '--format', 'json', '--fail-on', 'none'], { cwd });
    const id = (JSON.parse(audit.stdout) as { findings: { id: string; ruleId: string }[] }).findings.find((f) => f.ruleId === 'AURSG-001')!.id;
    const result = await runCli(['fix', '--iac', 'stack.yaml', '--finding', id.slice(0, 14), '--allow', '!Ref AppGroup', '--write'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    assert.ok((await fs.readFile(path.join(cwd, 'stack.yaml'), 'utf8')).includes('          SourceSecurityGroupId: !Ref AppGroup\n'));
  });

  it('lists a finding an inline comment suppresses as suppressed, with the reason, in the JSON report', async () => {
    const cwd = await workspace({ 'main.tf': TF.replace('  ingress {\n    from_port   = 5432', '  # aurora-sg:ignore AURSG-001 vendor VPN, ticket 9\n  ingress {\n    from_port   = 5432') });
    const audit = await runCli(['audit', '--iac', 'main.tf', '--format', 'json', '--fail-on', 'none'], { cwd });
    const finding = (JSON.parse(audit.stdout) as { findings: { ruleId: string; suppressed: boolean; suppressionReason: string | null }[] }).findings.find((f) => f.ruleId === 'AURSG-001');
    assert.deepEqual([finding?.suppressed, finding?.suppressionReason], [true, 'vendor VPN, ticket 9']);
    const fix = await runCli(['fix', '--iac', 'main.tf', '--rule', 'AURSG-001'], { cwd });
    assert.match(fix.stderr, /no active AURSG-001 finding in main\.tf; nothing to fix/);
  });

  it('exits 2 for usage mistakes, each message naming the culprit', async () => {
    const cwd = await workspace({ 'main.tf': TF });
    const cases: [string[], RegExp][] = [
      [['fix', '--rule', 'AURSG-001'], /name the files to fix with --iac FILE/],
      [['fix', '--iac', 'main.tf'], /say what to fix: --finding ID or --rule ID/],
      [['fix', '--iac', 'main.tf', '--rule', 'AURSG-1'], /--rule must be a rule id/],
      [['fix', '--iac', 'main.tf', '--finding', 'AURSG-001-nothere'], /no active finding AURSG-001-nothere in main\.tf/],
      [['fix', '--iac', 'missing.tf', '--rule', 'AURSG-001'], /cannot read the IaC file missing\.tf: no such file/],
      [['fix', '--iac', 'main.tf', '--rule', 'AURSG-001', '--diff', '--write'], /--diff and --write exclude each other/],
      [['fix', '--iac', 'main.tf', '--rule', 'AURSG-001', '--fix', 'revoke'], /--fix must be one of approved-sources, /],
    ];
    for (const [argv, message] of cases) {
      const result = await runCli(argv, { cwd });
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, message, argv.join(' '));
    }
    const help = await runCli(['fix', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: aurora-sg fix --iac FILE\.\.\. \(--finding ID \| --rule ID\)/);
    assert.match((await runCli(['--help'])).stdout, /\n {2}fix +fix findings of CloudFormation and Terraform files in the files themselves\n/);
  });
});
