output "alb_arn" {
  description = "ALB ARN."
  value       = aws_lb.main.arn
}

output "alb_arn_suffix" {
  description = "ALB ARN suffix (CloudWatch LoadBalancer dimension)."
  value       = aws_lb.main.arn_suffix
}

output "alb_dns_name" {
  description = "ALB DNS name: point the public host name (Route 53 alias) here."
  value       = aws_lb.main.dns_name
}

output "alb_zone_id" {
  description = "ALB hosted zone id, for a Route 53 alias record."
  value       = aws_lb.main.zone_id
}

output "target_group_arn" {
  description = "Target group of the api service."
  value       = aws_lb_target_group.api.arn
}

output "target_group_arn_suffix" {
  description = "Target group ARN suffix (CloudWatch TargetGroup dimension)."
  value       = aws_lb_target_group.api.arn_suffix
}

output "https_listener_arn" {
  description = "HTTPS listener (the api service depends on it)."
  value       = aws_lb_listener.https.arn
}

output "web_acl_arn" {
  description = "WAF web ACL."
  value       = aws_wafv2_web_acl.main.arn
}

output "web_acl_name" {
  description = "WAF web ACL name (WebACL metric dimension)."
  value       = aws_wafv2_web_acl.main.name
}
