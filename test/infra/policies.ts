import {
  allData,
  allResources,
  candidates,
  effectiveRootValue,
  block,
  blocks,
  envRoots,
  values,
  where,
  type Body,
  type TfModel,
  type TfResource,
} from './hcl-model.js';

/**
 * The production policies of docs/adr/0003 as functions over the parsed terraform. Each returns the
 * list of violations (empty = the policy holds). A value a policy cannot resolve statically counts
 * as a violation: policy-relevant settings must be literals or plain variables.
 */

export interface Violation {
  where: string;
  message: string;
}

export type Policy = (model: TfModel) => Violation[];

class Findings {
  readonly list: Violation[] = [];
  add(where: string, message: string): void {
    this.list.push({ where, message });
  }
}

/** Every value of `key` in a resource must satisfy `ok`; unresolvable values are violations. */
function each(
  f: Findings,
  model: TfModel,
  r: TfResource,
  body: Body | undefined,
  key: string,
  ok: (v: unknown) => boolean,
  expected: string,
): void {
  if (body === undefined || !(key in body)) {
    f.add(where(r), `${key} is not set (expected ${expected})`);
    return;
  }
  const vals = values(model, r.module, body[key], (why) =>
    f.add(where(r), `${key} cannot be verified: ${why}`),
  );
  for (const v of vals) if (!ok(v)) f.add(where(r), `${key} is ${JSON.stringify(v)}, expected ${expected}`);
}

/**
 * `key` must be set to something: a literal or a reference to another resource or module output
 * (e.g. a KMS key ARN). Only an absent key or a literal null/empty/false value is a violation.
 */
function present(f: Findings, model: TfModel, r: TfResource, key: string, expected: string): void {
  if (!(key in r.body)) {
    f.add(where(r), `${key} is not set (expected ${expected})`);
    return;
  }
  for (const c of candidates(model, r.module, r.body[key])) {
    if ('value' in c && !isSet(c.value))
      f.add(where(r), `${key} is ${JSON.stringify(c.value)} (${c.via}), expected ${expected}`);
  }
}

const isTrue = (v: unknown): boolean => v === true;
const atLeast =
  (n: number) =>
  (v: unknown): boolean =>
    typeof v === 'number' && v >= n;
const isSet = (v: unknown): boolean => v !== null && v !== undefined && v !== '' && v !== false;

function requireSome(f: Findings, model: TfModel, type: string): TfResource[] {
  const found = allResources(model, type);
  if (found.length === 0) f.add('terraform/', `no ${type} resource at all`);
  return found;
}

/** Lower bound of `length(var.x)` from a validation block `length(var.x) >= N` on that variable. */
function lengthLowerBound(model: TfModel, dir: string, expr: unknown): number | undefined {
  if (typeof expr !== 'string') return undefined;
  const m = /^\$\{length\(var\.([A-Za-z0-9_]+)\)\}$/.exec(expr);
  if (!m) return undefined;
  const variable = model.modules[dir]?.variables[m[1]];
  for (const v of blocks(variable?.body, 'validation')) {
    const cond = typeof v.condition === 'string' ? v.condition : '';
    const bound = new RegExp(`length\\(var\\.${m[1]}\\)\\s*>=\\s*(\\d+)`).exec(cond);
    if (bound) return Number(bound[1]);
  }
  return undefined;
}

// ── RDS ────────────────────────────────────────────────────────────────────────────────────────
export const rdsPolicy: Policy = (model) => {
  const f = new Findings();
  for (const r of requireSome(f, model, 'aws_db_instance')) {
    each(f, model, r, r.body, 'multi_az', isTrue, 'true (Multi-AZ)');
    each(f, model, r, r.body, 'storage_encrypted', isTrue, 'true');
    present(f, model, r, 'kms_key_id', 'a customer-managed KMS key');
    each(f, model, r, r.body, 'deletion_protection', isTrue, 'true');
    each(f, model, r, r.body, 'backup_retention_period', atLeast(30), '>= 30 days (PITR window)');
    if (r.body.publicly_accessible === true) f.add(where(r), 'publicly_accessible must not be true');
    if (r.body.skip_final_snapshot === true) f.add(where(r), 'skip_final_snapshot must not be true');
  }
  return f.list;
};

// ── CloudWatch Logs ────────────────────────────────────────────────────────────────────────────
export const logRetentionPolicy: Policy = (model) => {
  const f = new Findings();
  for (const r of requireSome(f, model, 'aws_cloudwatch_log_group')) {
    each(f, model, r, r.body, 'retention_in_days', atLeast(1827), '>= 1827 days (5 years)');
    present(f, model, r, 'kms_key_id', 'a KMS key');
  }
  return f.list;
};

// ── ECS ────────────────────────────────────────────────────────────────────────────────────────
export const ecsPolicy: Policy = (model) => {
  const f = new Findings();
  const services = requireSome(f, model, 'aws_ecs_service');
  if (services.length > 0 && services.length < 2)
    f.add('terraform/', 'expected two ECS services (api, worker)');
  for (const r of services) {
    each(f, model, r, r.body, 'desired_count', atLeast(2), '>= 2 tasks');
    const breaker = block(r.body, 'deployment_circuit_breaker');
    if (!breaker) f.add(where(r), 'deployment_circuit_breaker is missing');
    else {
      each(f, model, r, breaker, 'enable', isTrue, 'true (circuit breaker)');
      each(f, model, r, breaker, 'rollback', isTrue, 'true (rollback on failed deployment)');
    }
    const net = block(r.body, 'network_configuration');
    if (net?.assign_public_ip === true) f.add(where(r), 'tasks must not get public IPs');
    const subnets = lengthLowerBound(model, r.module, `\${length(${String(net?.subnets).slice(2, -1)})}`);
    if (subnets === undefined || subnets < 2) {
      f.add(where(r), 'subnets must be a variable validated to hold >= 2 subnets (one per AZ)');
    }

    const scaling = allResources(model, 'aws_appautoscaling_target').filter(
      (t) => t.module === r.module && String(t.body.resource_id).includes(`aws_ecs_service.${r.name}.name`),
    );
    if (scaling.length === 0) f.add(where(r), 'has no aws_appautoscaling_target');
    for (const t of scaling) each(f, model, t, t.body, 'min_capacity', atLeast(2), '>= 2 tasks');
  }
  for (const r of requireSome(f, model, 'aws_ecs_cluster')) {
    const insights = blocks(r.body, 'setting').find((s) => s.name === 'containerInsights');
    if (!insights || !['enabled', 'enhanced'].includes(String(insights.value))) {
      f.add(where(r), 'containerInsights must be enabled');
    }
  }
  return f.list;
};

// ── ElastiCache ────────────────────────────────────────────────────────────────────────────────
export const redisPolicy: Policy = (model) => {
  const f = new Findings();
  for (const r of requireSome(f, model, 'aws_elasticache_replication_group')) {
    each(f, model, r, r.body, 'automatic_failover_enabled', isTrue, 'true');
    each(f, model, r, r.body, 'multi_az_enabled', isTrue, 'true');
    each(f, model, r, r.body, 'at_rest_encryption_enabled', isTrue, 'true');
    each(f, model, r, r.body, 'transit_encryption_enabled', isTrue, 'true');
    present(f, model, r, 'auth_token', 'an AUTH token');

    const bound = lengthLowerBound(model, r.module, r.body.num_cache_clusters);
    if (bound !== undefined) {
      if (bound < 2) f.add(where(r), 'num_cache_clusters may be < 2');
    } else {
      each(f, model, r, r.body, 'num_cache_clusters', atLeast(2), '>= 2 (a replica in another AZ)');
    }

    const pg = /aws_elasticache_parameter_group\.([A-Za-z0-9_-]+)\./.exec(
      String(r.body.parameter_group_name),
    );
    const group = pg
      ? model.modules[r.module].resources.find(
          (x) => x.type === 'aws_elasticache_parameter_group' && x.name === pg[1],
        )
      : undefined;
    if (!group) {
      f.add(
        where(r),
        'parameter_group_name must reference an aws_elasticache_parameter_group of this module',
      );
    } else {
      const policy = blocks(group.body, 'parameter').find((p) => p.name === 'maxmemory-policy');
      if (policy?.value !== 'noeviction') {
        f.add(
          where(group),
          `maxmemory-policy is ${JSON.stringify(policy?.value)}, expected "noeviction" (BullMQ)`,
        );
      }
    }
  }
  return f.list;
};

// ── Security groups ────────────────────────────────────────────────────────────────────────────
const OPEN = new Set(['0.0.0.0/0', '::/0']);
const PUBLIC_PORTS = new Set([443, 80]);

function openRanges(rule: Body): string[] {
  const ranges = [rule.cidr_ipv4, rule.cidr_ipv6, rule.cidr_blocks, rule.ipv6_cidr_blocks].flat();
  return ranges.filter((c): c is string => typeof c === 'string' && OPEN.has(c));
}

export const securityGroupPolicy: Policy = (model) => {
  const f = new Findings();
  const check = (r: TfResource, rule: Body, sgRef: string): void => {
    if (openRanges(rule).length === 0) return;
    const isAlb = sgRef === 'aws_security_group.alb';
    const from = rule.from_port;
    const to = rule.to_port;
    const port = typeof from === 'number' && from === to && PUBLIC_PORTS.has(from);
    if (!isAlb || !port) {
      f.add(
        where(r),
        `ingress open to the internet (${openRanges(rule).join(', ')}) on ${String(from)}-${String(to)}: only the ALB's 443 and 80 may be`,
      );
    }
  };

  for (const r of allResources(model, 'aws_vpc_security_group_ingress_rule')) {
    const ref = /\$\{(aws_security_group\.[A-Za-z0-9_-]+)\.id\}/.exec(String(r.body.security_group_id));
    check(r, r.body, ref?.[1] ?? String(r.body.security_group_id));
  }
  for (const r of allResources(model, 'aws_security_group_rule')) {
    if (r.body.type !== 'ingress') continue;
    const ref = /\$\{(aws_security_group\.[A-Za-z0-9_-]+)\.id\}/.exec(String(r.body.security_group_id));
    check(r, r.body, ref?.[1] ?? String(r.body.security_group_id));
  }
  for (const r of allResources(model, 'aws_security_group')) {
    for (const rule of blocks(r.body, 'ingress')) check(r, rule, `aws_security_group.${r.name}`);
  }

  // The SG allowed to be public must be the one the internet-facing ALB uses.
  for (const root of envRoots(model)) {
    for (const call of root.moduleCalls) {
      const hasLb = model.modules[call.source]?.resources.some((x) => x.type === 'aws_lb');
      if (hasLb && !String(call.args.security_group_id).includes('security_group_ids["alb"]')) {
        f.add(
          `${root.dir}: module.${call.name}`,
          'the ALB must use the network module\'s "alb" security group',
        );
      }
    }
  }
  return f.list;
};

// ── WAF ────────────────────────────────────────────────────────────────────────────────────────
interface Visit {
  node: Body;
  iterators: Record<string, unknown>;
}

/** Walks nested blocks, remembering the for_each of each enclosing `dynamic "<label>"`. */
function visitBlocks(root: Body, visit: (v: Visit) => void, iterators: Record<string, unknown> = {}): void {
  visit({ node: root, iterators });
  for (const [key, value] of Object.entries(root)) {
    if (key === 'dynamic') {
      for (const [label, dyns] of Object.entries(value as Record<string, Body[]>)) {
        for (const dyn of dyns) {
          for (const content of blocks(dyn, 'content')) {
            visitBlocks(content, visit, { ...iterators, [label]: dyn.for_each });
          }
        }
      }
    } else if (Array.isArray(value)) {
      for (const item of value)
        if (item && typeof item === 'object') visitBlocks(item as Body, visit, iterators);
    }
  }
}

function searchStrings(model: TfModel, r: TfResource, onUnresolved: (why: string) => void): string[] {
  const out: string[] = [];
  visitBlocks(r.body, ({ node, iterators }) => {
    for (const bm of blocks(node, 'byte_match_statement')) {
      const s = bm.search_string;
      const iter = typeof s === 'string' ? /^\$\{([A-Za-z0-9_]+)\.value\}$/.exec(s) : null;
      if (iter && iter[1] in iterators) {
        for (const list of values(model, r.module, iterators[iter[1]], onUnresolved)) {
          if (Array.isArray(list)) out.push(...list.map(String));
        }
      } else if (typeof s === 'string') out.push(s);
    }
  });
  return out;
}

export const wafPolicy: Policy = (model) => {
  const f = new Findings();
  const acls = requireSome(f, model, 'aws_wafv2_web_acl');
  const associations = allResources(model, 'aws_wafv2_web_acl_association');
  for (const acl of acls) {
    const text = JSON.stringify(acl.body);
    if (!text.includes('managed_rule_group_statement')) f.add(where(acl), 'no AWS managed rule group');
    if (!text.includes('rate_based_statement')) f.add(where(acl), 'no rate-based rule');
    if (!text.includes('ip_set_reference_statement')) f.add(where(acl), 'no IP-set rule (operators VPN)');
    const paths = searchStrings(model, acl, (why) =>
      f.add(where(acl), `path rule cannot be verified: ${why}`),
    );
    if (!paths.includes('/admin')) f.add(where(acl), 'no rule restricting /admin to the operators VPN');

    const assoc = associations.filter(
      (a) =>
        a.module === acl.module &&
        String(a.body.web_acl_arn).includes(`aws_wafv2_web_acl.${acl.name}.arn`) &&
        /aws_lb\.[A-Za-z0-9_-]+\.arn/.test(String(a.body.resource_arn)),
    );
    if (assoc.length === 0) f.add(where(acl), 'is not associated with the ALB');
    const logged = allResources(model, 'aws_wafv2_web_acl_logging_configuration').some(
      (l) =>
        l.module === acl.module && String(l.body.resource_arn).includes(`aws_wafv2_web_acl.${acl.name}.arn`),
    );
    if (!logged) f.add(where(acl), 'has no logging configuration');
  }
  return f.list;
};

// ── ALB listeners ──────────────────────────────────────────────────────────────────────────────
const MODERN_TLS = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const listenerPolicy: Policy = (model) => {
  const f = new Findings();
  for (const lb of requireSome(f, model, 'aws_lb')) {
    const listeners = allResources(model, 'aws_lb_listener').filter(
      (l) => l.module === lb.module && String(l.body.load_balancer_arn).includes(`aws_lb.${lb.name}.arn`),
    );
    if (!listeners.some((l) => l.body.protocol === 'HTTPS')) f.add(where(lb), 'has no HTTPS listener');
    if (!listeners.some((l) => l.body.protocol === 'HTTP'))
      f.add(where(lb), 'has no HTTP→HTTPS redirect listener');
  }
  for (const l of allResources(model, 'aws_lb_listener')) {
    if (l.body.protocol === 'HTTPS') {
      each(
        f,
        model,
        l,
        l.body,
        'ssl_policy',
        (v) => typeof v === 'string' && MODERN_TLS.test(v),
        'a TLS 1.2+ policy',
      );
    } else if (l.body.protocol === 'HTTP') {
      const action = block(l.body, 'default_action');
      const redirect = block(action, 'redirect');
      if (action?.type !== 'redirect' || redirect?.protocol !== 'HTTPS') {
        f.add(where(l), 'an HTTP listener must only redirect to HTTPS');
      }
    } else {
      f.add(where(l), `unexpected listener protocol ${JSON.stringify(l.body.protocol)}`);
    }
  }
  return f.list;
};

// ── AWS Backup ─────────────────────────────────────────────────────────────────────────────────
export const backupPolicy: Policy = (model) => {
  const f = new Findings();
  for (const plan of requireSome(f, model, 'aws_backup_plan')) {
    const rules = blocks(plan.body, 'rule');
    if (rules.length === 0) f.add(where(plan), 'has no rule');
    for (const rule of rules) {
      if (!rule.schedule) f.add(where(plan), 'rule has no schedule');
      each(f, model, plan, block(rule, 'lifecycle'), 'delete_after', atLeast(30), '>= 30 days');
      const copy = block(rule, 'copy_action');
      if (!copy) {
        f.add(where(plan), 'rule has no copy_action (cross-region copy)');
        continue;
      }
      each(f, model, plan, block(copy, 'lifecycle'), 'delete_after', atLeast(30), '>= 30 days in the copy');
      const vaultRef = /aws_backup_vault\.([A-Za-z0-9_-]+)\.arn/.exec(String(copy.destination_vault_arn));
      const vault = vaultRef
        ? model.modules[plan.module].resources.find(
            (x) => x.type === 'aws_backup_vault' && x.name === vaultRef[1],
          )
        : undefined;
      if (!vault || vault.body.provider !== '${aws.dr}') {
        f.add(where(plan), 'copy_action must target a vault created with the DR-region provider (aws.dr)');
      }
    }
    const selected = allResources(model, 'aws_backup_selection').some(
      (s) => s.module === plan.module && String(s.body.plan_id).includes(`aws_backup_plan.${plan.name}.id`),
    );
    if (!selected) f.add(where(plan), 'selects no resources (aws_backup_selection)');
  }

  // Each root's DR provider must point at another region than its primary provider, in every
  // configuration (terraform.tfvars, and each failover tfvars layered on it).
  for (const root of envRoots(model)) {
    const aws = root.providers.aws ?? [];
    const primary = aws.find((p) => p.alias === undefined);
    const dr = aws.find((p) => p.alias === 'dr');
    if (primary?.region !== '${var.region}' || dr?.region !== '${var.dr_region}') {
      f.add(root.dir, 'needs provider aws { region = var.region } and aws.dr { region = var.dr_region }');
      continue;
    }
    const configs =
      Object.keys(root.tfvars).length > 0 ? Object.keys(root.tfvars) : [`${root.dir}/terraform.tfvars`];
    for (const file of configs) {
      const region = effectiveRootValue(root, file, 'region');
      const drRegion = effectiveRootValue(root, file, 'dr_region');
      if (typeof region !== 'string' || region === drRegion) {
        f.add(
          file,
          `dr_region ${JSON.stringify(drRegion)} must be another region than ${JSON.stringify(region)}`,
        );
      }
    }
    if (root.tfvars[`${root.dir}/terraform.tfvars`]?.backup_enabled === false) {
      f.add(root.dir, 'backup_enabled = false in terraform.tfvars');
    }
  }
  return f.list;
};

// ── Network ────────────────────────────────────────────────────────────────────────────────────
const REQUIRED_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'secretsmanager', 'logs'];

export const networkPolicy: Policy = (model) => {
  const f = new Findings();
  for (const root of envRoots(model)) {
    const net = root.moduleCalls.find((c) =>
      model.modules[c.source]?.resources.some((r) => r.type === 'aws_vpc'),
    );
    if (!net) {
      f.add(root.dir, 'has no VPC module');
      continue;
    }
    const onUnresolved = (why: string): void =>
      f.add(root.dir, `availability_zones cannot be verified: ${why}`);
    for (const azs of values(model, root.dir, net.args.availability_zones, onUnresolved)) {
      if (!Array.isArray(azs) || azs.length < 2)
        f.add(root.dir, `availability_zones ${JSON.stringify(azs)}: need >= 2`);
    }
  }
  for (const ep of allResources(model, 'aws_vpc_endpoint')) {
    if (ep.body.vpc_endpoint_type !== 'Interface') continue;
    const services = values(model, ep.module, ep.body.for_each, (why) => f.add(where(ep), why));
    for (const list of services) {
      const have = new Set(Array.isArray(list) ? list : []);
      for (const s of REQUIRED_ENDPOINTS)
        if (!have.has(s)) f.add(where(ep), `missing interface endpoint ${s}`);
    }
  }
  if (!allResources(model, 'aws_vpc_endpoint').some((e) => e.body.vpc_endpoint_type === 'Gateway')) {
    f.add('terraform/', 'no S3 gateway endpoint');
  }
  const nats = allResources(model, 'aws_nat_gateway');
  if (nats.length === 0 || nats.some((n) => n.body.count === undefined)) {
    f.add('terraform/', 'expected one NAT gateway per AZ (aws_nat_gateway with count)');
  }
  return f.list;
};

// ── IAM ────────────────────────────────────────────────────────────────────────────────────────
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export const iamPolicy: Policy = (model) => {
  const f = new Findings();
  for (const doc of allData(model, 'aws_iam_policy_document')) {
    for (const st of blocks(doc.body, 'statement')) {
      if (st.effect === 'Deny') continue;
      const actions = asList(st.actions).map(String);
      const resources = asList(st.resources).map(String);
      const isKeyPolicy = doc.module.endsWith('/kms') || blocks(st, 'principals').length > 0;
      if (actions.includes('*') || actions.includes('iam:*'))
        f.add(where(doc), `statement ${String(st.sid)} allows every action`);
      if (!isKeyPolicy && actions.some((a) => a.endsWith(':*'))) {
        f.add(where(doc), `statement ${String(st.sid)} allows a whole service (${actions.join(', ')})`);
      }
      const secretRead = actions.some((a) => a.startsWith('secretsmanager:'));
      if (secretRead && resources.includes('*')) {
        f.add(where(doc), `statement ${String(st.sid)} reads every secret: list the role's own secrets`);
      }
      const decrypt = actions.includes('kms:Decrypt') && !isKeyPolicy;
      if (decrypt && resources.includes('*'))
        f.add(where(doc), `statement ${String(st.sid)} decrypts with every key`);
    }
  }
  return f.list;
};

// ── Variables ──────────────────────────────────────────────────────────────────────────────────
export const variableDescriptionPolicy: Policy = (model) => {
  const f = new Findings();
  for (const mod of Object.values(model.modules)) {
    for (const v of Object.values(mod.variables)) {
      const d = v.body.description;
      if (typeof d !== 'string' || d.trim().length < 10) f.add(where(v), 'variable needs a description');
    }
  }
  return f.list;
};

// ── Alarms ─────────────────────────────────────────────────────────────────────────────────────
const REQUIRED_ALARM_METRICS = [
  'HTTPCode_Target_5XX_Count',
  'TargetResponseTime',
  'CircuitBreakerOpen',
  'QueueOldestWaitingAgeSeconds',
  'CPUUtilization',
  'FreeStorageSpace',
  'DatabaseMemoryUsagePercentage',
];

export const alarmPolicy: Policy = (model) => {
  const f = new Findings();
  const alarms = requireSome(f, model, 'aws_cloudwatch_metric_alarm');
  const text = JSON.stringify(alarms.map((a) => a.body));
  for (const m of REQUIRED_ALARM_METRICS) {
    if (!text.includes(`"${m}"`)) f.add('terraform/', `no alarm on ${m}`);
  }
  for (const a of alarms) if (!isSet(a.body.alarm_actions)) f.add(where(a), 'alarm notifies nobody');
  const p90 = alarms.find((a) => a.body.metric_name === 'TargetResponseTime');
  if (p90 && p90.body.extended_statistic !== 'p90') f.add(where(p90), 'latency alarm must use p90');
  if (allResources(model, 'aws_cloudwatch_dashboard').length === 0)
    f.add('terraform/', 'no CloudWatch dashboard');
  if (allResources(model, 'aws_budgets_budget').length === 0) f.add('terraform/', 'no AWS Budgets budget');
  return f.list;
};

export const policies: Record<string, Policy> = {
  rds: rdsPolicy,
  'log retention': logRetentionPolicy,
  ecs: ecsPolicy,
  redis: redisPolicy,
  'security groups': securityGroupPolicy,
  waf: wafPolicy,
  'alb listeners': listenerPolicy,
  backup: backupPolicy,
  network: networkPolicy,
  iam: iamPolicy,
  'variable descriptions': variableDescriptionPolicy,
  alarms: alarmPolicy,
};
