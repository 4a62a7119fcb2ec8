output "alarm_topic_arn" {
  description = "SNS topic every alarm, budget alert and RDS/ElastiCache event goes to."
  value       = aws_sns_topic.alarms.arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard name."
  value       = aws_cloudwatch_dashboard.main.dashboard_name
}
