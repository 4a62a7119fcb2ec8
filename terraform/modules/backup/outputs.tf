output "vault_name" {
  description = "Primary (Tokyo) backup vault."
  value       = aws_backup_vault.main.name
}

output "dr_vault_arn" {
  description = "Backup vault in the DR region (Osaka)."
  value       = aws_backup_vault.dr.arn
}

output "dr_kms_key_arn" {
  description = "KMS key of the DR-region copies."
  value       = aws_kms_key.dr.arn
}

output "plan_id" {
  description = "AWS Backup plan id."
  value       = aws_backup_plan.daily.id
}
