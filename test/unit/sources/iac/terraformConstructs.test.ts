// Each HCL construct that real modules use, in a Terraform file the reader must read: the file is
// never unreadable because of it, the value is evaluated when the file fixes it, and it is
// reported as unknown (with a note naming the construct) when only the plan knows it.

import * as assert from 'node:assert/strict';
import { auditInventory } from '../../../../src/rules';
import { loadIacFile } from '../../../../src/sources/iac';
import { noteMessages, rulesOf } from './helpers';

/** A group whose one ingress rule takes its source (and optionally other fields) from `cidr`. */
function groupWith(cidr: string, extra = '', preamble = ''): string {
  return `${preamble}
resource "aws_security_group" "db" {
  name = "db"
${extra}
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ${cidr}
  }
}
`;
}

function read(text: string) {
  const inventory = loadIacFile('/w/main.tf', text);
  const syntax = inventory.notes.filter((n) => n.level === 'error');
  assert.deepEqual(syntax.map((n) => n.message), [], 'the file is read');
  return inventory;
}

describe('IaC: Terraform constructs', () => {
  it('object keys that are template strings (EKS tags)', () => {
    const inventory = read(groupWith('["10.0.0.0/16"]', '  tags = { "kubernetes.io/cluster/${var.name}" = "shared", Name = "db" }', 'variable "name" { default = "eks-prod" }'));
    assert.deepEqual(inventory.securityGroups[0]?.tags, { 'kubernetes.io/cluster/eks-prod': 'shared', Name: 'db' });
  });

  it('object keys that are function calls, numbers or parenthesised references', () => {
    const inventory = read(groupWith('["10.0.0.0/16"]', '  tags = { format("k/%s", var.n) = "x", 1 = "a", (local.k) = "b" }', 'variable "n" { default = "v" }\nlocals { k = "key" }'));
    assert.deepEqual(inventory.securityGroups[0]?.tags, { 'k/v': 'x', 1: 'a', key: 'b' });
  });

  it('the ... expansion of a list into a call\'s arguments', () => {
    const text = `variable "ports" { default = [5432, 5433] }
resource "aws_vpc_security_group_ingress_rule" "r" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "tcp"
  from_port         = min(var.ports...)
  to_port           = max(1, var.ports...)
  cidr_ipv4         = "0.0.0.0/0"
}
`;
    assert.deepEqual(rulesOf(read(text), 'sg-0123456789abcdef0'), ['ingress tcp 5432-5433 cidr4:0.0.0.0/0']);
  });

  it('non-ASCII identifiers', () => {
    const inventory = read(groupWith('[var.réseau_privé]', '', 'variable "réseau_privé" { default = "10.20.0.0/16" }'));
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:10.20.0.0/16']);
  });

  it('conditionals, decided by the defaults the file gives', () => {
    const inventory = read(groupWith('[var.prod ? "10.0.0.0/8" : "0.0.0.0/0"]', '', 'variable "prod" { default = false }'));
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0']);
    assert.ok(auditInventory(inventory).some((f) => f.ruleId === 'AURSG-001'), 'judged like the literal');
  });

  it('for expressions over lists and maps, with if and grouping', () => {
    const preamble = 'variable "nets" { default = { app = "10.1.0.0/16", ops = "", vpn = "10.9.0.0/16" } }';
    const inventory = read(groupWith('[for name, cidr in var.nets : cidr if cidr != ""]', '  tags = { for k, v in var.nets : upper(k) => v... }', preamble));
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:10.1.0.0/16', 'ingress tcp 5432-5432 cidr4:10.9.0.0/16']);
  });

  it('splats, attribute-only and full, over resources and lists', () => {
    const text = `variable "peers" { default = [{ cidr = "10.3.0.0/16" }, { cidr = "10.4.0.0/16" }] }
resource "aws_security_group" "app" { name = "app" }
resource "aws_security_group" "db" {
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = aws_security_group.app[*].id
    cidr_blocks     = var.peers.*.cidr
  }
}
`;
    assert.deepEqual(rulesOf(read(text), 'aws_security_group.db'), [
      'ingress tcp 5432-5432 cidr4:10.3.0.0/16', 'ingress tcp 5432-5432 cidr4:10.4.0.0/16', 'ingress tcp 5432-5432 group:aws_security_group.app',
    ]);
  });

  it('%{ } template directives, if and for', () => {
    const text = groupWith('["%{ if var.public }0.0.0.0/0%{ else }10.0.0.0/8%{ endif }"]', '  description = "ports: %{ for p in var.ports ~}${p} %{~ endfor }"', 'variable "public" { default = true }\nvariable "ports" { default = [1, 2] }');
    const inventory = read(text);
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0']);
    assert.equal(inventory.securityGroups[0]?.description, 'ports: 12');
  });

  it('heredocs, plain and indented with <<-', () => {
    const text = groupWith('["10.0.0.0/16"]', '  description = <<-EOT\n    Payments\n      database\n    EOT');
    assert.equal(read(text).securityGroups[0]?.description, 'Payments\n  database\n');
  });

  it('dynamic blocks: one rule per element of a known for_each, with its iterator', () => {
    const text = `variable "rules" {
  default = [
    { port = 5432, cidrs = ["10.0.0.0/16"] },
    { port = 5432, cidrs = ["0.0.0.0/0", "81.2.69.0/24"] },
  ]
}
resource "aws_security_group" "db" {
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }
  dynamic "egress" {
    for_each = { all = "0.0.0.0/0" }
    content {
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = [egress.value]
      description = egress.key
    }
  }
}
`;
    const inventory = read(text);
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), [
      'ingress tcp 5432-5432 cidr4:10.0.0.0/16', 'ingress tcp 5432-5432 cidr4:0.0.0.0/0', 'ingress tcp 5432-5432 cidr4:81.2.69.0/24', 'egress all cidr4:0.0.0.0/0',
    ]);
    assert.equal(inventory.securityGroups[0]?.rules[3]?.description, 'all');
    const findings = auditInventory(inventory).map((f) => f.ruleId).sort();
    assert.deepEqual(findings, ['AURSG-001', 'AURSG-003', 'AURSG-008']);
  });

  it('operators, parentheses, unary minus and not, indexes and legacy indexes', () => {
    const text = `locals {
  base  = 5400
  cidrs = ["10.0.0.0/16", "10.1.0.0/16"]
}
resource "aws_security_group" "db" {
  ingress {
    from_port   = local.base + 32
    to_port     = (local.base + 32) * 1
    protocol    = !false && 1 < 2 ? "tcp" : "udp"
    cidr_blocks = [local.cidrs.1, local.cidrs[-(-0)]]
  }
}
`;
    assert.deepEqual(rulesOf(read(text), 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:10.1.0.0/16', 'ingress tcp 5432-5432 cidr4:10.0.0.0/16']);
  });

  it('network functions: cidrsubnet, cidrhost and friends', () => {
    const inventory = read(groupWith('[cidrsubnet(var.vpc, 8, 3), "${cidrhost(var.vpc, 5)}/32"]', '', 'variable "vpc" { default = "10.40.0.0/16" }'));
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:10.40.3.0/24', 'ingress tcp 5432-5432 cidr4:10.40.0.5/32']);
  });

  it('the arguments a resource declares, referenced from another (aws_vpc.main.cidr_block)', () => {
    const text = `resource "aws_vpc" "main" { cidr_block = "10.50.0.0/16" }
resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
`;
    const inventory = read(text);
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['egress all cidr4:10.50.0.0/16']);
    assert.equal(inventory.securityGroups[0]?.vpcId, 'aws_vpc.main');
  });

  it('what only the plan knows is unknown with a note naming it, and the rest of the file is still read', () => {
    const text = `resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.main.cidr_block, "0.0.0.0/0", jsondecode("{}").cidr, [for c in var.cidrs : c][0], each.value]
  }
}
`;
    const inventory = read(text);
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0']);
    const notes = noteMessages(inventory).join('\n');
    assert.match(notes, /data\.aws_vpc\.main\.cidr_block is known only at plan time; that source was not audited/);
    assert.match(notes, /jsondecode\(\) is left to Terraform: this reader does not evaluate it; that source was not audited/);
    assert.match(notes, /var\.cidrs is not declared in this file, so its value is known only at plan time/);
    assert.match(notes, /each\.key and each\.value are known only when Terraform expands the resource/);
  });

  it('reads aws_default_security_group, judges its rules and puts a cluster without groups in it (AURSG-007)', () => {
    const text = `resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0123456789abcdef0"
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_security_group_egress_rule" "out" {
  security_group_id = aws_default_security_group.default.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
resource "aws_security_group_rule" "ops" {
  type              = "ingress"
  security_group_id = aws_default_security_group.default.id
  from_port         = 3306
  to_port           = 3306
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}
resource "aws_rds_cluster" "db" {
  engine = "aurora-mysql"
}
`;
    const inventory = read(text);
    const group = inventory.securityGroups.find((g) => g.groupId === 'aws_default_security_group.default');
    assert.equal(group?.groupName, 'default');
    assert.deepEqual(rulesOf(inventory, 'aws_default_security_group.default'), ['ingress tcp 3306-3306 cidr4:0.0.0.0/0', 'egress all cidr4:0.0.0.0/0', 'ingress tcp 3306-3306 cidr4:10.0.0.0/8']);
    assert.deepEqual(inventory.clusters[0]?.securityGroupIds, ['aws_default_security_group.default']);
    const findings = auditInventory(inventory);
    const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
    assert.deepEqual(ids, ['AURSG-001', 'AURSG-004', 'AURSG-007', 'AURSG-008']);
    assert.equal(findings.find((f) => f.ruleId === 'AURSG-007')?.location?.start.line, text.split('\n').findIndex((l) => l.includes('"aws_rds_cluster" "db"')));
  });

  it('names a module call that it does not follow', () => {
    const text = `module "database" {
  source = "./modules/aurora"
  vpc_id = var.vpc_id
}
`;
    const inventory = read(text);
    const note = inventory.notes.find((n) => n.message.includes('module.database'));
    assert.equal(note?.level, 'warning');
    assert.match(note?.message ?? '', /module\.database \(source "\.\/modules\/aurora"\) is not followed: its resources are not audited\. To audit them, audit the plan: .*terraform show -json tfplan > plan\.json, then aurora-sg audit --iac plan\.json/);
    assert.equal(note?.location?.start.line, 0);
  });

  it('leaves out a resource that count = 0 does not create, and says so', () => {
    const inventory = read(groupWith('["0.0.0.0/0"]', '  count = var.create ? 1 : 0', 'variable "create" { default = false }'));
    assert.deepEqual(inventory.securityGroups, []);
    assert.ok(noteMessages(inventory).some((m) => /aws_security_group\.db is not created \(count is 0\)/.test(m)));
  });
});
