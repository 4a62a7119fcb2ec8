# The app connects as one of two alternating logins (blue/green), never as the master user, so a
# password can be rotated without a moment where running tasks hold a dead password
# (docs/runbook.md, "Rotate database-url"). Both logins are created in PostgreSQL by the bootstrap
# SQL in the runbook, as members of the NOLOGIN role myna_app that owns the schema.

resource "random_password" "app" {
  for_each         = var.app_logins
  length           = 40
  special          = true
  override_special = "-_.~"
  keepers = {
    login      = each.key
    generation = tostring(each.value)
  }
}

# DATABASE_URL of the app (a secret: it embeds the password).
resource "aws_secretsmanager_secret" "database_url" {
  name                    = "${var.secret_name_prefix}/database-url"
  description             = "DATABASE_URL of myna-bff (active app login and RDS endpoint; TLS is switched on by DATABASE_SSL=true and enforced by rds.force_ssl)."
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
  tags                    = merge(var.tags, { SecretKey = "database-url" })
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id     = aws_secretsmanager_secret.database_url.id
  secret_string = "postgresql://${var.active_app_login}:${random_password.app[var.active_app_login].result}@${aws_db_instance.main.address}:${aws_db_instance.main.port}/${var.database_name}"
}

# Both logins' passwords for the operator who runs ALTER ROLE during a rotation. Not read by tasks.
resource "aws_secretsmanager_secret" "app_logins" {
  name                    = "${var.secret_name_prefix}/database-app-logins"
  description             = "Passwords of the app's blue/green PostgreSQL logins (operators only; for ALTER ROLE during rotation)."
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = 30
  tags                    = merge(var.tags, { SecretKey = "database-app-logins" })
}

resource "aws_secretsmanager_secret_version" "app_logins" {
  secret_id     = aws_secretsmanager_secret.app_logins.id
  secret_string = jsonencode({ for login, p in random_password.app : login => p.result })
}
