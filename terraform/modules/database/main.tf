# RDS PostgreSQL: Multi-AZ (synchronous standby in another AZ, automatic failover), KMS-encrypted,
# deletion protection, PITR through automated backups kept >= 30 days. AWS Backup (modules/backup)
# adds the daily 30-day vault copy and the copy to Osaka.

locals {
  identifier = coalesce(var.identifier, "${var.name}-db")
  family     = "postgres${split(".", var.engine_version)[0]}"
}

resource "aws_db_subnet_group" "main" {
  name       = "${var.name}-db"
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_db_parameter_group" "main" {
  name   = "${var.name}-${local.family}"
  family = local.family
  tags   = var.tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
  parameter {
    name  = "log_connections"
    value = "1"
  }
  parameter {
    name  = "log_disconnections"
    value = "1"
  }
  # Statements are not logged in full: they could carry personal data.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "60000"
  }
  # gp3 SSD storage: random reads cost about what sequential ones do. With the default 4 the planner
  # resolved a 10,000-subject audience (`subject = ANY(...)`) over 1 M people by a sequential scan
  # (~140 ms) instead of index probes (22-40 ms); measured by bench:push (docs/capacity-plan.md §2).
  parameter {
    name  = "random_page_cost"
    value = "1.1"
  }

  # Every query of this service is short (OLTP and indexed statistics): JIT compilation only ever
  # cost time. bench:admin saw 230 ms of JIT on a 0.5 ms usage query whose estimate was inflated.
  parameter {
    name  = "jit"
    value = "0"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# Log groups for the exported PostgreSQL logs, created here so they get 5-year retention and KMS
# (RDS would otherwise create them with "never expire" and no CMK).
resource "aws_cloudwatch_log_group" "postgresql" {
  for_each          = toset(["postgresql", "upgrade"])
  name              = "/aws/rds/instance/${local.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name               = "${var.name}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "main" {
  identifier     = local.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  db_name        = var.database_name
  port           = 5432

  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.main.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  backup_retention_period   = var.backup_retention_days
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.identifier}-final"

  auto_minor_version_upgrade            = true
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = 7
  monitoring_interval                   = 60
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  dynamic "restore_to_point_in_time" {
    for_each = var.restore_from == null ? [] : [var.restore_from]
    content {
      source_db_instance_identifier            = restore_to_point_in_time.value.source_db_instance_identifier
      source_db_instance_automated_backups_arn = restore_to_point_in_time.value.source_db_instance_automated_backups_arn
      restore_time                             = restore_to_point_in_time.value.restore_time
      use_latest_restorable_time               = restore_to_point_in_time.value.restore_time == null
    }
  }

  tags = merge(var.tags, { Backup = "daily-30d-osaka-copy" })

  # restore_to_point_in_time only matters when the instance is created: once restored, removing
  # restore_from from the tfvars must not replace the database.
  lifecycle {
    ignore_changes = [restore_to_point_in_time]
  }

  depends_on = [aws_cloudwatch_log_group.postgresql]
}
