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
    /** pino-pretty output; honoured only when env is development (production logs stay JSON) */
    logPretty: boolean;
    shutdownTimeoutMs: number;
    /** Trusted proxy hops (X-Forwarded-For entries counted from the right); 0: none. */
    trustProxyHops: number;
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
  admin: {
    /** Operator name and the SHA-256 of one of that operator's tokens; several entries per operator allowed. */
    tokens: { operator: string; sha256: Buffer }[];
  };
  rateLimits: {
    linkPerIp: number;
    linkPerDevice: number;
    perIp: number;
    perSession: number;
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
  fcm: {
    projectId: string;
    serviceAccountJson?: string;
    simulatorUrl?: string;
    simulatorCa?: string;
    timeoutMs: number;
    rateLimitPerSecond: number;
  };
  push: {
    batchSize: number;
    sendQueueMaxWaiting: number;
    sendConcurrency: number;
    sendAttempts: number;
    webhookSecrets: string[];
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
      logPretty: env.LOG_PRETTY,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      trustProxyHops: env.TRUST_PROXY_HOPS,
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
    admin: { tokens: parseAdminTokens(env.ADMIN_TOKENS) },
    rateLimits: {
      linkPerIp: env.LINK_RATE_LIMIT_PER_IP,
      linkPerDevice: env.LINK_RATE_LIMIT_PER_DEVICE,
      perIp: env.RATE_LIMIT_PER_IP,
      perSession: env.RATE_LIMIT_PER_SESSION,
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
    fcm: {
      projectId: env.FCM_PROJECT_ID,
      serviceAccountJson: env.FCM_SERVICE_ACCOUNT_JSON,
      simulatorUrl: devOnly(env, 'FCM_SIMULATOR_URL', env.FCM_SIMULATOR_URL),
      simulatorCa: devOnly(env, 'FCM_SIMULATOR_CA', env.FCM_SIMULATOR_CA),
      timeoutMs: env.FCM_TIMEOUT_MS,
      rateLimitPerSecond: env.FCM_RATE_LIMIT_PER_SECOND,
    },
    push: {
      batchSize: env.PUSH_BATCH_SIZE,
      sendQueueMaxWaiting: env.PUSH_SEND_QUEUE_MAX_WAITING,
      sendConcurrency: env.PUSH_SEND_CONCURRENCY,
      sendAttempts: env.PUSH_SEND_ATTEMPTS,
      webhookSecrets: webhookSecrets(env),
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

function devOnly(env: Env, variable: string, value: string | undefined): string | undefined {
  if (value !== undefined && env.NODE_ENV === 'production')
    throw new SettingError(variable, 'is for development and tests only');
  return value;
}

function webhookSecrets(env: Env): string[] {
  const list = (env.WEBHOOK_SECRETS ?? (env.NODE_ENV === 'production' ? '' : 'dev-webhook-secret'))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // none in production (e.g. a worker task, which serves no routes): every webhook call is refused
  if (list.some((s) => s.length < 16))
    throw new SettingError('WEBHOOK_SECRETS', 'each secret must have at least 16 characters');
  return list;
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

function parseAdminTokens(list: string): AppConfig['admin']['tokens'] {
  const tokens: AppConfig['admin']['tokens'] = [];
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const sep = entry.lastIndexOf(':');
    const operator = entry.slice(0, sep);
    const hex = entry.slice(sep + 1);
    if (sep <= 0 || !/^[A-Za-z0-9._@-]{1,64}$/.test(operator) || !/^[0-9a-fA-F]{64}$/.test(hex)) {
      throw new SettingError('ADMIN_TOKENS', 'each entry must be operator:sha256hex of the token');
    }
    tokens.push({ operator, sha256: Buffer.from(hex, 'hex') });
  }
  return tokens;
}
