import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../src/config/config.schema';

describe('README configuration table', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

  it('lists every variable of the config schema, and nothing else', () => {
    const schema = Object.keys(envSchema.shape).sort();
    expect([...documented].sort()).toEqual(schema);
  });
});
