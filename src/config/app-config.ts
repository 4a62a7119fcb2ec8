import type { Env } from './config.schema.js';

export type AppRole = 'api' | 'worker' | 'all';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The typed configuration the rest of the code reads (through ConfigService or AppConfigService). */
export interface AppConfig {
  app: {
    env: Env['NODE_ENV'];
    role: AppRole;
    host: string;
    port: number;
    logLevel: LogLevel;
    shutdownTimeoutMs: number;
    trustProxy: boolean;
    publicBaseUrl: string;
  };
  database: {
    url: string;
    poolMax: number;
    ssl: boolean;
    migrateOnStart: boolean;
  };
  redis: {
    url: string;
    keyPrefix: string;
  };
}

const defaultLogLevel: Record<Env['NODE_ENV'], LogLevel> = {
  development: 'debug',
  test: 'warn',
  production: 'info',
};

export function toAppConfig(env: Env): AppConfig {
  return {
    app: {
      env: env.NODE_ENV,
      role: env.APP_ROLE ?? (env.NODE_ENV === 'production' ? 'api' : 'all'),
      host: env.HOST,
      port: env.PORT,
      logLevel: env.LOG_LEVEL ?? defaultLogLevel[env.NODE_ENV],
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      trustProxy: env.TRUST_PROXY,
      publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, ''),
    },
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      ssl: env.DATABASE_SSL,
      migrateOnStart: env.DATABASE_MIGRATE_ON_START ?? env.NODE_ENV === 'development',
    },
    redis: {
      url: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
    },
  };
}
