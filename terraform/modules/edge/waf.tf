# AWS WAF v2 on the ALB, rules in priority order:
#   0 operator-paths-only-from-vpn  block /admin*, /metrics, /docs unless the source is the VPN
#   1 webhook-only-from-mynaportal  (only when webhook_source_cidrs is set)
#   2 rate-limit-per-ip             rate-based block
#   10.. AWS managed rule groups    IP reputation, common rule set, known bad inputs, SQLi

resource "aws_wafv2_ip_set" "operators" {
  name               = "${var.name}-operator-vpn"
  description        = "Operators' VPN egress ranges (may reach /admin, /metrics, /docs)"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = var.operator_cidrs
  tags               = var.tags
}

resource "aws_wafv2_ip_set" "webhook_sources" {
  count              = length(var.webhook_source_cidrs) > 0 ? 1 : 0
  name               = "${var.name}-mynaportal-backend"
  description        = "Mynaportal backend egress ranges (may call the push webhook)"
  scope              = "REGIONAL"
  ip_address_version = "IPV4"
  addresses          = var.webhook_source_cidrs
  tags               = var.tags
}

locals {
  managed_rule_groups = [
    { name = "AWSManagedRulesAmazonIpReputationList", priority = 10 },
    { name = "AWSManagedRulesCommonRuleSet", priority = 11 },
    { name = "AWSManagedRulesKnownBadInputsRuleSet", priority = 12 },
    { name = "AWSManagedRulesSQLiRuleSet", priority = 13 },
  ]
}

resource "aws_wafv2_web_acl" "main" {
  name        = "${var.name}-web-acl"
  description = "myna-bff public ALB"
  scope       = "REGIONAL"
  tags        = var.tags

  default_action {
    allow {}
  }

  rule {
    name     = "operator-paths-only-from-vpn"
    priority = 0

    action {
      block {}
    }

    statement {
      and_statement {
        statement {
          or_statement {
            dynamic "statement" {
              for_each = var.operator_only_path_prefixes
              content {
                byte_match_statement {
                  search_string         = statement.value
                  positional_constraint = "STARTS_WITH"
                  field_to_match {
                    uri_path {}
                  }
                  text_transformation {
                    priority = 0
                    type     = "URL_DECODE"
                  }
                  text_transformation {
                    priority = 1
                    type     = "LOWERCASE"
                  }
                }
              }
            }
            # or_statement needs two or more statements: this one never matches a real path.
            statement {
              byte_match_statement {
                search_string         = "/__never__"
                positional_constraint = "EXACTLY"
                field_to_match {
                  uri_path {}
                }
                text_transformation {
                  priority = 0
                  type     = "NONE"
                }
              }
            }
          }
        }
        statement {
          not_statement {
            statement {
              ip_set_reference_statement {
                arn = aws_wafv2_ip_set.operators.arn
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "operator-paths-only-from-vpn"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = length(var.webhook_source_cidrs) > 0 ? [1] : []
    content {
      name     = "webhook-only-from-mynaportal"
      priority = 1

      action {
        block {}
      }

      statement {
        and_statement {
          statement {
            byte_match_statement {
              search_string         = "/v1/webhooks/"
              positional_constraint = "STARTS_WITH"
              field_to_match {
                uri_path {}
              }
              text_transformation {
                priority = 0
                type     = "URL_DECODE"
              }
            }
          }
          statement {
            not_statement {
              statement {
                ip_set_reference_statement {
                  arn = aws_wafv2_ip_set.webhook_sources[0].arn
                }
              }
            }
          }
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "webhook-only-from-mynaportal"
        sampled_requests_enabled   = true
      }
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 2

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.rate_limit_per_5min
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-limit-per-ip"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups
    content {
      name     = rule.value.name
      priority = rule.value.priority

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.value.name

          # The webhook and link bodies are JSON up to 64 KiB; the common rule set's 8 KiB body
          # limit would block legitimate webhooks, so that one rule only counts.
          dynamic "rule_action_override" {
            for_each = rule.value.name == "AWSManagedRulesCommonRuleSet" ? ["SizeRestrictions_BODY"] : []
            content {
              name = rule_action_override.value
              action_to_use {
                count {}
              }
            }
          }
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.value.name
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-web-acl"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "alb" {
  resource_arn = aws_lb.main.arn
  web_acl_arn  = aws_wafv2_web_acl.main.arn
}

# WAF logs (the log group name must start with aws-waf-logs-). Authorization headers are redacted.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "main" {
  resource_arn            = aws_wafv2_web_acl.main.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
  redacted_fields {
    single_header {
      name = "x-myna-signature"
    }
  }
}
