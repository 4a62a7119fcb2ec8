# 3-2-1: RDS automated backups (PITR, >= 30 days) + an AWS Backup daily recovery point kept 30 days
# in Tokyo + its copy kept 30 days in Osaka (ap-northeast-3, provider aws.dr), each vault with its
# own KMS key and a vault lock so that backups cannot be deleted early.

data "aws_region" "dr" {
  provider = aws.dr
}

data "aws_caller_identity" "current" {}

resource "aws_backup_vault" "main" {
  name        = "${var.name}-daily"
  kms_key_arn = var.kms_key_arn
  tags        = var.tags
}

resource "aws_backup_vault_lock_configuration" "main" {
  backup_vault_name  = aws_backup_vault.main.name
  min_retention_days = var.retention_days
}

resource "aws_kms_key" "dr" {
  provider                = aws.dr
  description             = "${var.name}: backups copied to the DR region"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "dr" {
  provider      = aws.dr
  name          = "alias/${var.name}-backup-dr"
  target_key_id = aws_kms_key.dr.key_id
}

resource "aws_backup_vault" "dr" {
  provider    = aws.dr
  name        = "${var.name}-daily-dr"
  kms_key_arn = aws_kms_key.dr.arn
  tags        = var.tags
}

resource "aws_backup_vault_lock_configuration" "dr" {
  provider           = aws.dr
  backup_vault_name  = aws_backup_vault.dr.name
  min_retention_days = var.retention_days
}

resource "aws_backup_plan" "daily" {
  name = "${var.name}-daily"
  tags = var.tags

  rule {
    rule_name         = "daily-30d-copy-to-dr"
    target_vault_name = aws_backup_vault.main.name
    schedule          = var.schedule
    start_window      = 60
    completion_window = 360

    lifecycle {
      delete_after = var.retention_days
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn
      lifecycle {
        delete_after = var.retention_days
      }
    }
  }
}

data "aws_iam_policy_document" "backup_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name               = "${var.name}-backup"
  assume_role_policy = data.aws_iam_policy_document.backup_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "restore" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

resource "aws_backup_selection" "db" {
  name         = "${var.name}-db"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [var.db_instance_arn]
}

# Point-in-time restore in Osaka during a region failover (docs/runbook.md, "Region failover").
resource "aws_db_instance_automated_backups_replication" "dr" {
  provider               = aws.dr
  count                  = var.replicate_automated_backups ? 1 : 0
  source_db_instance_arn = var.db_instance_arn
  kms_key_id             = aws_kms_key.dr.arn
  retention_period       = var.replicated_backup_retention_days
}

# The container image must exist in Osaka before a failover can start tasks there.
resource "aws_ecr_replication_configuration" "dr" {
  count = var.ecr_repository_name == null ? 0 : 1

  replication_configuration {
    rule {
      destination {
        region      = data.aws_region.dr.region
        registry_id = data.aws_caller_identity.current.account_id
      }
      repository_filter {
        filter      = var.ecr_repository_name
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
