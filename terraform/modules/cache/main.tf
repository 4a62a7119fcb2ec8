# ElastiCache Redis for BullMQ queues, link state, refresh locks and rate limits.
# Cluster mode disabled (BullMQ needs all of a queue's keys on one shard); one node per AZ, so a
# replica in every AZ other than the primary's; automatic failover and Multi-AZ; TLS and AUTH;
# encryption at rest with KMS; maxmemory-policy noeviction, because BullMQ must never lose a job
# key to eviction (it would silently lose pushes).

resource "aws_elasticache_subnet_group" "main" {
  name       = "${var.name}-redis"
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_elasticache_parameter_group" "main" {
  name   = "${var.name}-redis7"
  family = "redis7"
  tags   = var.tags

  parameter {
    name  = "maxmemory-policy"
    value = "noeviction"
  }

  # Keyspace notifications are not needed by BullMQ 5+; keep them off.
  parameter {
    name  = "notify-keyspace-events"
    value = ""
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "redis" {
  for_each          = toset(["slow-log", "engine-log"])
  name              = "/elasticache/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "random_password" "auth_token" {
  length  = 64
  special = false # alphanumeric: no escaping in the rediss:// URL
  keepers = {
    generation = tostring(var.auth_token_generation)
  }
}

resource "aws_elasticache_replication_group" "main" {
  replication_group_id = "${var.name}-redis"
  description          = "myna-bff ${var.name}: BullMQ queues, link state, locks, rate limits"
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379

  num_cache_clusters          = length(var.availability_zones)
  preferred_cache_cluster_azs = var.availability_zones
  automatic_failover_enabled  = true
  multi_az_enabled            = true

  subnet_group_name    = aws_elasticache_subnet_group.main.name
  security_group_ids   = [var.security_group_id]
  parameter_group_name = aws_elasticache_parameter_group.main.name

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = random_password.auth_token.result
  auth_token_update_strategy = "ROTATE"

  snapshot_retention_limit   = var.snapshot_retention_days
  snapshot_window            = "17:00-18:00"
  maintenance_window         = "tue:20:00-tue:21:00"
  auto_minor_version_upgrade = true
  apply_immediately          = false

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.redis["slow-log"].name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.redis["engine-log"].name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "engine-log"
  }

  tags = var.tags
}

# REDIS_URL of the app (a secret: it embeds the AUTH token). rediss:// = TLS.
resource "aws_secretsmanager_secret" "redis_url" {
  name                    = "${var.secret_name_prefix}/redis-url"
  description             = "REDIS_URL of myna-bff (TLS, AUTH token, primary endpoint)."
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
  tags                    = merge(var.tags, { SecretKey = "redis-url" })
}

resource "aws_secretsmanager_secret_version" "redis_url" {
  secret_id     = aws_secretsmanager_secret.redis_url.id
  secret_string = "rediss://:${urlencode(random_password.auth_token.result)}@${aws_elasticache_replication_group.main.primary_endpoint_address}:6379"
}
