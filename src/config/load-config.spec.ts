import { ConfigError, loadConfig } from './load-config';

const base = { DATABASE_URL: 'postgres://u@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };

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

  it('accepts the worker role and an explicit log level', () => {
    expect(loadConfig({ ...base, APP_ROLE: 'worker', LOG_LEVEL: 'warn' }).app).toMatchObject({
      role: 'worker',
      logLevel: 'warn',
    });
  });
});
