variable "name" {
  description = "Name prefix, e.g. \"myna-bff-prod\" (topic, alarms, dashboard, budget)."
  type        = string
}

variable "alerts_kms_key_arn" {
  description = "KMS key of the SNS alarm topic."
  type        = string
}

variable "alarm_emails" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm the subscription). Pager/chat integrations subscribe to the same topic."
  type        = list(string)
  default     = []
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix (LoadBalancer dimension)."
  type        = string
}

variable "target_group_arn_suffix" {
  description = "api target group ARN suffix (TargetGroup dimension)."
  type        = string
}

variable "web_acl_name" {
  description = "WAF web ACL name (dashboard: blocked requests)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name."
  type        = string
}

variable "api_service_name" {
  description = "ECS api service name."
  type        = string
}

variable "worker_service_name" {
  description = "ECS worker service name."
  type        = string
}

variable "min_running_tasks" {
  description = "Alarm when a service runs fewer tasks than this (the service minimum)."
  type        = number
  default     = 2
}

variable "db_instance_identifier" {
  description = "RDS instance identifier."
  type        = string
}

variable "db_free_storage_alarm_bytes" {
  description = "Alarm when RDS free storage falls below this many bytes."
  type        = number
  default     = 21474836480 # 20 GiB
}

variable "redis_replication_group_id" {
  description = "ElastiCache replication group id."
  type        = string
}

variable "redis_node_count" {
  description = "Number of cache nodes (member clusters are <group id>-001 ... -00N)."
  type        = number
}

variable "metrics_namespace" {
  description = "Namespace of the app's own CloudWatch metrics."
  type        = string
  default     = "MynaBff"
}

variable "upstreams" {
  description = "Values of the Upstream dimension of MynaBff/CircuitBreakerOpen, one alarm each."
  type        = list(string)
  default     = ["digital-auth", "mynaportal", "fcm"]
}

variable "queue_age_thresholds_seconds" {
  description = "Per BullMQ queue (Queue dimension of MynaBff/QueueOldestWaitingAgeSeconds): alarm when its oldest waiting job is older than this."
  type        = map(number)
  default = {
    "push-fanout" = 300
    "push-send"   = 900
  }
}

variable "latency_p90_threshold_seconds" {
  description = "Alarm when the ALB target response time p90 exceeds this (requirement: 90 % within 1 s)."
  type        = number
  default     = 1
}

variable "error_rate_threshold_percent" {
  description = "Alarm when 5xx (target + ALB) exceed this percentage of requests."
  type        = number
  default     = 1
}

variable "monthly_budget_usd" {
  description = "Monthly AWS cost budget in USD; alerts at 80 % and 100 % actual and 100 % forecast."
  type        = number
}

variable "budget_emails" {
  description = "E-mail addresses notified directly by AWS Budgets (in addition to the SNS topic)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "db_connections_alarm_threshold" {
  description = "Alarm when RDS connections exceed this: about 80 % of api_max_tasks * api_db_pool_max + worker_max_tasks * worker_db_pool_max."
  type        = number
  default     = 400
}
