output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.main.name
}

output "api_service_name" {
  description = "ECS service of the api role."
  value       = aws_ecs_service.api.name
}

output "worker_service_name" {
  description = "ECS service of the worker role."
  value       = aws_ecs_service.worker.name
}

output "task_definition_families" {
  description = "Task definition families (api, worker, migrate)."
  value       = { for k, t in aws_ecs_task_definition.app : k => t.family }
}

output "ecr_repository_url" {
  description = "Push release images here, tagged with the git commit SHA."
  value       = local.ecr_repository_url
}

output "ecr_repository_name" {
  description = "ECR repository name (replicated to the DR region)."
  value       = var.ecr_repository_name
}

output "log_group_names" {
  description = "App log groups by task family."
  value       = { for k, g in aws_cloudwatch_log_group.app : k => g.name }
}

output "metrics_namespace" {
  description = "CloudWatch namespace of the app's own metrics."
  value       = var.metrics_namespace
}
