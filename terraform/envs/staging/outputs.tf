output "alb_dns_name" {
  description = "Point the public host name here (Route 53 alias to the ALB)."
  value       = module.edge.alb_dns_name
}

output "ecr_repository_url" {
  description = "Push release images here."
  value       = module.app.ecr_repository_url
}

output "cluster_name" {
  description = "ECS cluster."
  value       = module.app.cluster_name
}

output "services" {
  description = "ECS services (api, worker)."
  value       = { api = module.app.api_service_name, worker = module.app.worker_service_name }
}

output "task_definition_families" {
  description = "Task definition families (api, worker, migrate)."
  value       = module.app.task_definition_families
}

output "app_subnet_ids" {
  description = "Subnets for one-off tasks (aws ecs run-task of the migrate family)."
  value       = module.network.app_subnet_ids
}

output "worker_security_group_id" {
  description = "Security group for one-off migrate tasks."
  value       = module.network.security_group_ids["worker"]
}

output "db_instance_identifier" {
  description = "RDS instance (source of a point-in-time restore)."
  value       = module.database.instance_identifier
}

output "db_master_user_secret_arn" {
  description = "RDS-managed master credentials (bootstrap SQL and break-glass only)."
  value       = module.database.master_user_secret_arn
}

output "secret_names" {
  description = "Operator-supplied secrets (put their values before the first deploy)."
  value       = module.secrets.secret_names
}

output "redis_replication_group_id" {
  description = "ElastiCache replication group."
  value       = module.cache.replication_group_id
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.monitoring.alarm_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "backup_vault_name" {
  description = "AWS Backup vault in the primary region (null while backup_enabled = false)."
  value       = var.backup_enabled ? module.backup[0].vault_name : null
}
