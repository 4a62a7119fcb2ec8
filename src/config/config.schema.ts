import { z } from 'zod';

/**
 * Every environment variable the service reads, validated once at boot.
 * `process.env` is read nowhere else (see load-config.ts).
 * Keep README.md's configuration table and terraform's task definitions in step with this list:
 * test/infra/env-coverage.int-spec.ts compares them.
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
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25000),
  TRUST_PROXY: bool.default(false),

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
});

export type Env = z.infer<typeof envSchema>;
