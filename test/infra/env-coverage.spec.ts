import { envSchema } from '../../src/config/config.schema.js';
import { cloneModel, loadTerraform, type Body, type TfModel } from './hcl-model.js';
import {
  APP_MODULE,
  coverageProblems,
  missingAppSettings,
  roleEnvironments,
  unknownSecretKeys,
  type SchemaVariable,
} from './env-coverage.js';

/**
 * Every variable of the app's config schema must reach the production tasks, as plain environment
 * or as a secret (terraform/modules/app/env.tf), except the dev/test-only ones listed here.
 */

/**
 * Dev/test-only variables: never set in production. Adding a name here needs a reason, and the
 * test then also checks that terraform does NOT set it.
 */
const DEV_TEST_ONLY = new Set<string>([
  // Lets openid-client talk to an http:// issuer (the local simulator). Production issuers are https.
  'OIDC_ALLOW_INSECURE_HTTP',
  // The FCM simulator (local stack, tests); production sends to the real FCM.
  'FCM_SIMULATOR_URL',
  'FCM_SIMULATOR_CA',
]);

function schemaVariables(): SchemaVariable[] {
  return Object.entries(envSchema.shape).map(([name, type]) => ({
    name,
    required: !type.safeParse(undefined).success,
  }));
}

let model: TfModel;

beforeAll(async () => {
  model = await loadTerraform();
});

describe('config schema ⊆ ECS task definitions', () => {
  it('every schema variable reaches the tasks (required ones: every role)', () => {
    const problems = coverageProblems(schemaVariables(), roleEnvironments(model), DEV_TEST_ONLY);
    expect(problems).toEqual([]);
  });

  it('every secret env.tf refers to is created by terraform and passed to the app module', () => {
    expect(unknownSecretKeys(model, roleEnvironments(model))).toEqual([]);
  });

  it("every per-environment setting env.tf reads is set in each environment's terraform.tfvars", () => {
    expect(missingAppSettings(model)).toEqual([]);
  });

  it('the dev/test-only allow-list names real schema variables', () => {
    const names = new Set(Object.keys(envSchema.shape));
    expect([...DEV_TEST_ONLY].filter((n) => !names.has(n))).toEqual([]);
  });

  it('the task definitions take their environment and secrets from env.tf', () => {
    const locals = model.modules[APP_MODULE].locals;
    expect(String(locals.role_environment)).toMatch(/local\.environment\.common, local\.environment\[role\]/);
    expect(String(locals.role_secrets)).toMatch(/local\.secrets\.common, local\.secrets\[role\]/);
    const task = model.modules[APP_MODULE].resources.find((r) => r.type === 'aws_ecs_task_definition');
    expect(String(task?.body.container_definitions)).toMatch(/local\.role_environment\[each\.value\.role\]/);
    expect(String(task?.body.container_definitions)).toMatch(/local\.role_secrets\[each\.value\.role\]/);
  });

  it('reads the schema the app boots with (sanity: the known variables are there)', () => {
    const required = schemaVariables()
      .filter((v) => v.required)
      .map((v) => v.name);
    expect(required).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL']));
    expect(required).not.toContain('PORT');
  });
});

describe('the coverage check fails when it should', () => {
  const section = (m: TfModel, group: 'environment' | 'secrets', name: string): Body =>
    (m.modules[APP_MODULE].locals[group] as Record<string, Body>)[name];

  it('a schema variable missing from terraform', () => {
    const schema = [...schemaVariables(), { name: 'NEW_SETTING_MS', required: false }];
    expect(coverageProblems(schema, roleEnvironments(model), DEV_TEST_ONLY)).toEqual([
      'NEW_SETTING_MS is in the config schema but in no task definition (terraform/modules/app/env.tf)',
    ]);
  });

  it('a required secret removed from env.tf', () => {
    const copy = cloneModel(model);
    delete section(copy, 'secrets', 'common').DATABASE_URL;
    expect(coverageProblems(schemaVariables(), roleEnvironments(copy), DEV_TEST_ONLY)).toContain(
      'DATABASE_URL is in the config schema but in no task definition (terraform/modules/app/env.tf)',
    );
  });

  it('a required variable given to the api role only', () => {
    const copy = cloneModel(model);
    const value = section(copy, 'secrets', 'common').REDIS_URL;
    delete section(copy, 'secrets', 'common').REDIS_URL;
    section(copy, 'secrets', 'api').REDIS_URL = value;
    expect(coverageProblems(schemaVariables(), roleEnvironments(copy), DEV_TEST_ONLY)).toEqual([
      'REDIS_URL is required by the config schema but missing for the worker role: its tasks would not boot',
    ]);
  });

  it('a dev/test-only variable set in production', () => {
    const copy = cloneModel(model);
    section(copy, 'environment', 'common').OIDC_ALLOW_INSECURE_HTTP = 'true';
    expect(coverageProblems(schemaVariables(), roleEnvironments(copy), DEV_TEST_ONLY)).toContain(
      'OIDC_ALLOW_INSECURE_HTTP is dev/test-only but is set for api, worker',
    );
  });

  it('a per-environment setting missing from a tfvars', () => {
    const copy = cloneModel(model);
    const settings = copy.modules['envs/staging'].tfvars['envs/staging/terraform.tfvars']
      .app_settings as Body;
    delete settings.OIDC_ISSUER;
    expect(missingAppSettings(copy)).toEqual([
      'envs/staging/terraform.tfvars: app_settings.OIDC_ISSUER is missing',
    ]);
  });

  it('a secret key that no module creates', () => {
    const copy = cloneModel(model);
    section(copy, 'secrets', 'worker').FCM_SERVICE_ACCOUNT_JSON = 'fcm-key-typo';
    expect(unknownSecretKeys(copy, roleEnvironments(copy))).toEqual([
      'FCM_SERVICE_ACCOUNT_JSON (worker) uses secret key "fcm-key-typo", which no module creates',
    ]);
  });
});
