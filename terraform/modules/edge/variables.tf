variable "name" {
  description = "Name prefix, e.g. \"myna-bff-prod\"."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the ALB and its target groups."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (one per AZ) for the internet-facing ALB."
  type        = list(string)
}

variable "security_group_id" {
  description = "ALB security group from the network module (443/80 from anywhere, out to the api tasks)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate (ap-northeast-1) for the public host name, e.g. api.myna.example.go.jp."
  type        = string
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener. Must allow TLS 1.2 and 1.3 only."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("TLS13-1-2|TLS-1-2|FS-1-2", var.ssl_policy))
    error_message = "The HTTPS listener must refuse TLS versions below 1.2."
  }
}

variable "app_port" {
  description = "Port of the api tasks (target group port)."
  type        = number
  default     = 3000
}

variable "health_check_path" {
  description = "Target-group health check path. Liveness, not readiness: ECS replaces tasks that fail the ALB check, and a PostgreSQL or Redis outage must not make every task restart in a loop (docs/adr/0003-infrastructure-on-aws.md)."
  type        = string
  default     = "/health/live"
}

variable "operator_cidrs" {
  description = "Egress CIDRs of the operators' VPN. Only these may reach /admin*, /metrics and /docs (WAF rule operator-paths-only-from-vpn)."
  type        = list(string)

  validation {
    condition     = length(var.operator_cidrs) > 0
    error_message = "At least one operator VPN CIDR is required, or /admin would be unreachable."
  }
}

variable "operator_only_path_prefixes" {
  description = "URI path prefixes reachable only from operator_cidrs."
  type        = list(string)
  default     = ["/admin", "/metrics", "/docs"]
}

variable "webhook_source_cidrs" {
  description = "Egress CIDRs of the Mynaportal backend. When not empty, POST /v1/webhooks/push is accepted only from them (the HMAC signature is checked in any case)."
  type        = list(string)
  default     = []
}

variable "rate_limit_per_5min" {
  description = "WAF rate-based rule: requests per 5 minutes from one IP before it is blocked. Phones behind carrier-grade NAT share IPs, so keep it generous."
  type        = number
  default     = 6000
}

variable "log_kms_key_arn" {
  description = "KMS key for the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of WAF logs and ALB access logs in days (5 years = 1827)."
  type        = number
  default     = 1827
}

variable "deletion_protection" {
  description = "ALB deletion protection."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
