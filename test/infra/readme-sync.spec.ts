import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraform, TERRAFORM_ROOT, type TfModel } from './hcl-model.js';

/** terraform/README.md's variable tables must list every variable of every module and root. */

let model: TfModel;
let readme: string;

beforeAll(async () => {
  model = await loadTerraform();
  readme = readFileSync(join(TERRAFORM_ROOT, 'README.md'), 'utf8');
});

it('terraform/README.md documents every variable', () => {
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
