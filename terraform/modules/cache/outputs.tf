output "replication_group_id" {
  description = "ElastiCache replication group id."
  value       = aws_elasticache_replication_group.main.id
}

output "primary_endpoint" {
  description = "Primary endpoint host name (follows failover)."
  value       = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "member_clusters" {
  description = "Cache cluster (node) ids, for per-node alarms."
  value       = aws_elasticache_replication_group.main.member_clusters
}

output "redis_url_secret_arn" {
  description = "ARN of <prefix>/redis-url (REDIS_URL)."
  value       = aws_secretsmanager_secret.redis_url.arn
}
