# tflint --init && tflint --recursive --config "$PWD/terraform/.tflint.hcl" --chdir terraform
plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.38.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}
