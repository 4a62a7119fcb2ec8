import type { Body, TfModel } from './hcl-model.js';

/**
 * What the ECS task definitions give the app, read from terraform/modules/app/env.tf:
 * `local.environment.<section>` (plain) and `local.secrets.<section>` (secret key per variable),
 * sections `common`, `api`, `worker`. A role receives common + its own section.
 */

export const ROLES = ['api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleEnv {
  plain: Set<string>;
  secret: Map<string, string>;
}

export const APP_MODULE = 'modules/app';

function section(locals: Body, group: 'environment' | 'secrets', name: string): Body {
  const groupBody = locals[group];
  if (groupBody === null || typeof groupBody !== 'object')
    throw new Error(`env.tf: local.${group} is not a map`);
  const value = (groupBody as Body)[name];
  if (value === null || typeof value !== 'object')
    throw new Error(`env.tf: local.${group}.${name} is not a map`);
  return value as Body;
}

export function roleEnvironments(model: TfModel): Record<Role, RoleEnv> {
  const locals = model.modules[APP_MODULE]?.locals ?? {};
  const out = {} as Record<Role, RoleEnv>;
  for (const role of ROLES) {
    const plain = new Set([
      ...Object.keys(section(locals, 'environment', 'common')),
      ...Object.keys(section(locals, 'environment', role)),
    ]);
    const secret = new Map<string, string>();
    for (const part of ['common', role]) {
      for (const [name, key] of Object.entries(section(locals, 'secrets', part)))
        secret.set(name, String(key));
    }
    out[role] = { plain, secret };
  }
  return out;
}

export interface SchemaVariable {
  name: string;
  /** True when the schema has neither a default nor .optional(): the process will not boot without it. */
  required: boolean;
}

/**
 * Compares the config schema with the task definitions. Every schema variable, except the
 * dev/test-only ones, must reach at least one role; a required one must reach every role (both
 * roles boot through the same schema). Dev/test-only variables must reach none.
 */
export function coverageProblems(
  schema: SchemaVariable[],
  envs: Record<Role, RoleEnv>,
  devTestOnly: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const has = (role: Role, name: string): boolean =>
    envs[role].plain.has(name) || envs[role].secret.has(name);

  for (const v of schema) {
    const roles = ROLES.filter((r) => has(r, v.name));
    if (devTestOnly.has(v.name)) {
      if (roles.length > 0) problems.push(`${v.name} is dev/test-only but is set for ${roles.join(', ')}`);
      continue;
    }
    if (roles.length === 0) {
      problems.push(
        `${v.name} is in the config schema but in no task definition (terraform/modules/app/env.tf)`,
      );
    } else if (v.required) {
      for (const r of ROLES.filter((x) => !roles.includes(x))) {
        problems.push(
          `${v.name} is required by the config schema but missing for the ${r} role: its tasks would not boot`,
        );
      }
    }
  }
  for (const role of ROLES) {
    for (const name of envs[role].plain) {
      if (envs[role].secret.has(name)) problems.push(`${name} is both plain and secret for the ${role} role`);
    }
  }
  return problems;
}

/** Secret keys used by env.tf must be secrets that terraform creates and passes to the app module. */
export function unknownSecretKeys(model: TfModel, envs: Record<Role, RoleEnv>): string[] {
  const catalogue = model.modules['modules/secrets']?.locals.operator_secrets;
  const known = new Set(Object.keys(catalogue !== null && typeof catalogue === 'object' ? catalogue : {}));
  // database-url and redis-url are merged into secret_arns by each environment root.
  for (const root of Object.values(model.modules).filter((m) => m.dir.startsWith('envs/'))) {
    const call = root.moduleCalls.find((c) => c.source === APP_MODULE);
    const arg = JSON.stringify(call?.args.secret_arns ?? '');
    for (const m of arg.matchAll(/\\"([a-z0-9-]+)\\"\s*=/g)) known.add(m[1]);
  }
  const problems: string[] = [];
  for (const role of ROLES) {
    for (const [name, key] of envs[role].secret) {
      if (!known.has(key))
        problems.push(`${name} (${role}) uses secret key "${key}", which no module creates`);
    }
  }
  return problems;
}

/** Every `var.app_settings["NAME"]` env.tf reads must be set in each environment's terraform.tfvars. */
export function missingAppSettings(model: TfModel): string[] {
  const text = JSON.stringify(model.modules[APP_MODULE]?.locals.environment ?? {});
  const needed = [...text.matchAll(/var\.app_settings\[\\"([A-Z0-9_]+)\\"\]/g)].map((m) => m[1]);
  const problems: string[] = [];
  for (const root of Object.values(model.modules).filter((m) => m.dir.startsWith('envs/'))) {
    const tfvars = root.tfvars[`${root.dir}/terraform.tfvars`] ?? {};
    const settings = tfvars.app_settings;
    const have = new Set(Object.keys(settings !== null && typeof settings === 'object' ? settings : {}));
    for (const name of needed) {
      if (!have.has(name)) problems.push(`${root.dir}/terraform.tfvars: app_settings.${name} is missing`);
    }
  }
  if (needed.length === 0) problems.push('env.tf reads no app_settings at all (parsing changed?)');
  return problems;
}
