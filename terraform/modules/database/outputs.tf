output "instance_identifier" {
  description = "DB instance identifier (source of a point-in-time restore)."
  value       = aws_db_instance.main.identifier
}

output "instance_arn" {
  description = "DB instance ARN (selected by the AWS Backup plan)."
  value       = aws_db_instance.main.arn
}

output "address" {
  description = "DB endpoint host name."
  value       = aws_db_instance.main.address
}

output "subnet_group_name" {
  description = "DB subnet group, to pass to a point-in-time restore."
  value       = aws_db_subnet_group.main.name
}

output "parameter_group_name" {
  description = "DB parameter group, to pass to a point-in-time restore."
  value       = aws_db_parameter_group.main.name
}

output "master_user_secret_arn" {
  description = "Secrets Manager ARN of the RDS-managed master credentials."
  value       = aws_db_instance.main.master_user_secret[0].secret_arn
}

output "database_url_secret_arn" {
  description = "ARN of <prefix>/database-url (DATABASE_URL)."
  value       = aws_secretsmanager_secret.database_url.arn
}
