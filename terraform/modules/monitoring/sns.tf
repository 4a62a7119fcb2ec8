resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.alerts_kms_key_arn
  tags              = var.tags
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "AwsServicesPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "events.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# RDS and ElastiCache service events (failover, failure, low storage, maintenance, node
# replacement) go to the same topic: the "health" signals that have no metric.
resource "aws_cloudwatch_event_rule" "rds_events" {
  name        = "${var.name}-rds-events"
  description = "RDS instance events of ${var.db_instance_identifier}"
  event_pattern = jsonencode({
    source        = ["aws.rds"]
    "detail-type" = ["RDS DB Instance Event"]
    detail        = { SourceIdentifier = [var.db_instance_identifier] }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "rds_events" {
  rule = aws_cloudwatch_event_rule.rds_events.name
  arn  = aws_sns_topic.alarms.arn
}

resource "aws_cloudwatch_event_rule" "elasticache_events" {
  name        = "${var.name}-elasticache-events"
  description = "ElastiCache events (failover, node replacement, errors)"
  event_pattern = jsonencode({
    source = ["aws.elasticache"]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "elasticache_events" {
  rule = aws_cloudwatch_event_rule.elasticache_events.name
  arn  = aws_sns_topic.alarms.arn
}
