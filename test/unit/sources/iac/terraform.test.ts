import * as assert from 'node:assert/strict';
import { loadIacFile } from '../../../../src/sources/iac';
import { lineOf, noteMessages, rulesOf } from './helpers';

const FILE = '/work/infra/main.tf';

describe('IaC: Terraform', () => {
  const config = `
variable "app_cidr" {
  default = "10.30.0.0/16"
}
variable "partner_cidrs" {
  type    = list(string)
  default = ["81.2.69.0/24", "81.2.70.0/24"]
}
variable "office_cidrs" {
  type = list(string)
}
locals {
  db_port = 5432
  vpn     = "172.16.0.0/12"
}

resource "aws_security_group" "app" {
  name_prefix = "app-"
  vpc_id      = "vpc-0123456789abcdef0"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name        = "payments-db"
  description = "Payments database"
  tags = {
    Team = "payments"
  }

  ingress {
    description     = "from app"
    from_port       = local.db_port
    to_port         = local.db_port
    protocol        = "6"
    security_groups = [aws_security_group.app.id, "sg-0aaaaaaaaaaaaaaaa"]
    self            = true
  }

  ingress {
    from_port        = 5432
    to_port          = 5432
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0", var.app_cidr, var.office_cidrs[0]]
    ipv6_cidr_blocks = ["::/0"]
    prefix_list_ids  = ["pl-0123456789abcdef0"]
  }

  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.partner_cidrs
  }

  ingress {
    from_port   = var.unknown_port
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["\${local.vpn}"]
  }

  dynamic "ingress" {
    for_each = var.extra
    content {
      from_port = ingress.value
    }
  }
}

resource "aws_security_group_rule" "office" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = var.office_cidrs
}

resource "aws_security_group_rule" "app_to_db" {
  type                     = "egress"
  security_group_id        = aws_security_group.app.id
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_ingress_rule" "vpn" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv4         = local.vpn
}

resource "aws_vpc_security_group_ingress_rule" "peer" {
  security_group_id            = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = "sg-0bbbbbbbbbbbbbbbb"
}

resource "aws_vpc_security_group_ingress_rule" "v6" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_egress_rule" "out" {
  security_group_id = aws_security_group.app.id
  ip_protocol       = "udp"
  from_port         = 53
  to_port           = 53
  prefix_list_id    = "pl-0cccccccccccccccc"
}

resource "aws_vpc_security_group_ingress_rule" "elsewhere" {
  security_group_id = "sg-0ddddddddddddddddd"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_rds_cluster" "main" {
  cluster_identifier     = "Payments-DB"
  engine                 = "aurora-postgresql"
  vpc_security_group_ids = [aws_security_group.db.id, "sg-0eeeeeeeeeeeeeeee", var.extra_sg]
}

resource "aws_rds_cluster" "mysql" {
  engine                 = "aurora-mysql"
  port                   = "3307"
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_rds_cluster" "plain" {
  engine = "mysql"
}

resource "aws_rds_cluster_instance" "writer" {
  identifier          = "payments-db-1"
  cluster_identifier  = aws_rds_cluster.main.id
  instance_class      = "db.r6g.large"
  publicly_accessible = true
}

resource "aws_rds_cluster_instance" "reader" {
  cluster_identifier = aws_rds_cluster.main.cluster_identifier
  instance_class     = "db.r6g.large"
}

resource "aws_rds_cluster_instance" "plain" {
  cluster_identifier = aws_rds_cluster.plain.id
}

resource "aws_rds_cluster_instance" "elsewhere" {
  cluster_identifier = "ledger-db"
  engine             = "aurora-mysql"
}

resource "aws_rds_cluster_instance" "mysql" {
  cluster_identifier  = aws_rds_cluster.mysql.id
  publicly_accessible = var.public
}
`;
  const inventory = loadIacFile(FILE, config);

  it('describes the file as an IaC target judged without clusters', () => {
    assert.deepEqual(inventory.target, { kind: 'iac', label: 'main.tf', path: FILE });
    assert.equal(inventory.judgeUnattachedGroups, true);
  });

  it('reads inline blocks: every source of a block becomes a rule, with locals and variable defaults resolved', () => {
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.db'), [
      'ingress tcp 5432-5432 group:aws_security_group.app',
      'ingress tcp 5432-5432 group:sg-0aaaaaaaaaaaaaaaa',
      'ingress tcp 5432-5432 group:aws_security_group.db',
      'ingress tcp 5432-5432 cidr4:0.0.0.0/0',
      'ingress tcp 5432-5432 cidr4:10.30.0.0/16',
      'ingress tcp 5432-5432 cidr6:::/0',
      'ingress tcp 5432-5432 prefixList:pl-0123456789abcdef0',
      'ingress all cidr4:81.2.69.0/24',
      'ingress all cidr4:81.2.70.0/24',
      'egress tcp 443-443 cidr4:172.16.0.0/12',
      'ingress tcp 0-65535 cidr4:172.16.0.0/12',
      'ingress tcp 5432-5432 group:sg-0bbbbbbbbbbbbbbbb',
      'ingress all cidr6:::/0',
    ]);
    const group = inventory.securityGroups.find((g) => g.groupId === 'aws_security_group.db');
    assert.equal(group?.groupName, 'payments-db');
    assert.equal(group?.description, 'Payments database');
    assert.deepEqual(group?.tags, { Team: 'payments' });
    assert.equal(group?.rules[0]?.description, 'from app');
  });

  it('never adds the allow-all egress that CloudFormation would: Terraform removes it', () => {
    const app = inventory.securityGroups.find((g) => g.groupId === 'aws_security_group.app');
    assert.equal(app?.groupName, 'app-');
    assert.equal(app?.description, 'Managed by Terraform');
    assert.equal(app?.vpcId, 'vpc-0123456789abcdef0');
    assert.deepEqual(rulesOf(inventory, 'aws_security_group.app'), [
      'ingress tcp 443-443 cidr4:0.0.0.0/0',
      'egress tcp 5432-5432 group:aws_security_group.db',
      'egress udp 53-53 prefixList:pl-0cccccccccccccccc',
    ]);
  });

  it('skips what is known only at plan time, with a note naming the resource and the attribute', () => {
    const expectations: [RegExp, string][] = [
      [/aws_security_group\.db ingress\[1\] cidr_blocks: var\.office_cidrs has no default.*that source was not audited/, 'var.office_cidrs[0]'],
      [/aws_security_group\.db ingress\[3\] from_port: var\.unknown_port is not declared in this file.*the rule was skipped/, 'from_port   = var.unknown_port'],
      [/aws_security_group\.db: a dynamic "ingress" block makes its rules from for_each at plan time/, 'dynamic "ingress"'],
      [/aws_security_group_rule\.office cidr_blocks: var\.office_cidrs has no default.*those sources were not audited/, 'cidr_blocks       = var.office_cidrs'],
      [/aws_rds_cluster\.main vpc_security_group_ids: var\.extra_sg is not declared in this file/, 'var.extra_sg]'],
      [/aws_rds_cluster_instance\.mysql publicly_accessible: var\.public is not declared.*treated as private/, 'publicly_accessible = var.public'],
    ];
    for (const [pattern, line] of expectations) {
      const note = inventory.notes.find((n) => pattern.test(n.message));
      assert.ok(note, `expected a note matching ${pattern}; notes:\n${noteMessages(inventory).join('\n')}`);
      assert.equal(note.location?.start.line, lineOf(config, line), `${pattern} at the line of ${line}`);
      assert.match(note.message, /^main\.tf, line \d+: /);
    }
    assert.ok(!inventory.securityGroups.some((g) => g.rules.some((r) => r.source.value === '10.0.0.0/8')), 'the rule with an unknown port is not guessed');
  });

  it('keeps rules added to a group declared elsewhere under its id, and says so', () => {
    assert.deepEqual(rulesOf(inventory, 'sg-0ddddddddddddddddd'), ['ingress tcp 5432-5432 cidr4:0.0.0.0/0']);
    assert.ok(noteMessages(inventory).some((m) => /aws_vpc_security_group_ingress_rule\.elsewhere adds a rule to sg-0ddddddddddddddddd, a group not declared in this file/.test(m)));
  });

  it('reads Aurora clusters with declared or default ports and their groups, and leaves other engines out', () => {
    assert.deepEqual(inventory.clusters.map((c) => [c.clusterId, c.engine, c.port, c.securityGroupIds]), [
      ['payments-db', 'aurora-postgresql', 5432, ['aws_security_group.db', 'sg-0eeeeeeeeeeeeeeee']],
      ['aws_rds_cluster.mysql', 'aurora-mysql', 3307, ['aws_security_group.app']],
    ]);
    assert.ok(noteMessages(inventory).some((m) => /aws_rds_cluster\.plain is a mysql cluster, not Aurora/.test(m)));
  });

  it('reads Aurora cluster instances, linked by the cluster reference, with their public accessibility', () => {
    assert.deepEqual(inventory.instances.map((i) => [i.instanceId, i.clusterId, i.publiclyAccessible, i.engine]), [
      ['payments-db-1', 'payments-db', true, 'aurora-postgresql'],
      ['aws_rds_cluster_instance.reader', 'payments-db', false, 'aurora-postgresql'],
      ['aws_rds_cluster_instance.elsewhere', 'ledger-db', false, 'aurora-mysql'],
      ['aws_rds_cluster_instance.mysql', 'aws_rds_cluster.mysql', false, 'aurora-mysql'],
    ]);
    assert.deepEqual(inventory.clusters[0]?.memberInstanceIds, ['payments-db-1', 'aws_rds_cluster_instance.reader']);
  });

  it('places rules on their block, groups and clusters on their resource', () => {
    const db = inventory.securityGroups.find((g) => g.groupId === 'aws_security_group.db');
    const anywhere = db?.rules.find((r) => r.source.value === '0.0.0.0/0');
    const expectedStart = lineOf(config, 'from_port        = 5432') - 1;
    assert.deepEqual(anywhere?.location?.start, { line: expectedStart, character: 2 });
    assert.equal(anywhere?.location?.end.line, lineOf(config, 'prefix_list_ids  = ["pl-0123456789abcdef0"]') + 1);
    const vpn = db?.rules.find((r) => r.fromPort === 0 && r.source.value === '172.16.0.0/12');
    assert.equal(vpn?.location?.start.line, lineOf(config, 'resource "aws_vpc_security_group_ingress_rule" "vpn"'));
    assert.equal(db?.location?.start.line, lineOf(config, 'resource "aws_security_group" "db"'));
    assert.equal(inventory.clusters[0]?.location?.start.line, lineOf(config, 'resource "aws_rds_cluster" "main"'));
  });

  it('reads the attribute form of ingress and egress lists, and old-style "${...}" references', () => {
    const text = `resource "aws_security_group" "x" {
  ingress = [{
    from_port = 3306, to_port = 3306, protocol = "tcp", cidr_blocks = ["0.0.0.0/0"]
  }]
  egress = []
}
resource "aws_security_group_rule" "y" {
  type = "ingress"
  security_group_id = "\${aws_security_group.x.id}"
  from_port = 3306
  to_port = 3306
  protocol = "tcp"
  self = true
}
`;
    const inv = loadIacFile('/x.tf', text);
    assert.deepEqual(rulesOf(inv, 'aws_security_group.x'), ['ingress tcp 3306-3306 cidr4:0.0.0.0/0', 'ingress tcp 3306-3306 group:aws_security_group.x']);
    assert.equal(inv.securityGroups[0]?.rules[0]?.location?.start.line, 1);
    assert.deepEqual(inv.notes, []);
  });
});
