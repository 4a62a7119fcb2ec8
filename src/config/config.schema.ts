import { z } from 'zod';

/**
 * Every environment variable the service reads, validated once at boot.
 * `process.env` is read nowhere else (see load-config.ts).
 * Keep README.md's configuration table and terraform's task definitions in step with this list:
 * test/infra/env-coverage.spec.ts and readme-config.spec.ts compare them.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const url = z.url({ protocol: /^https?$/ });

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  APP_ROLE: z.enum(['api', 'worker', 'all']).optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Development only (`npm run dev` sets it): coloured one-line logs through pino-pretty, a devDependency. */
  LOG_PRETTY: bool.default(false),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25000),
  /**
   * Proxies in front of the app whose X-Forwarded-For entry is trusted, counted from the socket:
   * 1 behind the ALB (the client IP is the entry the ALB appended, never one the client wrote). 0: none.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),

  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_MAX: positiveInt.default(10),
  DATABASE_SSL: bool.default(false),
  DATABASE_MIGRATE_ON_START: bool.optional(),

  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('myna'),

  PUBLIC_BASE_URL: url.default('http://localhost:3000'),

  // Digital Authentication App (OpenID provider). The BFF is its confidential client.
  OIDC_ISSUER: url,
  OIDC_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  /** The client's private key for private_key_jwt, as a JSON JWK (EC P-256 / ES256). Secret. */
  OIDC_CLIENT_PRIVATE_JWK: z.string().min(2),
  OIDC_REDIRECT_URI: z.string().min(1).max(255),
  OIDC_SCOPES: z
    .string()
    .regex(/^openid( [a-z_]+)*$/)
    .default('openid'),
  OIDC_TIMEOUT_MS: positiveInt.max(2900).default(2000),
  OIDC_DEFAULT_REFRESH_TTL_SECONDS: positiveInt.default(2_592_000),
  /** Development and tests only: lets openid-client talk to an http:// issuer (the simulator). */
  OIDC_ALLOW_INSECURE_HTTP: bool.default(false),

  /** Token encryption keys, `kid:base64(32 bytes)` comma-separated; old keys stay to decrypt. Secret. */
  TOKEN_ENCRYPTION_KEYS: z.string().min(1),
  TOKEN_ENCRYPTION_ACTIVE_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),

  /**
   * Operator admin tokens, `operator:sha256hex(token)` comma-separated; an operator may have several
   * (rotation). Only the hashes are configured. Empty: every /admin request answers 401. Secret.
   */
  ADMIN_TOKENS: z.string().default(''),

  /** Requests per minute on POST /v1/link/start and /complete, per client IP and per device id. */
  LINK_RATE_LIMIT_PER_IP: positiveInt.default(60),
  LINK_RATE_LIMIT_PER_DEVICE: positiveInt.default(10),
  /** Requests per minute per client IP on public routes marked @RateLimit('ip'). */
  RATE_LIMIT_PER_IP: positiveInt.default(120),
  /** Requests per minute per app session on content and link routes (@RateLimit('session')). */
  RATE_LIMIT_PER_SESSION: positiveInt.default(120),

  /**
   * Keys of the stateless DPoP nonces (RFC 9449 §8), `kid:base64(32 bytes)` comma-separated; the
   * first signs new nonces, every one is accepted (rotation). Secret. Unset: derived from the
   * active TOKEN_ENCRYPTION_KEYS key (HKDF), which every task shares too.
   */
  DPOP_NONCE_KEYS: z.string().min(1).optional(),
  /** Absolute lifetime of an app session from its link, in days; then the person links again. */
  SESSION_MAX_LIFETIME_DAYS: positiveInt.max(3650).default(400),

  // Mynaportal backend (notices, todos, insurance, SSO).
  MYNAPORTAL_BASE_URL: url,
  MYNAPORTAL_TIMEOUT_MS: positiveInt.max(2900).default(1500),
  MYNAPORTAL_MAX_RETRIES: z.coerce.number().int().min(0).max(3).default(1),
  /** Path prefixes on the Mynaportal web that POST /v1/sso may return to, comma-separated. */
  SSO_RETURN_TO_PREFIXES: z.string().default('/'),
  /** The only origin an SSO login URL may point to (Mynaportal web). Default: MYNAPORTAL_BASE_URL's origin. */
  MYNAPORTAL_WEB_ORIGIN: url.optional(),

  // Circuit breakers around every upstream (opossum).
  UPSTREAM_BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  UPSTREAM_BREAKER_VOLUME_THRESHOLD: positiveInt.default(10),
  UPSTREAM_BREAKER_RESET_MS: positiveInt.default(10_000),
  UPSTREAM_BREAKER_WINDOW_MS: positiveInt.default(10_000),

  // Push (FCM HTTP v1 through firebase-admin) and the signed webhook from the Mynaportal backend.
  FCM_PROJECT_ID: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .default('myna-dev'),
  /** service-account JSON; absent: Application Default Credentials (the task role). Secret. */
  FCM_SERVICE_ACCOUNT_JSON: z.string().min(2).optional(),
  /** Development and tests only: https URL of the FCM simulator and the PEM (or path to it) of its certificate. */
  FCM_SIMULATOR_URL: z.url({ protocol: /^https$/ }).optional(),
  FCM_SIMULATOR_CA: z.string().min(1).optional(),
  /**
   * Outer deadline of one sendEach. firebase-admin bounds each request itself (15 s, up to 4 retries
   * on 503/reset), so this stays above that and a running sendEach is never abandoned.
   */
  FCM_TIMEOUT_MS: positiveInt.min(90_000).max(600_000).default(120_000),
  /** messages per second across all workers (BullMQ global limiter of the send queue); FCM's quota is 10,000 */
  FCM_RATE_LIMIT_PER_SECOND: positiveInt.max(10_000).default(6000),
  /** tokens per send job / sendEach (FCM's maximum is 500) */
  PUSH_BATCH_SIZE: positiveInt.max(500).default(500),
  /** the fan-out enqueues the next page only while the send queue holds fewer waiting jobs than this */
  PUSH_SEND_QUEUE_MAX_WAITING: positiveInt.default(40),
  /** concurrent send jobs per worker process */
  PUSH_SEND_CONCURRENCY: positiveInt.max(64).default(16),
  /** attempts of a send job against unexpected errors (FCM outages and throttling spend none); then its batch is unrecoverable */
  PUSH_SEND_ATTEMPTS: positiveInt.max(30).default(8),
  /** HMAC secrets of POST /v1/webhooks/push, comma-separated (several during rotation). Secret; dev default `dev-webhook-secret`. */
  WEBHOOK_SECRETS: z.string().min(1).optional(),

  /**
   * CloudWatch metrics as Embedded Metric Format log lines (no SDK, no API calls): breaker states
   * and queue depth/age for the alarms and worker autoscaling. Interval 0 turns it off.
   */
  CLOUDWATCH_METRICS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._/#:-]{1,255}$/)
    .default('MynaBff'),
  CLOUDWATCH_EMF_INTERVAL_MS: z.coerce.number().int().min(0).optional(),
});

export type Env = z.infer<typeof envSchema>;
