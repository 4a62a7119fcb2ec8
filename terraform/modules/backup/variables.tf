variable "name" {
  description = "Name prefix, e.g. \"myna-bff-prod\"."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key (primary region) for the primary backup vault."
  type        = string
}

variable "db_instance_arn" {
  description = "ARN of the RDS instance to back up."
  type        = string
}

variable "retention_days" {
  description = "Days each daily recovery point is kept, in Tokyo and in the Osaka copy. At least 30 (requirement: daily backups kept 30 days, copied to another region)."
  type        = number
  default     = 30

  validation {
    condition     = var.retention_days >= 30
    error_message = "Backups must be kept at least 30 days."
  }
}

variable "schedule" {
  description = "AWS Backup cron schedule (UTC). cron(0 19 * * ? *) = every day 04:00 JST, after the RDS backup window."
  type        = string
  default     = "cron(0 19 * * ? *)"
}

variable "replicate_automated_backups" {
  description = "Also replicate the RDS automated backups (snapshots + transaction logs) to the DR region, so a point-in-time restore is possible in Osaka during a region failover."
  type        = bool
  default     = true
}

variable "replicated_backup_retention_days" {
  description = "Retention in days of the replicated automated backups in the DR region (PITR window there)."
  type        = number
  default     = 7
}

variable "ecr_repository_name" {
  description = "ECR repository replicated to the DR region so the same image can start there. Null disables ECR replication."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
