# Staging (検証環境) values: same shape as production (Multi-AZ everywhere, two tasks per service),
# smaller sizes. Talks to the sandbox Digital Authentication App (sb-auth-and-sign.go.jp).
# Placeholders in <angle brackets> must be replaced before the first apply.

environment        = "staging"
region             = "ap-northeast-1"
dr_region          = "ap-northeast-3"
availability_zones = ["ap-northeast-1a", "ap-northeast-1c"]
vpc_cidr           = "10.50.0.0/16"

certificate_arn      = "arn:aws:acm:ap-northeast-1:<account-id>:certificate/<certificate-id>"
public_base_url      = "https://api.stg.myna.example.go.jp"
operator_cidrs       = ["203.0.113.0/28"] # operators' VPN egress (documentation range: replace)
webhook_source_cidrs = []

image_tag = "<git-sha>"

app_settings = {
  OIDC_ISSUER                    = "https://sb-auth-and-sign.go.jp/api/realms/main"
  OIDC_CLIENT_ID                 = "<sandbox RP client id>"
  OIDC_REDIRECT_URI              = "<redirect URI registered with the Digital Agency sandbox>"
  MYNAPORTAL_BASE_URL            = "https://<mynaportal staging backend host>"
  MYNAPORTAL_WEB_ORIGIN          = "https://<mynaportal staging web host>"
  TOKEN_ENCRYPTION_ACTIVE_KEY_ID = "k1" # kid of the newest key in the token-encryption-keys secret
  FCM_PROJECT_ID                 = "<firebase staging project id>"
}

log_level = "debug"

api_cpu          = 512
api_memory       = 1024
api_min_tasks    = 2
api_max_tasks    = 4
worker_cpu       = 512
worker_memory    = 1024
worker_min_tasks = 2
worker_max_tasks = 3

db_instance_class        = "db.t4g.medium"
db_backup_retention_days = 30
backup_retention_days    = 30
redis_node_type          = "cache.t4g.small"

alarm_emails       = ["<ops-staging@example.go.jp>"]
monthly_budget_usd = 1500
budget_emails      = []
