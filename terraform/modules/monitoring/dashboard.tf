# One CloudWatch dashboard with the service figures (traffic, errors, latency, tasks, queues,
# breakers) and the resource figures (CPU, memory, storage, connections, WAF).

data "aws_region" "current" {}

locals {
  region = data.aws_region.current.region
  alb    = ["LoadBalancer", var.alb_arn_suffix]
  tg     = ["TargetGroup", var.target_group_arn_suffix]

  widgets = [
    {
      title = "Requests / 5xx (ALB)"
      metrics = [
        ["AWS/ApplicationELB", "RequestCount", local.alb[0], local.alb[1], { stat = "Sum" }],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", local.alb[0], local.alb[1], { stat = "Sum" }],
        ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", local.alb[0], local.alb[1], { stat = "Sum" }],
        ["AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", local.alb[0], local.alb[1], { stat = "Sum" }],
      ]
    },
    {
      title = "Target response time p50 / p90 / p99 (s)"
      metrics = [
        ["AWS/ApplicationELB", "TargetResponseTime", local.alb[0], local.alb[1], local.tg[0], local.tg[1], { stat = "p50" }],
        ["AWS/ApplicationELB", "TargetResponseTime", local.alb[0], local.alb[1], local.tg[0], local.tg[1], { stat = "p90" }],
        ["AWS/ApplicationELB", "TargetResponseTime", local.alb[0], local.alb[1], local.tg[0], local.tg[1], { stat = "p99" }],
      ]
    },
    {
      title = "Running tasks"
      metrics = [
        ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.api_service_name],
        ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", var.cluster_name, "ServiceName", var.worker_service_name],
      ]
    },
    {
      title = "Service CPU / memory (%)"
      metrics = [
        ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.api_service_name],
        ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", var.api_service_name],
        ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.worker_service_name],
        ["AWS/ECS", "MemoryUtilization", "ClusterName", var.cluster_name, "ServiceName", var.worker_service_name],
      ]
    },
    {
      title = "Queues: waiting jobs and oldest waiting age (s)"
      metrics = concat(
        [for q in keys(var.queue_age_thresholds_seconds) : [var.metrics_namespace, "QueueWaiting", "Queue", q, { stat = "Maximum" }]],
        [for q in keys(var.queue_age_thresholds_seconds) : [var.metrics_namespace, "QueueOldestWaitingAgeSeconds", "Queue", q, { stat = "Maximum", yAxis = "right" }]],
      )
    },
    {
      title   = "Circuit breakers open (1 = open)"
      metrics = [for u in var.upstreams : [var.metrics_namespace, "CircuitBreakerOpen", "Upstream", u, { stat = "Maximum" }]]
    },
    {
      title = "RDS CPU (%) / connections"
      metrics = [
        ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_identifier],
        ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", var.db_instance_identifier, { yAxis = "right" }],
      ]
    },
    {
      title = "RDS free storage / freeable memory (bytes)"
      metrics = [
        ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", var.db_instance_identifier],
        ["AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", var.db_instance_identifier],
      ]
    },
    {
      title   = "Redis memory used (% of maxmemory)"
      metrics = [for n in local.redis_nodes : ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", n]]
    },
    {
      title   = "Redis engine CPU (%)"
      metrics = [for n in local.redis_nodes : ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", n]]
    },
    {
      title = "WAF allowed / blocked requests"
      metrics = [
        ["AWS/WAFV2", "AllowedRequests", "WebACL", var.web_acl_name, "Region", local.region, "Rule", "ALL", { stat = "Sum" }],
        ["AWS/WAFV2", "BlockedRequests", "WebACL", var.web_acl_name, "Region", local.region, "Rule", "ALL", { stat = "Sum" }],
      ]
    },
    {
      title   = "Estimated charges (USD, us-east-1 billing metric)"
      region  = "us-east-1"
      metrics = [["AWS/Billing", "EstimatedCharges", "Currency", "USD", { stat = "Maximum" }]]
    },
  ]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      for i, w in local.widgets : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = w.title
          region  = lookup(w, "region", local.region)
          view    = "timeSeries"
          stacked = false
          period  = 60
          metrics = w.metrics
        }
      }
    ]
  })
}
