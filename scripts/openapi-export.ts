import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';
import { AppModule } from '../src/app.module.js';
import { NestPinoLogger } from '../src/common/logging/app-logger.js';
import { loadConfig } from '../src/config/load-config.js';
import { Metrics } from '../src/metrics/metrics.js';
import { buildOpenApiDocument } from '../src/swagger.js';

/**
 * Writes the OpenAPI document the API serves at /docs/openapi.json to a file, without PostgreSQL,
 * Redis or any upstream: Nest's preview mode builds the module graph (controllers, DTO metadata)
 * but instantiates no provider, so nothing connects. The settings below only satisfy the config
 * schema; no value of them reaches the document.
 *
 *   npm run openapi:export [-- out/file.json]   (default: dist-sim/openapi.json)
 */
async function main(out: string): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const config = loadConfig({
    NODE_ENV: 'development',
    APP_ROLE: 'api',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:9/openapi',
    REDIS_URL: 'redis://127.0.0.1:9',
    OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
    OIDC_CLIENT_ID: 'RP00000000',
    OIDC_CLIENT_PRIVATE_JWK: JSON.stringify(privateKey.export({ format: 'jwk' })),
    OIDC_REDIRECT_URI: 'https://app.example/callback',
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    TOKEN_ENCRYPTION_ACTIVE_KEY_ID: 'k1',
    MYNAPORTAL_BASE_URL: 'http://127.0.0.1:9',
  });
  const logger = pino({ level: 'silent' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger, metrics: new Metrics() }),
    new FastifyAdapter(),
    { preview: true, logger: new NestPinoLogger(logger), abortOnError: false },
  );
  const document = buildOpenApiDocument(app);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

main(process.argv[2] ?? 'dist-sim/openapi.json').catch((error: unknown) => {
  process.stderr.write(`openapi-export failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
