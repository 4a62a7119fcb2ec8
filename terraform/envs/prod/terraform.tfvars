# Production (本番) values. Not secret: secret values live only in Secrets Manager.
# Placeholders in <angle brackets> must be replaced before the first apply.

environment        = "prod"
region             = "ap-northeast-1"
dr_region          = "ap-northeast-3"
availability_zones = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
vpc_cidr           = "10.40.0.0/16"

certificate_arn      = "arn:aws:acm:ap-northeast-1:<account-id>:certificate/<certificate-id>"
public_base_url      = "https://api.myna.example.go.jp"
operator_cidrs       = ["203.0.113.0/28"] # operators' VPN egress (documentation range: replace)
webhook_source_cidrs = []

# Release (CI writes the commit SHA of the image to deploy).
image_tag = "<git-sha>"

app_settings = {
  OIDC_ISSUER                    = "https://auth-and-sign.go.jp/api/realms/main"
  OIDC_CLIENT_ID                 = "<RP client id, e.g. RP00000001>"
  OIDC_REDIRECT_URI              = "<redirect URI registered with the Digital Agency>"
  MYNAPORTAL_BASE_URL            = "https://<mynaportal backend host>"
  MYNAPORTAL_WEB_ORIGIN          = "https://<mynaportal web host>"
  TOKEN_ENCRYPTION_ACTIVE_KEY_ID = "k1" # kid of the newest key in the token-encryption-keys secret
  FCM_PROJECT_ID                 = "<firebase project id>"
}

# Sizes: docs/capacity-plan.md.
api_cpu          = 1024
api_memory       = 2048
api_min_tasks    = 3
api_max_tasks    = 24
worker_cpu       = 1024
worker_memory    = 2048
worker_min_tasks = 2
worker_max_tasks = 6

db_instance_class        = "db.r7g.xlarge"
db_backup_retention_days = 35
backup_retention_days    = 30
redis_node_type          = "cache.r7g.large"

alarm_emails       = ["<ops-oncall@example.go.jp>"]
monthly_budget_usd = 15000
budget_emails      = ["<finance-contact@example.go.jp>"]
