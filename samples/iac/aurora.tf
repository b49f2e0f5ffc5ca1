# Payments service: an Aurora PostgreSQL cluster and its security groups.
# Sample for Aurora Security Groups: some rules here are risky on purpose.

variable "vpc_id" {
  type = string
}

variable "app_cidr" {
  type    = string
  default = "10.30.0.0/16"
}

variable "office_cidrs" {
  type        = list(string)
  description = "Set per environment in a tfvars file"
}

locals {
  db_port = 5432
}

resource "aws_security_group" "app" {
  name        = "payments-app"
  description = "Payments app tier"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from the load balancer"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name        = "payments-db"
  description = "Payments Aurora cluster"
  vpc_id      = var.vpc_id

  ingress {
    description     = "PostgreSQL from the app tier"
    from_port       = local.db_port
    to_port         = local.db_port
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }

  ingress {
    description = "PostgreSQL from the app subnets"
    from_port   = 5432
    to_port     = 5432
    protocol    = "6"
    cidr_blocks = [var.app_cidr]
  }

  ingress {
    description = "quick test, remove"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # No egress blocks: Terraform removes AWS's default allow-all egress rule.

  tags = {
    Service = "payments"
  }
}

resource "aws_security_group_rule" "db_office" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = var.office_cidrs
}

resource "aws_vpc_security_group_ingress_rule" "db_vpn" {
  security_group_id = aws_security_group.db.id
  description       = "VPN users"
  ip_protocol       = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_ipv4         = "172.16.0.0/12"
}

resource "aws_vpc_security_group_ingress_rule" "db_partner" {
  security_group_id = aws_security_group.db.id
  description       = "partner reconciliation job"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "81.2.69.0/24"
}

resource "aws_rds_cluster" "main" {
  cluster_identifier          = "payments-db"
  engine                      = "aurora-postgresql"
  engine_version              = "16.4"
  master_username             = "payments"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.db.id]
}

resource "aws_rds_cluster_instance" "writer" {
  identifier          = "payments-db-1"
  cluster_identifier  = aws_rds_cluster.main.id
  engine              = aws_rds_cluster.main.engine
  instance_class      = "db.r6g.large"
  publicly_accessible = true
}
