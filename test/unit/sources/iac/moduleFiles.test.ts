// A Terraform file is read with the other files of its module (its directory), as Terraform reads
// them: main.tf's variables live in variables.tf, its locals in locals.tf, the VPC it names in
// network.tf. Before, such a file's rules were skipped as "known only at plan time" and an open
// database went unreported.

import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { auditInventory, defaultSettings } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { applyEdits, iacCodeFixes } from '../../../../src/sources/iac/fixes';
import { terraformSiblings } from '../../../../src/sources/iac/moduleFiles';
import { runCli } from '../../cli/runCli';
import { describeRule, lineOf, noteMessages } from './helpers';

const MAIN = `resource "aws_security_group" "db" {
  name   = "payments-db"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = var.db_port
    to_port     = var.db_port
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [local.vpc_cidr]
  }
}
resource "aws_rds_cluster" "payments" {
  cluster_identifier     = "payments"
  engine                 = "aurora-postgresql"
  port                   = var.db_port
  vpc_security_group_ids = [aws_security_group.db.id]
}
`;

function moduleDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-sg-module-'));
  writeFileSync(path.join(dir, 'main.tf'), MAIN);
  writeFileSync(path.join(dir, 'variables.tf'), 'variable "office_cidr" { default = "0.0.0.0/0" }\nvariable "db_port" {\n  type    = number\n  default = 5432\n}\n');
  writeFileSync(path.join(dir, 'locals.tf.json'), JSON.stringify({ locals: { vpc_cidr: '${aws_vpc.main.cidr_block}' } }));
  writeFileSync(path.join(dir, 'network.tf'), 'resource "aws_vpc" "main" { cidr_block = "10.40.0.0/16" }\n');
  writeFileSync(path.join(dir, 'broken.tf'), 'resource "x" {{{\n');
  writeFileSync(path.join(dir, 'notes.txt'), 'variable "office_cidr" { default = "10.0.0.0/8" }\n');
  return dir;
}

describe('IaC: a Terraform file with the other files of its module', () => {
  it('lists the .tf and .tf.json files beside it, not itself nor other files, and takes an editor\'s unsaved text', () => {
    const dir = moduleDir();
    const main = path.join(dir, 'main.tf');
    assert.deepEqual(terraformSiblings(main).map((f) => path.basename(f.path)), ['broken.tf', 'locals.tf.json', 'network.tf', 'variables.tf']);
    const unsaved = terraformSiblings(main, (file) => (file.endsWith('variables.tf') ? 'variable "office_cidr" { default = "10.1.0.0/16" }' : undefined));
    assert.match(unsaved.find((f) => f.path.endsWith('variables.tf'))!.text, /10\.1\.0\.0\/16/);
    assert.deepEqual(terraformSiblings(path.join(dir, 'notes.txt')), [], 'only a Terraform file has a module');
    writeFileSync(path.join(dir, 'variables.tf'), 'variable "office_cidr" { default = "10.77.0.0/16" }\n');
    assert.match(terraformSiblings(main).find((f) => f.path.endsWith('variables.tf'))!.text, /10\.77\.0\.0\/16/, 'a file changed on disk is read again');
  });

  it('resolves variables, locals (in JSON syntax too) and resource arguments declared in the other files: the open port is reported', () => {
    const dir = moduleDir();
    const main = path.join(dir, 'main.tf');
    const alone = loadIacFile(main, MAIN);
    assert.ok(noteMessages(alone).some((m) => /var\.db_port is not declared in this file/.test(m)), 'alone, the file cannot know its variables');
    assert.deepEqual(auditInventory(alone).filter((f) => f.ruleId === 'AURSG-001'), []);

    const inventory = loadIacFile(main, MAIN, { siblings: terraformSiblings(main) });
    assert.deepEqual(inventory.securityGroups.map((g) => g.rules.map(describeRule)), [['ingress tcp 5432-5432 cidr4:0.0.0.0/0', 'egress all cidr4:10.40.0.0/16']]);
    assert.deepEqual(inventory.clusters.map((c) => [c.clusterId, c.port]), [['payments', 5432]]);
    const open = auditInventory(inventory).find((f) => f.ruleId === 'AURSG-001')!;
    assert.equal(open.rule?.location?.file, main, 'findings sit in the file itself');
    assert.equal(open.rule?.parts?.source?.start.line, lineOf(MAIN, 'cidr_blocks = [var.office_cidr]'));
    assert.deepEqual(inventory.securityGroups.map((g) => g.groupId), ['aws_security_group.db'], 'the other files are read, not audited');
    assert.ok(!noteMessages(inventory).some((m) => /broken\.tf|not declared/.test(m)), 'a module file that does not parse is left out quietly: it has its own diagnostics');
  });

  it('keeps what the file declares itself before what the module\'s other files declare', () => {
    const dir = moduleDir();
    const main = path.join(dir, 'main.tf');
    const own = `variable "office_cidr" { default = "10.9.0.0/16" }\n${MAIN}`;
    const inventory = loadIacFile(main, own, { siblings: terraformSiblings(main) });
    assert.deepEqual(inventory.securityGroups[0]!.rules.map(describeRule)[0], 'ingress tcp 5432-5432 cidr4:10.9.0.0/16');
  });

  it('takes the values of terraform.tfvars and *.auto.tfvars(.json) over the defaults, the later file winning, as Terraform loads them', () => {
    const dir = moduleDir();
    const main = path.join(dir, 'main.tf');
    writeFileSync(path.join(dir, 'terraform.tfvars'), 'office_cidr = "10.5.0.0/16"\nundeclared = "ignored"\n');
    assert.deepEqual(terraformSiblings(main).map((f) => path.basename(f.path)).slice(-1), ['terraform.tfvars'], 'variable files come after the configuration');
    const narrowed = loadIacFile(main, MAIN, { siblings: terraformSiblings(main) });
    assert.equal(narrowed.securityGroups[0]!.rules.map(describeRule)[0], 'ingress tcp 5432-5432 cidr4:10.5.0.0/16', 'terraform.tfvars overrides the default');
    assert.ok(!auditInventory(narrowed).some((f) => f.ruleId === 'AURSG-001'));
    writeFileSync(path.join(dir, 'z.auto.tfvars.json'), JSON.stringify({ office_cidr: '0.0.0.0/0', db_port: 3306 }));
    assert.deepEqual(terraformSiblings(main).map((f) => path.basename(f.path)).slice(-2), ['terraform.tfvars', 'z.auto.tfvars.json']);
    const reopened = loadIacFile(main, MAIN, { siblings: terraformSiblings(main) });
    assert.equal(reopened.securityGroups[0]!.rules.map(describeRule)[0], 'ingress tcp 3306-3306 cidr4:0.0.0.0/0', 'an .auto.tfvars.json file is loaded after terraform.tfvars and wins');
    assert.ok(auditInventory(reopened).some((f) => f.ruleId === 'AURSG-001'));
  });

  it('verifies its code fixes with the same module: the fix of the open port is offered and leaves no finding of it', () => {
    const dir = moduleDir();
    const main = path.join(dir, 'main.tf');
    const settings = { ...defaultSettings(), approvedSources: ['10.20.0.0/16'] };
    const siblings = terraformSiblings(main);
    const finding = auditInventory(loadIacFile(main, MAIN, { siblings }), settings).find((f) => f.ruleId === 'AURSG-001')!;
    const list = iacCodeFixes({ file: main, text: MAIN, settings, siblings }, finding.id);
    assert.ok(!('why' in list), JSON.stringify(list));
    const fix = list.fixes[0]!;
    assert.equal(fix.title, 'Replace 0.0.0.0/0 with the approved sources (10.20.0.0/16)');
    const edited = applyEdits(MAIN, fix.edits);
    assert.match(edited, /cidr_blocks = \["10\.20\.0\.0\/16"\]/, 'the edit is in the file, where the rule names the variable');
    const after = auditInventory(loadIacFile(main, edited, { siblings }), settings);
    assert.ok(!after.some((f) => f.ruleId === 'AURSG-001'));
  });

  it('aurora-sg audit --iac main.tf reads the module around it', async () => {
    const dir = moduleDir();
    const result = await runCli(['audit', '--iac', 'main.tf', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; clusterId: string | null }[] };
    assert.ok(report.findings.some((f) => f.ruleId === 'AURSG-001' && f.clusterId === 'payments'));
  });
});
