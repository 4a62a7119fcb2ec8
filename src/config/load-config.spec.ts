import { ConfigError, loadConfig } from './load-config';

import { randomBytes } from 'node:crypto';
import { testSecrets } from '../../test/support/test-secrets';

const base = {
  ...testSecrets(),
  OIDC_ALLOW_INSECURE_HTTP: 'false',
  DATABASE_URL: 'postgres://u@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
};

describe('loadConfig', () => {
  it('applies defaults per environment', () => {
    const dev = loadConfig({ ...base });
    expect(dev.app).toMatchObject({ env: 'development', role: 'all', port: 3000, logLevel: 'debug' });
    expect(dev.database.migrateOnStart).toBe(true);
    const prod = loadConfig({ ...base, NODE_ENV: 'production' });
    expect(prod.app).toMatchObject({ role: 'api', logLevel: 'info' });
    expect(prod.database.migrateOnStart).toBe(false);
  });

  it('names every missing or bad variable and never echoes a value', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'not-a-port', APP_ROLE: 'boss', REDIS_URL: 'http://secret-host-value' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('DATABASE_URL is required');
    expect(message).toMatch(/PORT: /);
    expect(message).toMatch(/APP_ROLE: /);
    expect(message).toMatch(/REDIS_URL: /);
    expect(message).not.toContain('secret-host-value');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...base, APP_ROLE: '', PORT: '' }).app).toMatchObject({ role: 'all', port: 3000 });
  });

  it('parses encryption keys and refuses an active key id that is not among them', () => {
    const k2 = randomBytes(32).toString('base64');
    const cfg = loadConfig({
      ...base,
      TOKEN_ENCRYPTION_KEYS: `k1:${k2},k2:${k2}`,
      TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'k2',
    });
    expect([...cfg.tokenEncryption.keys.keys()]).toEqual(['k1', 'k2']);
    expect(() => loadConfig({ ...base, TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'nope' })).toThrow(
      /TOKEN_ENCRYPTION_ACTIVE_KEY_ID/,
    );
    expect(() => loadConfig({ ...base, TOKEN_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /TOKEN_ENCRYPTION_KEYS/,
    );
  });

  it('refuses a public or malformed client key and insecure http in production', () => {
    expect(() => loadConfig({ ...base, OIDC_CLIENT_PRIVATE_JWK: '{"kty":"EC","crv":"P-256"}' })).toThrow(
      /OIDC_CLIENT_PRIVATE_JWK/,
    );
    expect(() => loadConfig({ ...base, OIDC_CLIENT_PRIVATE_JWK: 'not json' })).toThrow(
      /OIDC_CLIENT_PRIVATE_JWK/,
    );
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', OIDC_ALLOW_INSECURE_HTTP: 'true' })).toThrow(
      /OIDC_ALLOW_INSECURE_HTTP/,
    );
  });

  it('accepts the worker role and an explicit log level', () => {
    expect(loadConfig({ ...base, APP_ROLE: 'worker', LOG_LEVEL: 'warn' }).app).toMatchObject({
      role: 'worker',
      logLevel: 'warn',
    });
  });
});
