# Root of one environment. Identical in envs/prod and envs/staging; the differences are the values
# in terraform.tfvars (sizes, CIDRs, URLs) and the backend key in backend.hcl.

locals {
  name          = "myna-bff-${var.environment}"
  secret_prefix = "myna-bff/${var.environment}"
  tags = {
    Service     = "myna-bff"
    Environment = var.environment
    ManagedBy   = "terraform"
  }
}

module "kms" {
  source = "../../modules/kms"
  name   = local.name
}

module "network" {
  source             = "../../modules/network"
  name               = local.name
  cidr_block         = var.vpc_cidr
  availability_zones = var.availability_zones
  log_kms_key_arn    = module.kms.logs_key_arn
  log_retention_days = 1827
}

module "secrets" {
  source          = "../../modules/secrets"
  name_prefix     = local.secret_prefix
  kms_key_arn     = module.kms.secrets_key_arn
  replica_regions = var.backup_enabled ? [var.dr_region] : []
}

module "database" {
  source                = "../../modules/database"
  name                  = local.name
  identifier            = var.db_identifier
  restore_from          = var.db_restore_from
  secret_name_prefix    = local.secret_prefix
  subnet_ids            = module.network.data_subnet_ids
  security_group_id     = module.network.security_group_ids["db"]
  kms_key_arn           = module.kms.data_key_arn
  secrets_kms_key_arn   = module.kms.secrets_key_arn
  log_kms_key_arn       = module.kms.logs_key_arn
  instance_class        = var.db_instance_class
  app_logins            = var.db_app_logins
  active_app_login      = var.db_active_app_login
  backup_retention_days = var.db_backup_retention_days
  log_retention_days    = 1827
}

module "backup" {
  source = "../../modules/backup"
  count  = var.backup_enabled ? 1 : 0
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name                = local.name
  kms_key_arn         = module.kms.data_key_arn
  db_instance_arn     = module.database.instance_arn
  retention_days      = var.backup_retention_days
  ecr_repository_name = module.app.ecr_repository_name
}

module "cache" {
  source                = "../../modules/cache"
  name                  = local.name
  secret_name_prefix    = local.secret_prefix
  subnet_ids            = module.network.data_subnet_ids
  availability_zones    = module.network.availability_zones
  security_group_id     = module.network.security_group_ids["redis"]
  kms_key_arn           = module.kms.data_key_arn
  secrets_kms_key_arn   = module.kms.secrets_key_arn
  log_kms_key_arn       = module.kms.logs_key_arn
  node_type             = var.redis_node_type
  auth_token_generation = var.redis_auth_token_generation
  log_retention_days    = 1827
}

module "edge" {
  source               = "../../modules/edge"
  name                 = local.name
  vpc_id               = module.network.vpc_id
  public_subnet_ids    = module.network.public_subnet_ids
  security_group_id    = module.network.security_group_ids["alb"]
  certificate_arn      = var.certificate_arn
  operator_cidrs       = var.operator_cidrs
  webhook_source_cidrs = var.webhook_source_cidrs
  log_kms_key_arn      = module.kms.logs_key_arn
  log_retention_days   = 1827
}

module "app" {
  source                  = "../../modules/app"
  name                    = local.name
  create_ecr_repository   = var.create_ecr_repository
  image_tag               = var.image_tag
  app_subnet_ids          = module.network.app_subnet_ids
  security_group_ids      = module.network.security_group_ids
  target_group_arn        = module.edge.target_group_arn
  alb_arn_suffix          = module.edge.alb_arn_suffix
  target_group_arn_suffix = module.edge.target_group_arn_suffix
  secrets_kms_key_arn     = module.kms.secrets_key_arn
  log_kms_key_arn         = module.kms.logs_key_arn
  data_kms_key_arn        = module.kms.data_key_arn
  log_retention_days      = 1827
  log_level               = var.log_level
  public_base_url         = var.public_base_url
  app_settings            = var.app_settings

  secret_arns = merge(module.secrets.secret_arns, {
    "database-url" = module.database.database_url_secret_arn
    "redis-url"    = module.cache.redis_url_secret_arn
  })

  api_cpu                            = var.api_cpu
  api_memory                         = var.api_memory
  worker_cpu                         = var.worker_cpu
  worker_memory                      = var.worker_memory
  api_min_tasks                      = var.api_min_tasks
  api_max_tasks                      = var.api_max_tasks
  worker_min_tasks                   = var.worker_min_tasks
  worker_max_tasks                   = var.worker_max_tasks
  api_requests_per_target_per_minute = var.api_requests_per_target_per_minute
  worker_backlog_per_task_target     = var.worker_backlog_per_task_target
}

module "monitoring" {
  source                     = "../../modules/monitoring"
  name                       = local.name
  alerts_kms_key_arn         = module.kms.alerts_key_arn
  alarm_emails               = var.alarm_emails
  alb_arn_suffix             = module.edge.alb_arn_suffix
  target_group_arn_suffix    = module.edge.target_group_arn_suffix
  web_acl_name               = module.edge.web_acl_name
  cluster_name               = module.app.cluster_name
  api_service_name           = module.app.api_service_name
  worker_service_name        = module.app.worker_service_name
  min_running_tasks          = 2
  db_instance_identifier     = module.database.instance_identifier
  redis_replication_group_id = module.cache.replication_group_id
  redis_node_count           = length(var.availability_zones)
  metrics_namespace          = module.app.metrics_namespace
  monthly_budget_usd         = var.monthly_budget_usd
  budget_emails              = var.budget_emails

  # 80 % of what the pools can open: tasks × DATABASE_POOL_MAX (app module defaults 20 / 10) + migrate.
  db_connections_alarm_threshold = floor(0.8 * (var.api_max_tasks * 20 + var.worker_max_tasks * 10 + 10))
}
