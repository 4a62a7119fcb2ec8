# terraform init -backend-config=backend.hcl
bucket = "myna-bff-staging-tfstate"
key    = "staging/terraform.tfstate"
region = "ap-northeast-1"
