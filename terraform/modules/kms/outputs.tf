output "logs_key_arn" {
  description = "KMS key for CloudWatch Logs."
  value       = aws_kms_key.logs.arn
}

output "data_key_arn" {
  description = "KMS key for RDS, ElastiCache and AWS Backup (Tokyo)."
  value       = aws_kms_key.data.arn
}

output "secrets_key_arn" {
  description = "KMS key for Secrets Manager."
  value       = aws_kms_key.secrets.arn
}

output "alerts_key_arn" {
  description = "KMS key for the SNS alarm topic."
  value       = aws_kms_key.alerts.arn
}
