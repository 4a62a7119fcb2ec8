variable "name" {
  description = "Name prefix for every resource, e.g. \"myna-bff-prod\"."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC. Subnets are carved out of it with cidrsubnet(): /20 private app subnets, /24 public and data subnets."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones to spread over (at least two; three recommended in ap-northeast-1: a, c, d). One public, one private-app and one private-data subnet and one NAT gateway are created in each."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones are required (no single point of failure)."
  }
}

variable "interface_endpoint_services" {
  description = "AWS services reached through interface VPC endpoints (PrivateLink) from the private subnets, so that image pulls, secrets, logs and metrics never leave the AWS network."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "secretsmanager", "logs", "monitoring", "kms", "sts"]
}

variable "log_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the VPC flow-log log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the VPC flow-log log group in days (the requirement is 5 years = 1827 days)."
  type        = number
  default     = 1827

  validation {
    condition     = var.log_retention_days >= 1827
    error_message = "Logs must be kept at least 5 years (1827 days)."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "app_port" {
  description = "Container port the API tasks listen on (PORT in the app config)."
  type        = number
  default     = 3000
}
