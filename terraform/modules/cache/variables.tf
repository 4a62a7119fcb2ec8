variable "name" {
  description = "Name prefix; the replication group id is \"<name>-redis\"."
  type        = string
}

variable "secret_name_prefix" {
  description = "Secrets Manager prefix; the app's connection URL secret is <prefix>/redis-url."
  type        = string
}

variable "subnet_ids" {
  description = "Private data subnets (one per AZ)."
  type        = list(string)
}

variable "availability_zones" {
  description = "AZs of the subnets, in the same order. One cache node is placed in each (primary in the first, a replica in every other)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "Redis needs at least two AZs for automatic failover."
  }
}

variable "security_group_id" {
  description = "Security group of the cache (from the network module; 6379 from the tasks only)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for encryption at rest."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "KMS key for the redis-url secret."
  type        = string
}

variable "log_kms_key_arn" {
  description = "KMS key for the slow-log and engine-log log groups."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the Redis log groups in days (5 years = 1827)."
  type        = number
  default     = 1827
}

variable "node_type" {
  description = "Cache node type, e.g. cache.r7g.large (prod). BullMQ keeps every queued job in memory: see docs/capacity-plan.md."
  type        = string
}

variable "engine_version" {
  description = "Redis OSS engine version."
  type        = string
  default     = "7.1"
}

variable "auth_token_generation" {
  description = "Generation of the AUTH token; bump it to rotate (docs/runbook.md, \"Rotate redis-url\")."
  type        = number
  default     = 1
}

variable "snapshot_retention_days" {
  description = "Daily Redis snapshots kept (queues are rebuildable from PostgreSQL; snapshots shorten recovery)."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
