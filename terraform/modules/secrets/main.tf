# Secrets whose values come from outside AWS (key ceremonies, the Digital Agency, Firebase, the
# Mynaportal backend team). Terraform creates the empty secret container only; an operator puts the
# value with `aws secretsmanager put-secret-value` (see docs/runbook.md, "Secrets"). Terraform never
# sees or stores these values.
#
# The DATABASE_URL and REDIS_URL secrets are made by the database and cache modules, because they
# are composed from endpoints and generated passwords.
#
# To add a secret: add a key here, then map an environment variable to it in
# terraform/modules/app/env.tf (local.secrets).

locals {
  operator_secrets = {
    "token-encryption-keys"   = "AES-256-GCM keyring for provider tokens at rest (key ids + 32-byte keys, newest first; old keys kept for decryption until re-encrypted)."
    "oidc-client-private-jwk" = "Private JWK (EC P-256, ES256) of the confidential OIDC client (OIDC_CLIENT_PRIVATE_JWK), used for private_key_jwt at the Digital Authentication App token endpoint."
    "dpop-nonce-keys"         = "HMAC keys of the stateless DPoP nonces (DPOP_NONCE_KEYS: kid:base64 of 32 random bytes, newest first; keep the previous key 5 minutes after a rotation)."
    "webhook-secrets"         = "HMAC-SHA256 secrets for X-Myna-Signature of the Mynaportal backend's push webhook (comma-separated during a rotation)."
    "admin-tokens"            = "Bearer tokens of the operators' admin API and delivery dashboard (comma-separated, one per operator or tool)."
    "fcm-service-account"     = "Firebase service-account JSON (FCM HTTP v1) used by the push workers."
  }
}

resource "aws_secretsmanager_secret" "operator" {
  for_each                = local.operator_secrets
  name                    = "${var.name_prefix}/${each.key}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = merge(var.tags, { SecretKey = each.key })

  dynamic "replica" {
    for_each = toset(var.replica_regions)
    content {
      region = replica.value
    }
  }
}
