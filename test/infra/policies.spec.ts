import { cloneModel, loadTerraform, resource, type Body, type TfModel } from './hcl-model.js';
import {
  alarmPolicy,
  backupPolicy,
  ecsPolicy,
  iamPolicy,
  listenerPolicy,
  logRetentionPolicy,
  networkPolicy,
  policies,
  rdsPolicy,
  redisPolicy,
  securityGroupPolicy,
  variableDescriptionPolicy,
  wafPolicy,
  type Policy,
  type Violation,
} from './policies.js';

/**
 * Part 1: every policy holds for the real terraform/.
 * Part 2: every policy catches its own breakage: each case breaks one thing in a deep copy of the
 * parsed model and expects a violation that names it. A check that cannot fail is not a check.
 */

let model: TfModel;

beforeAll(async () => {
  model = await loadTerraform();
});

const show = (violations: Violation[]): string =>
  violations.map((v) => `${v.where}: ${v.message}`).join('\n');

describe('terraform/ satisfies the production policies', () => {
  it('parses every module and both environment roots', () => {
    expect(Object.keys(model.modules).sort()).toEqual(
      expect.arrayContaining([
        'envs/prod',
        'envs/staging',
        'modules/app',
        'modules/backup',
        'modules/cache',
        'modules/database',
        'modules/edge',
        'modules/monitoring',
        'modules/network',
      ]),
    );
  });

  it.each(Object.keys(policies))('%s', (name) => {
    const violations = policies[name](model);
    expect(show(violations)).toBe('');
  });
});

/** Applies `change` to a copy of the model and returns the policy's violations on it. */
function breakAndCheck(policy: Policy, change: (m: TfModel) => void): string {
  const copy = cloneModel(model);
  change(copy);
  return show(policy(copy));
}

const body = (m: TfModel, dir: string, type: string, name: string): Body => resource(m, dir, type, name).body;

describe('each policy fails when its rule is broken', () => {
  describe('RDS', () => {
    const db = (m: TfModel): Body => body(m, 'modules/database', 'aws_db_instance', 'main');

    it('multi_az = false', () => {
      expect(breakAndCheck(rdsPolicy, (m) => (db(m).multi_az = false))).toMatch(
        /multi_az is false, expected true/,
      );
    });
    it('storage_encrypted = false', () => {
      expect(breakAndCheck(rdsPolicy, (m) => (db(m).storage_encrypted = false))).toMatch(
        /storage_encrypted is false/,
      );
    });
    it('no deletion protection', () => {
      expect(breakAndCheck(rdsPolicy, (m) => delete db(m).deletion_protection)).toMatch(
        /deletion_protection is not set/,
      );
    });
    it('backup_retention_period literal below 30', () => {
      expect(breakAndCheck(rdsPolicy, (m) => (db(m).backup_retention_period = 7))).toMatch(
        /backup_retention_period is 7, expected >= 30/,
      );
    });
    it('backup retention lowered through a variable in an environment root', () => {
      const out = breakAndCheck(rdsPolicy, (m) => {
        m.modules['envs/staging'].tfvars['envs/staging/terraform.tfvars'].db_backup_retention_days = 14;
      });
      expect(out).toMatch(/backup_retention_period is 14/);
    });
    it('a value that cannot be resolved statically', () => {
      expect(breakAndCheck(rdsPolicy, (m) => (db(m).multi_az = '${local.something}'))).toMatch(
        /cannot be verified/,
      );
    });
    it('no database at all', () => {
      const out = breakAndCheck(rdsPolicy, (m) => {
        m.modules['modules/database'].resources = m.modules['modules/database'].resources.filter(
          (r) => r.type !== 'aws_db_instance',
        );
      });
      expect(out).toMatch(/no aws_db_instance/);
    });
  });

  describe('log retention', () => {
    it('a log group kept less than 1827 days', () => {
      const out = breakAndCheck(logRetentionPolicy, (m) => {
        body(m, 'modules/edge', 'aws_cloudwatch_log_group', 'waf').retention_in_days = 365;
      });
      expect(out).toMatch(/aws_cloudwatch_log_group\.waf: retention_in_days is 365/);
    });
    it('a root passing a shorter retention to a module', () => {
      const out = breakAndCheck(logRetentionPolicy, (m) => {
        m.modules['envs/prod'].moduleCalls.find((c) => c.name === 'app')!.args.log_retention_days = 90;
      });
      expect(out).toMatch(/modules\/app: aws_cloudwatch_log_group\.app: retention_in_days is 90/);
    });
    it('a log group without KMS', () => {
      const out = breakAndCheck(logRetentionPolicy, (m) => {
        delete body(m, 'modules/network', 'aws_cloudwatch_log_group', 'flow_logs').kms_key_id;
      });
      expect(out).toMatch(/kms_key_id is not set/);
    });
  });

  describe('ECS', () => {
    const api = (m: TfModel): Body => body(m, 'modules/app', 'aws_ecs_service', 'api');

    it('desired_count 1', () => {
      expect(breakAndCheck(ecsPolicy, (m) => (api(m).desired_count = 1))).toMatch(/desired_count is 1/);
    });
    it('an environment giving the worker a single task', () => {
      const out = breakAndCheck(ecsPolicy, (m) => {
        m.modules['envs/prod'].tfvars['envs/prod/terraform.tfvars'].worker_min_tasks = 1;
      });
      expect(out).toMatch(/aws_ecs_service\.worker: desired_count is 1/);
    });
    it('circuit breaker without rollback', () => {
      const out = breakAndCheck(ecsPolicy, (m) => {
        (api(m).deployment_circuit_breaker as Body[])[0].rollback = false;
      });
      expect(out).toMatch(/rollback is false/);
    });
    it('no circuit breaker', () => {
      expect(breakAndCheck(ecsPolicy, (m) => delete api(m).deployment_circuit_breaker)).toMatch(
        /deployment_circuit_breaker is missing/,
      );
    });
    it('tasks in a single subnet', () => {
      const out = breakAndCheck(ecsPolicy, (m) => {
        (api(m).network_configuration as Body[])[0].subnets = ['${var.app_subnet_ids[0]}'];
      });
      expect(out).toMatch(/aws_ecs_service\.api: subnets must be a variable validated to hold >= 2 subnets/);
    });
    it('the subnet variable no longer validated', () => {
      const out = breakAndCheck(ecsPolicy, (m) => {
        delete m.modules['modules/app'].variables.app_subnet_ids.body.validation;
      });
      expect(out).toMatch(/subnets must be a variable validated/);
    });
    it('container insights off', () => {
      const out = breakAndCheck(ecsPolicy, (m) => {
        body(m, 'modules/app', 'aws_ecs_cluster', 'main').setting = [
          { name: 'containerInsights', value: 'disabled' },
        ];
      });
      expect(out).toMatch(/containerInsights must be enabled/);
    });
  });

  describe('Redis', () => {
    const rg = (m: TfModel): Body => body(m, 'modules/cache', 'aws_elasticache_replication_group', 'main');

    it('no automatic failover', () => {
      expect(breakAndCheck(redisPolicy, (m) => (rg(m).automatic_failover_enabled = false))).toMatch(
        /automatic_failover_enabled is false/,
      );
    });
    it('no encryption in transit', () => {
      expect(breakAndCheck(redisPolicy, (m) => (rg(m).transit_encryption_enabled = false))).toMatch(
        /transit_encryption_enabled is false/,
      );
    });
    it('no encryption at rest', () => {
      expect(breakAndCheck(redisPolicy, (m) => delete rg(m).at_rest_encryption_enabled)).toMatch(
        /at_rest_encryption_enabled is not set/,
      );
    });
    it('an eviction policy that would drop BullMQ keys', () => {
      const out = breakAndCheck(redisPolicy, (m) => {
        body(m, 'modules/cache', 'aws_elasticache_parameter_group', 'main').parameter = [
          { name: 'maxmemory-policy', value: 'allkeys-lru' },
        ];
      });
      expect(out).toMatch(/maxmemory-policy is "allkeys-lru", expected "noeviction"/);
    });
    it('a single node', () => {
      expect(breakAndCheck(redisPolicy, (m) => (rg(m).num_cache_clusters = 1))).toMatch(
        /num_cache_clusters is 1/,
      );
    });
  });

  describe('security groups', () => {
    it('PostgreSQL opened to the internet', () => {
      const out = breakAndCheck(securityGroupPolicy, (m) => {
        const rule = body(m, 'modules/network', 'aws_vpc_security_group_ingress_rule', 'db_from_tasks');
        delete rule.referenced_security_group_id;
        rule.cidr_ipv4 = '0.0.0.0/0';
        rule.from_port = 5432;
        rule.to_port = 5432;
      });
      expect(out).toMatch(/db_from_tasks: ingress open to the internet \(0\.0\.0\.0\/0\) on 5432-5432/);
    });
    it('the ALB opened on another port', () => {
      const out = breakAndCheck(securityGroupPolicy, (m) => {
        const rule = body(m, 'modules/network', 'aws_vpc_security_group_ingress_rule', 'alb_http');
        rule.from_port = 8080;
        rule.to_port = 8080;
      });
      expect(out).toMatch(/alb_http: ingress open to the internet .* on 8080-8080/);
    });
    it('an inline ingress block open to ::/0', () => {
      const out = breakAndCheck(securityGroupPolicy, (m) => {
        body(m, 'modules/network', 'aws_security_group', 'api').ingress = [
          { from_port: 3000, to_port: 3000, protocol: 'tcp', ipv6_cidr_blocks: ['::/0'] },
        ];
      });
      expect(out).toMatch(/aws_security_group\.api: ingress open to the internet \(::\/0\)/);
    });
  });

  describe('WAF', () => {
    it('no association with the ALB', () => {
      const out = breakAndCheck(wafPolicy, (m) => {
        m.modules['modules/edge'].resources = m.modules['modules/edge'].resources.filter(
          (r) => r.type !== 'aws_wafv2_web_acl_association',
        );
      });
      expect(out).toMatch(/is not associated with the ALB/);
    });
    it('no WAF at all', () => {
      const out = breakAndCheck(wafPolicy, (m) => {
        m.modules['modules/edge'].resources = m.modules['modules/edge'].resources.filter(
          (r) => !r.type.startsWith('aws_wafv2_'),
        );
      });
      expect(out).toMatch(/no aws_wafv2_web_acl resource/);
    });
    it('no WAF logging', () => {
      const out = breakAndCheck(wafPolicy, (m) => {
        m.modules['modules/edge'].resources = m.modules['modules/edge'].resources.filter(
          (r) => r.type !== 'aws_wafv2_web_acl_logging_configuration',
        );
      });
      expect(out).toMatch(/has no logging configuration/);
    });
    it('no rate-based rule', () => {
      const out = breakAndCheck(wafPolicy, (m) => {
        const acl = body(m, 'modules/edge', 'aws_wafv2_web_acl', 'main');
        acl.rule = (acl.rule as Body[]).filter((r) => r.name !== 'rate-limit-per-ip');
      });
      expect(out).toMatch(/no rate-based rule/);
    });
    it('/admin no longer restricted to the VPN', () => {
      const out = breakAndCheck(wafPolicy, (m) => {
        m.modules['modules/edge'].variables.operator_only_path_prefixes.body.default = ['/metrics'];
      });
      expect(out).toMatch(/no rule restricting \/admin/);
    });
  });

  describe('ALB listeners', () => {
    it('a TLS policy that allows TLS 1.0', () => {
      const out = breakAndCheck(listenerPolicy, (m) => {
        m.modules['modules/edge'].variables.ssl_policy.body.default = 'ELBSecurityPolicy-2016-08';
      });
      expect(out).toMatch(/ssl_policy is "ELBSecurityPolicy-2016-08", expected a TLS 1\.2\+ policy/);
    });
    it('port 80 forwarding instead of redirecting', () => {
      const out = breakAndCheck(listenerPolicy, (m) => {
        body(m, 'modules/edge', 'aws_lb_listener', 'http_redirect').default_action = [
          { type: 'forward', target_group_arn: '${aws_lb_target_group.api.arn}' },
        ];
      });
      expect(out).toMatch(/an HTTP listener must only redirect to HTTPS/);
    });
  });

  describe('AWS Backup', () => {
    const rule = (m: TfModel): Body =>
      (body(m, 'modules/backup', 'aws_backup_plan', 'daily').rule as Body[])[0];

    it('retention below 30 days', () => {
      const out = breakAndCheck(backupPolicy, (m) => {
        m.modules['envs/prod'].tfvars['envs/prod/terraform.tfvars'].backup_retention_days = 7;
      });
      expect(out).toMatch(/delete_after is 7, expected >= 30 days/);
    });
    it('no cross-region copy', () => {
      expect(breakAndCheck(backupPolicy, (m) => delete rule(m).copy_action)).toMatch(/no copy_action/);
    });
    it('a copy into a vault in the same region', () => {
      const out = breakAndCheck(backupPolicy, (m) => {
        delete body(m, 'modules/backup', 'aws_backup_vault', 'dr').provider;
      });
      expect(out).toMatch(/DR-region provider/);
    });
    it('the DR region set to the primary region', () => {
      const out = breakAndCheck(backupPolicy, (m) => {
        m.modules['envs/staging'].tfvars['envs/staging/terraform.tfvars'].dr_region = 'ap-northeast-1';
      });
      expect(out).toMatch(/dr_region "ap-northeast-1" must be another region/);
    });
  });

  describe('network', () => {
    it('a single availability zone', () => {
      const out = breakAndCheck(networkPolicy, (m) => {
        m.modules['envs/prod'].tfvars['envs/prod/terraform.tfvars'].availability_zones = ['ap-northeast-1a'];
      });
      expect(out).toMatch(/availability_zones \["ap-northeast-1a"\]: need >= 2/);
    });
    it('no Secrets Manager endpoint', () => {
      const out = breakAndCheck(networkPolicy, (m) => {
        m.modules['modules/network'].variables.interface_endpoint_services.body.default = [
          'ecr.api',
          'ecr.dkr',
          'logs',
        ];
      });
      expect(out).toMatch(/missing interface endpoint secretsmanager/);
    });
  });

  describe('IAM', () => {
    it('an execution role that reads every secret', () => {
      const out = breakAndCheck(iamPolicy, (m) => {
        const doc = m.modules['modules/app'].data.find((d) => d.name === 'execution')!;
        const st = (doc.body.statement as Body[]).find((s) => s.sid === 'ReadOwnSecrets')!;
        st.resources = ['*'];
      });
      expect(out).toMatch(/ReadOwnSecrets reads every secret/);
    });
    it('a task role with s3:*', () => {
      const out = breakAndCheck(iamPolicy, (m) => {
        const doc = m.modules['modules/app'].data.find((d) => d.name === 'task')!;
        (doc.body.statement as Body[]).push({ sid: 'Oops', actions: ['s3:*'], resources: ['*'] });
      });
      expect(out).toMatch(/Oops allows a whole service/);
    });
  });

  describe('variables', () => {
    it('a variable without description', () => {
      const out = breakAndCheck(variableDescriptionPolicy, (m) => {
        delete m.modules['modules/cache'].variables.node_type.body.description;
      });
      expect(out).toMatch(/modules\/cache: node_type: variable needs a description/);
    });
  });

  describe('alarms', () => {
    it('no p90 latency alarm', () => {
      const out = breakAndCheck(alarmPolicy, (m) => {
        m.modules['modules/monitoring'].resources = m.modules['modules/monitoring'].resources.filter(
          (r) => r.name !== 'alb_latency_p90',
        );
      });
      expect(out).toMatch(/no alarm on TargetResponseTime/);
    });
    it('an alarm without actions', () => {
      const out = breakAndCheck(alarmPolicy, (m) => {
        delete body(m, 'modules/monitoring', 'aws_cloudwatch_metric_alarm', 'rds_cpu').alarm_actions;
      });
      expect(out).toMatch(/rds_cpu: alarm notifies nobody/);
    });
  });
});
