output "secret_arns" {
  description = "Map of secret key (e.g. \"admin-tokens\") to Secrets Manager ARN."
  value       = { for k, s in aws_secretsmanager_secret.operator : k => s.arn }
}

output "secret_names" {
  description = "Map of secret key to Secrets Manager name (myna-bff/<env>/<key>)."
  value       = { for k, s in aws_secretsmanager_secret.operator : k => s.name }
}
