# Every alarm notifies the SNS topic on ALARM and on OK. docs/runbook.md, "Alarms", says what each
# one means and what to do; the alarm names below are the ones on the page.

locals {
  actions = [aws_sns_topic.alarms.arn]
  redis_nodes = [
    for i in range(var.redis_node_count) : format("%s-%03d", var.redis_replication_group_id, i + 1)
  ]
}

# ── ALB / API ────────────────────────────────────────────────────────────────────────────────
resource "aws_cloudwatch_metric_alarm" "alb_5xx_rate" {
  alarm_name          = "${var.name}-alb-5xx-rate"
  alarm_description   = "More than ${var.error_rate_threshold_percent}% of requests answered 5xx (target + ALB) in 3 of 5 minutes. Runbook: Alarms / alb-5xx-rate."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_threshold_percent
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags

  metric_query {
    id          = "rate"
    expression  = "100 * (FILL(t5xx, 0) + FILL(e5xx, 0)) / FILL(req, 1)"
    label       = "5xx %"
    return_data = true
  }

  metric_query {
    id = "t5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      stat        = "Sum"
      period      = 60
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
  }

  metric_query {
    id = "e5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      stat        = "Sum"
      period      = 60
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
  }

  metric_query {
    id = "req"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      stat        = "Sum"
      period      = 60
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "alb_latency_p90" {
  alarm_name          = "${var.name}-alb-latency-p90"
  alarm_description   = "p90 target response time above ${var.latency_p90_threshold_seconds}s in 3 of 5 minutes (requirement: 90% within 1 s). Runbook: Alarms / alb-latency-p90."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  extended_statistic  = "p90"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.latency_p90_threshold_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "alb_healthy_hosts" {
  alarm_name          = "${var.name}-alb-healthy-hosts"
  alarm_description   = "Fewer than ${var.min_running_tasks} healthy api targets for 3 minutes. Runbook: Alarms / alb-healthy-hosts."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HealthyHostCount"
  statistic           = "Minimum"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "LessThanThreshold"
  threshold           = var.min_running_tasks
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "ecs_running_tasks" {
  for_each            = { api = var.api_service_name, worker = var.worker_service_name }
  alarm_name          = "${var.name}-${each.key}-running-tasks"
  alarm_description   = "The ${each.key} service runs fewer than ${var.min_running_tasks} tasks for 5 minutes. Runbook: Alarms / running-tasks."
  namespace           = "ECS/ContainerInsights"
  metric_name         = "RunningTaskCount"
  statistic           = "Minimum"
  dimensions          = { ClusterName = var.cluster_name, ServiceName = each.value }
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "LessThanThreshold"
  threshold           = var.min_running_tasks
  treat_missing_data  = "breaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# ── App metrics (published by the app into var.metrics_namespace) ────────────────────────────
resource "aws_cloudwatch_metric_alarm" "breaker_open" {
  for_each            = toset(var.upstreams)
  alarm_name          = "${var.name}-breaker-open-${each.value}"
  alarm_description   = "The circuit breaker to ${each.value} has been open for 2 minutes: the upstream is failing and dependent features answer 503 UPSTREAM_UNAVAILABLE. Runbook: Alarms / breaker-open."
  namespace           = var.metrics_namespace
  metric_name         = "CircuitBreakerOpen"
  statistic           = "Maximum"
  dimensions          = { Upstream = each.value }
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each            = var.queue_age_thresholds_seconds
  alarm_name          = "${var.name}-queue-age-${each.key}"
  alarm_description   = "The oldest waiting job of BullMQ queue ${each.key} is older than ${each.value}s for 3 minutes: pushes are delayed. Runbook: Alarms / queue-age."
  namespace           = var.metrics_namespace
  metric_name         = "QueueOldestWaitingAgeSeconds"
  statistic           = "Maximum"
  dimensions          = { Queue = each.key }
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.value
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# ── RDS ──────────────────────────────────────────────────────────────────────────────────────
resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  alarm_name          = "${var.name}-rds-cpu"
  alarm_description   = "RDS CPU above 80% for 15 minutes. Runbook: Alarms / rds-cpu."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "rds_free_storage" {
  alarm_name          = "${var.name}-rds-free-storage"
  alarm_description   = "RDS free storage below ${floor(var.db_free_storage_alarm_bytes / 1073741824)} GiB. Runbook: Alarms / rds-free-storage."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.db_free_storage_alarm_bytes
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "rds_freeable_memory" {
  alarm_name          = "${var.name}-rds-freeable-memory"
  alarm_description   = "RDS freeable memory below 512 MiB for 15 minutes. Runbook: Alarms / rds-freeable-memory."
  namespace           = "AWS/RDS"
  metric_name         = "FreeableMemory"
  statistic           = "Minimum"
  dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "LessThanThreshold"
  threshold           = 536870912
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "rds_connections" {
  alarm_name          = "${var.name}-rds-connections"
  alarm_description   = "RDS connections above ${var.db_connections_alarm_threshold} (80% of what the app pools can open). Runbook: Alarms / rds-connections."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  statistic           = "Maximum"
  dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.db_connections_alarm_threshold
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# ── Redis ────────────────────────────────────────────────────────────────────────────────────
# With maxmemory-policy noeviction, a full Redis refuses writes: new pushes cannot be queued. Act
# well before that.
resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  for_each            = toset(local.redis_nodes)
  alarm_name          = "${var.name}-redis-memory-${each.value}"
  alarm_description   = "Redis node ${each.value} uses more than 75% of maxmemory (noeviction: at 100% writes fail and pushes stop). Runbook: Alarms / redis-memory."
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  statistic           = "Maximum"
  dimensions          = { CacheClusterId = each.value }
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = 75
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  for_each            = toset(local.redis_nodes)
  alarm_name          = "${var.name}-redis-engine-cpu-${each.value}"
  alarm_description   = "Redis node ${each.value} engine CPU above 80% for 10 minutes. Runbook: Alarms / redis-engine-cpu."
  namespace           = "AWS/ElastiCache"
  metric_name         = "EngineCPUUtilization"
  statistic           = "Average"
  dimensions          = { CacheClusterId = each.value }
  period              = 60
  evaluation_periods  = 10
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redis_replication_lag" {
  for_each            = toset(local.redis_nodes)
  alarm_name          = "${var.name}-redis-replication-lag-${each.value}"
  alarm_description   = "Redis node ${each.value} lags its primary by more than 5 s (a failover now could lose the most recent queue writes). Runbook: Alarms / redis-replication-lag."
  namespace           = "AWS/ElastiCache"
  metric_name         = "ReplicationLag"
  statistic           = "Maximum"
  dimensions          = { CacheClusterId = each.value }
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
