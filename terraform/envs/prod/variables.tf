variable "environment" {
  description = "Environment name, part of every resource name (myna-bff-<environment>) and of the Secrets Manager prefix (myna-bff/<environment>/...)."
  type        = string
}

variable "region" {
  description = "Region the service runs in: ap-northeast-1 (Tokyo); ap-northeast-3 (Osaka) only during a region failover."
  type        = string
  default     = "ap-northeast-1"
}

variable "dr_region" {
  description = "Region that receives backup copies, replicated automated backups, images and secret replicas: ap-northeast-3 (Osaka)."
  type        = string
  default     = "ap-northeast-3"
}

variable "availability_zones" {
  description = "AZs to use in var.region (at least two)."
  type        = list(string)
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate ARN (in var.region) for the public host name of the API."
  type        = string
}

variable "public_base_url" {
  description = "PUBLIC_BASE_URL of the app: https://<public host name>."
  type        = string
}

variable "operator_cidrs" {
  description = "Operators' VPN egress CIDRs: the only sources allowed to reach /admin*, /metrics and /docs."
  type        = list(string)
}

variable "webhook_source_cidrs" {
  description = "Mynaportal backend egress CIDRs allowed to call the push webhook; empty = any source (the HMAC signature is checked regardless)."
  type        = list(string)
  default     = []
}

variable "image_tag" {
  description = "Release image tag (git commit SHA) run by the api, worker and migrate task definitions. Changing it is a deploy."
  type        = string
}

variable "create_ecr_repository" {
  description = "false only in a region-failover root, where ECR replication already created the repository."
  type        = bool
  default     = true
}

variable "app_settings" {
  description = "Non-secret, environment-specific app settings by environment-variable name (see terraform/modules/app/env.tf for the names it reads)."
  type        = map(string)
}

variable "log_level" {
  description = "LOG_LEVEL of the app."
  type        = string
  default     = "info"
}

variable "api_cpu" {
  description = "Fargate CPU units per api task."
  type        = number
  default     = 1024
}

variable "api_memory" {
  description = "Fargate memory (MiB) per api task."
  type        = number
  default     = 2048
}

variable "worker_cpu" {
  description = "Fargate CPU units per worker task."
  type        = number
  default     = 1024
}

variable "worker_memory" {
  description = "Fargate memory (MiB) per worker task."
  type        = number
  default     = 2048
}

variable "api_min_tasks" {
  description = "Minimum api tasks (>= 2)."
  type        = number
  default     = 2
}

variable "api_max_tasks" {
  description = "Maximum api tasks."
  type        = number
  default     = 20
}

variable "worker_min_tasks" {
  description = "Minimum worker tasks (>= 2)."
  type        = number
  default     = 2
}

variable "worker_max_tasks" {
  description = "Maximum worker tasks."
  type        = number
  default     = 10
}

variable "api_requests_per_target_per_minute" {
  description = "api autoscaling target: requests per task per minute (docs/capacity-plan.md)."
  type        = number
  default     = 6000
}

variable "worker_backlog_per_task_target" {
  description = "worker autoscaling target: waiting send jobs per worker task (docs/capacity-plan.md)."
  type        = number
  default     = 20
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_identifier" {
  description = "RDS instance identifier override, set after a point-in-time restore (docs/runbook.md). Null = myna-bff-<environment>-db."
  type        = string
  default     = null
}

variable "db_restore_from" {
  description = "Creates the DB instance by point-in-time restore (see the database module's restore_from). Set only for a restore or a region failover."
  type = object({
    source_db_instance_identifier            = optional(string)
    source_db_instance_automated_backups_arn = optional(string)
    restore_time                             = optional(string)
  })
  default = null
}

variable "db_app_logins" {
  description = "Password generations of the blue/green app logins (bump one to rotate it)."
  type        = map(number)
  default     = { myna_app_blue = 1, myna_app_green = 1 }
}

variable "db_active_app_login" {
  description = "The app login the database-url secret currently uses."
  type        = string
  default     = "myna_app_blue"
}

variable "db_backup_retention_days" {
  description = "RDS automated backup (PITR) retention in days, 30-35."
  type        = number
  default     = 35
}

variable "backup_enabled" {
  description = "AWS Backup daily plan with the copy to var.dr_region and the cross-region replication of automated backups. false only while failed over and the other region is down."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days the daily AWS Backup recovery points (and their copies in the DR region) are kept; at least 30."
  type        = number
  default     = 30
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "redis_auth_token_generation" {
  description = "Redis AUTH token generation (bump to rotate)."
  type        = number
  default     = 1
}

variable "alarm_emails" {
  description = "E-mail subscribers of the alarm topic."
  type        = list(string)
  default     = []
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget of the account in USD."
  type        = number
}

variable "budget_emails" {
  description = "E-mail recipients of budget alerts."
  type        = list(string)
  default     = []
}
