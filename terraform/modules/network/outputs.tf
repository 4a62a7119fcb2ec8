output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.main.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.main.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateways), one per AZ."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "Private subnets for ECS tasks, one per AZ."
  value       = aws_subnet.app[*].id
}

output "data_subnet_ids" {
  description = "Private subnets for RDS and ElastiCache, one per AZ, without internet route."
  value       = aws_subnet.data[*].id
}

output "availability_zones" {
  description = "The AZs in subnet order."
  value       = var.availability_zones
}

output "security_group_ids" {
  description = "Security group ids by role: alb, api, worker, db, redis."
  value = {
    alb    = aws_security_group.alb.id
    api    = aws_security_group.api.id
    worker = aws_security_group.worker.id
    db     = aws_security_group.db.id
    redis  = aws_security_group.redis.id
  }
}
