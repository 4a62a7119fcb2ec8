variable "name" {
  description = "Name prefix, e.g. \"myna-bff-prod\" (cluster, services, task families, roles)."
  type        = string
}

variable "ecr_repository_name" {
  description = "Name of the ECR repository created for the single app image (api and worker run the same image)."
  type        = string
  default     = "myna-bff"
}

variable "create_ecr_repository" {
  description = "Create the ECR repository (true), or use an existing one of that name (false: in the DR region, where ECR replication has already created it)."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Image tag to run (immutable; the git commit SHA of the release). Changing it and applying is a deploy (docs/runbook.md, \"Deploy\")."
  type        = string
}

variable "app_port" {
  description = "Port the api container listens on (PORT)."
  type        = number
  default     = 3000
}

variable "app_subnet_ids" {
  description = "Private app subnets, one per AZ; tasks are spread over all of them."
  type        = list(string)

  validation {
    condition     = length(var.app_subnet_ids) >= 2
    error_message = "Tasks must be spread over at least two AZs."
  }
}

variable "security_group_ids" {
  description = "Security groups by role from the network module: must contain \"api\" and \"worker\"."
  type        = map(string)
}

variable "target_group_arn" {
  description = "ALB target group of the api service."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix, for ALBRequestCountPerTarget scaling."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "Target group ARN suffix, for ALBRequestCountPerTarget scaling."
  type        = string
}

variable "secret_arns" {
  description = "Secrets Manager ARNs by secret key (database-url, redis-url, token-encryption-keys, oidc-client-private-jwk, dpop-nonce-keys, webhook-secrets, admin-tokens, fcm-service-account). env.tf maps environment variables to these keys."
  type        = map(string)
}

variable "secrets_kms_key_arn" {
  description = "KMS key of the secrets (the execution roles may decrypt through Secrets Manager only)."
  type        = string
}

variable "log_kms_key_arn" {
  description = "KMS key of the app log groups."
  type        = string
}

variable "data_kms_key_arn" {
  description = "KMS key for the ECR repository."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the app log groups in days (requirement: 5 years = 1827)."
  type        = number
  default     = 1827

  validation {
    condition     = var.log_retention_days >= 1827
    error_message = "Logs must be kept at least 5 years (1827 days)."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the app (info in prod, debug allowed in staging)."
  type        = string
  default     = "info"
}

variable "public_base_url" {
  description = "PUBLIC_BASE_URL: the https URL the app and the provider see, e.g. https://api.myna.example.go.jp."
  type        = string
}

variable "app_settings" {
  description = "Environment-specific, non-secret app settings by environment-variable name (e.g. OIDC_ISSUER, OIDC_CLIENT_ID, MYNAPORTAL_BASE_URL, FCM_PROJECT_ID). env.tf reads each one it needs by name, so a missing key fails the plan loudly."
  type        = map(string)
  default     = {}
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the metrics the app publishes (QueueWaiting, QueueOldestWaitingAgeSeconds, CircuitBreakerOpen). The task roles may write to this namespace only."
  type        = string
  default     = "MynaBff"
}

variable "push_queue_name" {
  description = "BullMQ queue whose depth drives worker autoscaling (dimension Queue of MynaBff/QueueWaiting)."
  type        = string
  default     = "push-send"
}

variable "cpu_architecture" {
  description = "CPU architecture of the tasks (ARM64 = Graviton, cheaper per vCPU). The release image must be built for it (docker buildx --platform linux/arm64)."
  type        = string
  default     = "ARM64"

  validation {
    condition     = contains(["ARM64", "X86_64"], var.cpu_architecture)
    error_message = "cpu_architecture must be ARM64 or X86_64."
  }
}

variable "api_cpu" {
  description = "Fargate CPU units of an api task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "api_memory" {
  description = "Fargate memory (MiB) of an api task."
  type        = number
  default     = 2048
}

variable "worker_cpu" {
  description = "Fargate CPU units of a worker task."
  type        = number
  default     = 1024
}

variable "worker_memory" {
  description = "Fargate memory (MiB) of a worker task."
  type        = number
  default     = 2048
}

variable "api_min_tasks" {
  description = "Minimum (and initial desired) api tasks. At least 2, so that one AZ can fail."
  type        = number
  default     = 2

  validation {
    condition     = var.api_min_tasks >= 2
    error_message = "At least two api tasks (no single point of failure)."
  }
}

variable "api_max_tasks" {
  description = "Maximum api tasks autoscaling may reach."
  type        = number
  default     = 20
}

variable "worker_min_tasks" {
  description = "Minimum (and initial desired) worker tasks. At least 2."
  type        = number
  default     = 2

  validation {
    condition     = var.worker_min_tasks >= 2
    error_message = "At least two worker tasks (no single point of failure)."
  }
}

variable "worker_max_tasks" {
  description = "Maximum worker tasks. The FCM project quota (10,000 msg/s) caps useful scale-out: see docs/capacity-plan.md."
  type        = number
  default     = 10
}

variable "api_cpu_target_percent" {
  description = "api target-tracking: average CPU utilisation to hold."
  type        = number
  default     = 60
}

variable "api_requests_per_target_per_minute" {
  description = "api target-tracking: ALBRequestCountPerTarget (requests per task per minute) to hold. From docs/capacity-plan.md."
  type        = number
  default     = 6000
}

variable "worker_backlog_per_task_target" {
  description = "worker target-tracking: waiting send jobs (each <= 500 tokens) per running worker task to hold."
  type        = number
  default     = 20
}

variable "api_db_pool_max" {
  description = "DATABASE_POOL_MAX of an api task. api_max_tasks * this + worker_max_tasks * worker_db_pool_max must stay under the RDS max_connections."
  type        = number
  default     = 20
}

variable "worker_db_pool_max" {
  description = "DATABASE_POOL_MAX of a worker task."
  type        = number
  default     = 10
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
