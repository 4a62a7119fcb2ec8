import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraform, TERRAFORM_ROOT, type TfModel } from './hcl-model.js';

/**
 * The documents name terraform resources, secrets and variables; these tests keep them true when
 * terraform changes (a renamed resource fails here, not during an incident).
 */

let model: TfModel;
const read = (path: string): string => readFileSync(join(TERRAFORM_ROOT, '..', path), 'utf8');

beforeAll(async () => {
  model = await loadTerraform();
});

it('terraform/README.md documents every variable', () => {
  const readme = read('terraform/README.md');
  const missing: string[] = [];
  for (const mod of Object.values(model.modules)) {
    const dir = mod.dir === 'envs/staging' ? 'envs/prod' : mod.dir;
    const start = readme.indexOf(`### \`${dir}\``);
    const end = readme.indexOf('\n### ', start + 1);
    const table = start < 0 ? '' : readme.slice(start, end < 0 ? undefined : end);
    for (const name of Object.keys(mod.variables)) {
      if (!table.includes(`| \`${name}\` |`)) missing.push(`${mod.dir}: ${name}`);
    }
  }
  expect(missing).toEqual([]);
});

describe('docs/runbook.md', () => {
  let runbook: string;
  beforeAll(() => {
    runbook = read('docs/runbook.md');
  });

  it('names only terraform resources that exist', () => {
    const prod = model.modules['envs/prod'];
    const missing: string[] = [];
    const refs = runbook.matchAll(/module\.([a-z_]+)(?:\[0\])?\.((?:aws|random)_[a-z0-9_]+)\.([a-z0-9_]+)/g);
    let count = 0;
    for (const [text, moduleName, type, name] of refs) {
      count++;
      const call = prod.moduleCalls.find((c) => c.name === moduleName);
      const found =
        call && model.modules[call.source]?.resources.some((r) => r.type === type && r.name === name);
      if (!found) missing.push(text);
    }
    expect(missing).toEqual([]);
    expect(count).toBeGreaterThan(20);
  });

  it('names only secrets that terraform creates', () => {
    const catalogue = model.modules['modules/secrets'].locals.operator_secrets as Record<string, unknown>;
    const known = new Set([...Object.keys(catalogue), 'database-url', 'database-app-logins', 'redis-url']);
    const named = [...runbook.matchAll(/myna-bff\/prod\/([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(named.filter((k) => !known.has(k))).toEqual([]);
    for (const key of known) expect(named).toContain(key);
  });

  it('names only tfvars variables that exist', () => {
    const vars = model.modules['envs/prod'].variables;
    for (const name of [
      'db_app_logins',
      'db_active_app_login',
      'db_identifier',
      'db_restore_from',
      'redis_auth_token_generation',
      'image_tag',
      'backup_enabled',
    ]) {
      expect(runbook).toContain(name);
      expect(vars[name]).toBeDefined();
    }
  });
});
