import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../../src/config/config.schema';

/**
 * docker compose cannot run on these machines; this keeps docker-compose.yml honest by reading:
 * every service exists, app services set only variables the config schema knows and every one it
 * requires, roles are right, and commands point at files the build produces.
 */
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { environment?: Record<string, string>; command?: string[]; build?: { target: string } }
  >;
};
/** Written by the dev-keys service into /keys/dev.env and sourced by the entrypoint. */
const generatedSecrets = [
  'OIDC_CLIENT_PRIVATE_JWK',
  'TOKEN_ENCRYPTION_KEYS',
  'TOKEN_ENCRYPTION_ACTIVE_KEY_ID',
];
const schemaKeys = Object.keys(envSchema.shape);
const required = schemaKeys.filter(
  (key) =>
    !(envSchema.shape as Record<string, { safeParse: (v: unknown) => { success: boolean } }>)[key].safeParse(
      undefined,
    ).success,
);

describe('docker-compose.yml', () => {
  it('has the whole system', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'dev-keys',
        'fcm-sim',
        'migrate',
        'mynaportal-sim',
        'oidc-sim',
        'postgres',
        'redis',
        'worker',
      ].sort(),
    );
  });

  it.each(['api', 'worker', 'migrate'])('%s sets only known variables and every required one', (name) => {
    const env = compose.services[name].environment ?? {};
    const names = [...Object.keys(env), ...generatedSecrets];
    expect(Object.keys(env).filter((k) => !schemaKeys.includes(k))).toEqual([]);
    expect(required.filter((k) => !names.includes(k))).toEqual([]);
  });

  it('runs the api and worker roles on different ports', () => {
    expect(compose.services.api.environment).toMatchObject({ APP_ROLE: 'api', PORT: '3000' });
    expect(compose.services.worker.environment).toMatchObject({ APP_ROLE: 'worker', PORT: '3001' });
  });

  it('dev-keys writes exactly the secrets the app services expect', () => {
    const source = readFileSync(join(root, 'test/simulators/dev-keys.ts'), 'utf8');
    for (const key of [...generatedSecrets, 'SIM_OIDC_CLIENT_JWKS'])
      expect(source).toContain(`export ${key}=`);
  });

  it('commands point at entry points that exist in the source tree', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const entry = service.command?.find((part) => part.endsWith('.js'));
      if (!entry) continue;
      const source = entry.startsWith('dist-sim/')
        ? entry.replace(/^dist-sim\//, '').replace(/\.js$/, '.ts')
        : entry.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
      expect([name, existsSync(join(root, source))]).toEqual([name, true]);
    }
  });
});
