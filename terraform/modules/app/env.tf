# ─────────────────────────────────────────────────────────────────────────────────────────────
# THE CONTAINER ENVIRONMENT OF THE APP — the one place to edit.
#
# Every variable of the app's config schema (src/config/config.schema.ts, `envSchema`) must appear
# here, either as plain environment (local.environment) or as a secret (local.secrets), in the
# section of every role that needs it. test/infra/env-coverage.spec.ts fails otherwise, and also
# when a variable the schema REQUIRES (no default, not optional) is missing from a role that boots
# with it (api, worker), because that task would crash at start.
#
# Sections: common (api + worker + the one-off migrate task), api, worker. The migrate task runs
# with the worker's environment and a command override.
#
#   Plain setting, same in every environment:  NAME = "value"
#   Plain setting, differs per environment:    NAME = var.app_settings["NAME"]
#                                              and add NAME to app_settings in terraform/envs/*/terraform.tfvars
#   Secret:                                    NAME = "<secret key>" in local.secrets, where the key is
#                                              one of modules/secrets (operator_secrets) or
#                                              database-url / redis-url; add a new key there first.
#
# Keys must be literal names (the test reads them from this file). Values must be strings or
# expressions that give strings. Entries marked "anticipated" were added before the schema had them
# (webhook, admin and FCM settings; names guessed from the design documents): rename them to the
# schema's names when those land, keeping the secret keys.
# ─────────────────────────────────────────────────────────────────────────────────────────────

locals {
  environment = {
    common = {
      NODE_ENV                  = "production"
      HOST                      = "0.0.0.0"
      PORT                      = tostring(var.app_port)
      LOG_LEVEL                 = var.log_level
      LOG_PRETTY                = "false" # JSON lines for CloudWatch; pretty output is for npm run dev only
      SHUTDOWN_TIMEOUT_MS       = "25000" # below the container stopTimeout (30 s) and the ALB deregistration delay (30 s)
      TRUST_PROXY_HOPS          = "1"     # exactly the ALB hop: the client IP is the X-Forwarded-For entry the ALB appended
      DATABASE_SSL              = "true"  # RDS enforces TLS (rds.force_ssl = 1)
      DATABASE_MIGRATE_ON_START = "false" # migrations run once per release as the migrate task, never from N tasks at once
      REDIS_KEY_PREFIX          = "myna"
      PUBLIC_BASE_URL           = var.public_base_url

      # Digital Authentication App (OpenID provider); the client private JWK is a secret below.
      OIDC_ISSUER                      = var.app_settings["OIDC_ISSUER"]
      OIDC_CLIENT_ID                   = var.app_settings["OIDC_CLIENT_ID"]
      OIDC_REDIRECT_URI                = var.app_settings["OIDC_REDIRECT_URI"]
      OIDC_SCOPES                      = "openid"
      OIDC_TIMEOUT_MS                  = "2000"
      OIDC_DEFAULT_REFRESH_TTL_SECONDS = "2592000"

      # Which key of the TOKEN_ENCRYPTION_KEYS keyring encrypts new tokens (rotation: docs/runbook.md).
      TOKEN_ENCRYPTION_ACTIVE_KEY_ID = var.app_settings["TOKEN_ENCRYPTION_ACTIVE_KEY_ID"]

      # Mynaportal backend (notices, todos, insurance, SSO).
      MYNAPORTAL_BASE_URL    = var.app_settings["MYNAPORTAL_BASE_URL"]
      MYNAPORTAL_TIMEOUT_MS  = "1500"
      MYNAPORTAL_MAX_RETRIES = "1"
      SSO_RETURN_TO_PREFIXES = "/"
      MYNAPORTAL_WEB_ORIGIN  = var.app_settings["MYNAPORTAL_WEB_ORIGIN"]

      # Circuit breakers around every upstream (opossum).
      UPSTREAM_BREAKER_ERROR_THRESHOLD_PERCENT = "50"
      UPSTREAM_BREAKER_VOLUME_THRESHOLD        = "10"
      UPSTREAM_BREAKER_RESET_MS                = "10000"
      UPSTREAM_BREAKER_WINDOW_MS               = "10000"

      # CloudWatch metrics as EMF log lines (breaker states, queue depth/age) for alarms and worker autoscaling.
      CLOUDWATCH_METRICS_NAMESPACE = var.metrics_namespace
      CLOUDWATCH_EMF_INTERVAL_MS   = "60000"
    }

    api = {
      APP_ROLE          = "api"
      DATABASE_POOL_MAX = tostring(var.api_db_pool_max)

      # Per client IP / per device key, per minute, on POST /v1/link/start and /complete.
      LINK_RATE_LIMIT_PER_IP     = "60"
      LINK_RATE_LIMIT_PER_DEVICE = "10"

      # Device-bound sessions: absolute lifetime from the link (ADR 0006).
      SESSION_MAX_LIFETIME_DAYS = "400"

      # Per client IP on public routes, per app session on content/link/SSO routes, per minute.
      RATE_LIMIT_PER_IP      = "120"
      RATE_LIMIT_PER_SESSION = "120"
    }

    worker = {
      APP_ROLE          = "worker"
      DATABASE_POOL_MAX = tostring(var.worker_db_pool_max)

      # Push: FCM HTTP v1 (the service account is a secret below) and the fan-out/send workers.
      FCM_PROJECT_ID              = var.app_settings["FCM_PROJECT_ID"]
      FCM_TIMEOUT_MS              = "120000"
      FCM_RATE_LIMIT_PER_SECOND   = "6000" # shared by all worker tasks (BullMQ global limiter); FCM quota 10,000/s
      PUSH_BATCH_SIZE             = "500"
      PUSH_SEND_QUEUE_MAX_WAITING = "40"
      PUSH_SEND_CONCURRENCY       = "16"
      PUSH_SEND_ATTEMPTS          = "8"
    }
  }

  # Environment variable name => secret key (see modules/secrets and the database/cache modules).
  secrets = {
    common = {
      DATABASE_URL            = "database-url"
      REDIS_URL               = "redis-url"
      TOKEN_ENCRYPTION_KEYS   = "token-encryption-keys"
      OIDC_CLIENT_PRIVATE_JWK = "oidc-client-private-jwk"
    }

    api = {
      # HMAC keys of the stateless DPoP nonces (ADR 0006); rotation: docs/runbook.md.
      DPOP_NONCE_KEYS = "dpop-nonce-keys"

      WEBHOOK_SECRETS = "webhook-secrets"
      # operator tokens of /admin: `operator:sha256hex` pairs (docs/runbook.md)
      ADMIN_TOKENS = "admin-tokens"
    }

    worker = {
      FCM_SERVICE_ACCOUNT_JSON = "fcm-service-account"
    }
  }

  # Resolved per role: what the task definitions and execution-role policies use.
  role_environment = {
    for role in ["api", "worker"] : role => [
      for k, v in merge(local.environment.common, local.environment[role]) : { name = k, value = tostring(v) }
    ]
  }
  role_secrets = {
    for role in ["api", "worker"] : role => [
      for k, key in merge(local.secrets.common, local.secrets[role]) : { name = k, valueFrom = var.secret_arns[key] }
    ]
  }
  role_secret_arns = {
    for role in ["api", "worker"] : role => distinct([
      for key in values(merge(local.secrets.common, local.secrets[role])) : var.secret_arns[key]
    ])
  }
}
