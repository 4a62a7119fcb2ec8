variable "name" {
  description = "Name prefix; the DB instance identifier defaults to \"<name>-db\"."
  type        = string
}

variable "identifier" {
  description = "DB instance identifier override. Used after a point-in-time restore to adopt the restored instance (see docs/runbook.md, \"Restore\"). Null means \"<name>-db\"."
  type        = string
  default     = null
}

variable "restore_from" {
  description = "When set, the instance is CREATED by a point-in-time restore instead of empty: from another instance in this region (source_db_instance_identifier) or from automated backups replicated from the other region (source_db_instance_automated_backups_arn), at restore_time (RFC 3339, UTC) or, when restore_time is null, at the latest restorable time. Only read at creation (docs/runbook.md, \"Restore\" and \"Region failover\")."
  type = object({
    source_db_instance_identifier            = optional(string)
    source_db_instance_automated_backups_arn = optional(string)
    restore_time                             = optional(string)
  })
  default = null
}

variable "secret_name_prefix" {
  description = "Secrets Manager prefix, e.g. \"myna-bff/prod\"; the app's connection URL secret is <prefix>/database-url."
  type        = string
}

variable "subnet_ids" {
  description = "Private data subnets (one per AZ) for the DB subnet group."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the DB (from the network module; 5432 from the tasks only)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for storage, Performance Insights and the master-user secret."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "KMS key for the database-url secret read by the ECS execution roles."
  type        = string
}

variable "log_kms_key_arn" {
  description = "KMS key for the exported PostgreSQL log groups."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version (\"17\"): minor versions are upgraded automatically in the maintenance window, so pinning a minor here would only create drift. A major upgrade is a planned change (new parameter-group family)."
  type        = string
  default     = "17"
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.r7g.large (prod) or db.t4g.medium (staging). See docs/capacity-plan.md."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number
  default     = 100
}

variable "max_allocated_storage_gb" {
  description = "Upper bound for storage autoscaling in GiB."
  type        = number
  default     = 1000
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "myna"
}

variable "master_username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager (manage_master_user_password); the app never uses it."
  type        = string
  default     = "myna_admin"
}

variable "app_logins" {
  description = "The app's two alternating PostgreSQL logins (blue/green rotation) and the generation of each one's password; bump a generation to get a new password for that login (docs/runbook.md, \"database-url\")."
  type        = map(number)
  default     = { myna_app_blue = 1, myna_app_green = 1 }
}

variable "active_app_login" {
  description = "Which login of app_logins the database-url secret uses now."
  type        = string
  default     = "myna_app_blue"
}

variable "backup_retention_days" {
  description = "RDS automated backup retention in days (point-in-time recovery window). At least 30 (requirement)."
  type        = number
  default     = 35

  validation {
    condition     = var.backup_retention_days >= 30 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 30 (requirement) and 35 (RDS maximum)."
  }
}

variable "backup_window" {
  description = "Daily automated backup window (UTC). 18:00-19:00 UTC = 03:00-04:00 JST."
  type        = string
  default     = "18:00-19:00"
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC). Mon 19:30-20:30 UTC = Tue 04:30-05:30 JST."
  type        = string
  default     = "mon:19:30-mon:20:30"
}

variable "log_retention_days" {
  description = "Retention of the exported PostgreSQL logs in days (5 years = 1827)."
  type        = number
  default     = 1827
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
