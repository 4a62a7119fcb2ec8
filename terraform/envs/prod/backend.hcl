# terraform init -backend-config=backend.hcl
# The state bucket lives in the prod account, versioned and encrypted (created once by hand or by a
# bootstrap stack; see terraform/README.md).
bucket = "myna-bff-prod-tfstate"
key    = "prod/terraform.tfstate"
region = "ap-northeast-1"
