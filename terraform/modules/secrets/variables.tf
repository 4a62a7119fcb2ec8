variable "name_prefix" {
  description = "Secrets Manager path prefix, e.g. \"myna-bff/prod\"; secrets are named <prefix>/<key>."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the secrets."
  type        = string
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can still be restored (7-30)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every secret."
  type        = map(string)
  default     = {}
}

variable "replica_regions" {
  description = "Regions the operator secrets are replicated to (the DR region), so that their values are already there during a region failover. Replicas use the AWS-managed Secrets Manager key of that region."
  type        = list(string)
  default     = []
}
