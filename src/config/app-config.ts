import { hkdfSync, type JsonWebKey } from 'node:crypto';
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
  oidc: {
    issuer: string;
    clientId: string;
    clientPrivateJwk: JsonWebKey & { kid?: string; alg?: string };
    redirectUri: string;
    scopes: string;
    timeoutMs: number;
    defaultRefreshTtlSeconds: number;
    allowInsecureHttp: boolean;
  };
  tokenEncryption: {
    keys: Map<string, Buffer>;
    activeKeyId: string;
  };
  rateLimits: {
    linkPerIp: number;
    linkPerDevice: number;
  };
  dpop: {
    /** Nonce keys by key id; the first entry signs. */
    nonceKeys: Map<string, Buffer>;
    activeNonceKeyId: string;
  };
  session: {
    maxLifetimeSeconds: number;
  };
  mynaportal: {
    baseUrl: string;
    /** Origin (scheme://host[:port]) of Mynaportal web: SSO login URLs must be on it. */
    webOrigin: string;
    timeoutMs: number;
    maxRetries: number;
    ssoReturnToPrefixes: string[];
  };
  cloudwatch: {
    namespace: string;
    /** 0: off. */
    emfIntervalMs: number;
  };
  upstreams: {
    breaker: {
      errorThresholdPercentage: number;
      volumeThreshold: number;
      resetTimeoutMs: number;
      rollingWindowMs: number;
    };
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
    oidc: {
      issuer: env.OIDC_ISSUER.replace(/\/$/, ''),
      clientId: env.OIDC_CLIENT_ID,
      clientPrivateJwk: parsePrivateJwk(env.OIDC_CLIENT_PRIVATE_JWK),
      redirectUri: env.OIDC_REDIRECT_URI,
      scopes: env.OIDC_SCOPES,
      timeoutMs: env.OIDC_TIMEOUT_MS,
      defaultRefreshTtlSeconds: env.OIDC_DEFAULT_REFRESH_TTL_SECONDS,
      allowInsecureHttp: env.OIDC_ALLOW_INSECURE_HTTP,
    },
    tokenEncryption: parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS, env.TOKEN_ENCRYPTION_ACTIVE_KEY_ID),
    rateLimits: {
      linkPerIp: env.LINK_RATE_LIMIT_PER_IP,
      linkPerDevice: env.LINK_RATE_LIMIT_PER_DEVICE,
    },
    dpop: parseNonceKeys(env),
    session: { maxLifetimeSeconds: env.SESSION_MAX_LIFETIME_DAYS * 86_400 },
    mynaportal: {
      baseUrl: env.MYNAPORTAL_BASE_URL.replace(/\/$/, ''),
      webOrigin: new URL(env.MYNAPORTAL_WEB_ORIGIN ?? env.MYNAPORTAL_BASE_URL).origin,
      timeoutMs: env.MYNAPORTAL_TIMEOUT_MS,
      maxRetries: env.MYNAPORTAL_MAX_RETRIES,
      ssoReturnToPrefixes: env.SSO_RETURN_TO_PREFIXES.split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    },
    cloudwatch: {
      namespace: env.CLOUDWATCH_METRICS_NAMESPACE,
      emfIntervalMs: env.CLOUDWATCH_EMF_INTERVAL_MS ?? (env.NODE_ENV === 'production' ? 60_000 : 0),
    },
    upstreams: {
      breaker: {
        errorThresholdPercentage: env.UPSTREAM_BREAKER_ERROR_THRESHOLD_PERCENT,
        volumeThreshold: env.UPSTREAM_BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: env.UPSTREAM_BREAKER_RESET_MS,
        rollingWindowMs: env.UPSTREAM_BREAKER_WINDOW_MS,
      },
    },
  };
}

/** Thrown for a setting that parses but is not usable; load-config reports it with the variable's name. */
export class SettingError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

function parsePrivateJwk(json: string): AppConfig['oidc']['clientPrivateJwk'] {
  let jwk: unknown;
  try {
    jwk = JSON.parse(json);
  } catch {
    throw new SettingError('OIDC_CLIENT_PRIVATE_JWK', 'is not valid JSON');
  }
  const k = jwk as Record<string, unknown>;
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    k.kty !== 'EC' ||
    k.crv !== 'P-256' ||
    typeof k.d !== 'string'
  ) {
    throw new SettingError('OIDC_CLIENT_PRIVATE_JWK', 'must be a private EC P-256 JWK (ES256)');
  }
  return k;
}

function parseEncryptionKeys(list: string, activeKeyId: string): AppConfig['tokenEncryption'] {
  const keys = new Map<string, Buffer>();
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const kid = entry.slice(0, sep);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (sep <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(kid) || key.length !== 32) {
      throw new SettingError('TOKEN_ENCRYPTION_KEYS', 'each entry must be kid:base64 of 32 random bytes');
    }
    keys.set(kid, key);
  }
  if (!keys.has(activeKeyId)) {
    throw new SettingError('TOKEN_ENCRYPTION_ACTIVE_KEY_ID', 'must name one of TOKEN_ENCRYPTION_KEYS');
  }
  return { keys, activeKeyId };
}

function parseNonceKeys(env: Env): AppConfig['dpop'] {
  if (!env.DPOP_NONCE_KEYS) {
    const token = parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS, env.TOKEN_ENCRYPTION_ACTIVE_KEY_ID);
    const kid = `t${token.activeKeyId}`.slice(0, 32);
    const key = Buffer.from(
      hkdfSync('sha256', token.keys.get(token.activeKeyId)!, '', 'myna-bff dpop nonce', 32),
    );
    return { nonceKeys: new Map([[kid, key]]), activeNonceKeyId: kid };
  }
  const nonceKeys = new Map<string, Buffer>();
  for (const entry of env.DPOP_NONCE_KEYS.split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.indexOf(':');
    const kid = entry.slice(0, sep);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (sep <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(kid) || key.length < 32) {
      throw new SettingError('DPOP_NONCE_KEYS', 'each entry must be kid:base64 of at least 32 random bytes');
    }
    nonceKeys.set(kid, key);
  }
  if (nonceKeys.size === 0) throw new SettingError('DPOP_NONCE_KEYS', 'must hold at least one key');
  return { nonceKeys, activeNonceKeyId: nonceKeys.keys().next().value! };
}
