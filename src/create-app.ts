import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { LogController } from 'fastify';
import type { AppConfig } from './config/app-config.js';
import { AppModule } from './app.module.js';
import { createLogger } from './common/logging/create-logger.js';
import { NestPinoLogger } from './common/logging/app-logger.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';

import { registerHttpHooks } from './common/http/http-hooks.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { depthLimitedJsonParser, edgeErrorHandlers } from './common/http/fastify-edge.js';
import { requestIdFor } from './common/http/request-id.js';
import { Metrics } from './metrics/metrics.js';
import { setupSwagger } from './swagger.js';
import { WEBHOOK_BODY_LIMIT_BYTES } from './modules/push/index.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  /** A logger to use instead of stdout (tests capture log lines with it). */
  logger?: Logger;
  /** Extra modules to mount (tests mount probe controllers with it). */
  imports?: Type[];
}

/**
 * proxy-addr's trust function for a hop count: hop 0 is the socket peer (the ALB), each next hop one
 * X-Forwarded-For entry further left. `request.ip` is then the address the last trusted proxy saw.
 */
function trustedHops(hops: number): false | ((address: string, hop: number) => boolean) {
  return hops > 0 ? (_address, hop) => hop < hops : false;
}

/** Builds the Nest application on Fastify for a validated configuration (used by main.ts and tests). */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createLogger(config.app);
  const metrics = new Metrics();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdFor,
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count, not `true`: `true` takes the leftmost X-Forwarded-For, which the client writes.
    trustProxy: trustedHops(config.app.trustProxyHops),
    ...edgeErrorHandlers,
    // Node would answer a missing Host itself (bare 400); http-hooks.ts answers it as problem+json.
    http: { requireHostHeader: false },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Keep-alive slightly above the ALB's 60 s idle timeout so the ALB closes first.
    keepAliveTimeout: 65_000,
    connectionTimeout: 10_000,
    // Long enough that an over-long id reaches validation (400), not the router's 404.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
  });
  registerHttpHooks(adapter.getInstance(), metrics);
  // The one route with a larger body limit (API.md: webhook bodies up to 1 MiB); 64 KiB elsewhere.
  adapter.getInstance().addHook('onRoute', (route) => {
    if (route.url === '/v1/webhooks/push') route.bodyLimit = WEBHOOK_BODY_LIMIT_BYTES;
  });

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger, metrics, imports: options.imports }),
    adapter,
    // rawBody: webhook signatures are computed over the exact bytes received.
    { logger: new NestPinoLogger(logger), abortOnError: false, rawBody: true },
  );
  registerSecurityHeaders(app, config);
  const fastify = adapter.getInstance();
  app.useBodyParser(
    'application/json',
    { bodyLimit: BODY_LIMIT_BYTES },
    depthLimitedJsonParser(fastify.getDefaultJsonParser('error', 'error')),
  );
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupSwagger(app);
  await app.init();
  // JSON only (API.md): Nest adds urlencoded and Fastify text/plain; anything else is 400 VALIDATION_FAILED (Content-Type).
  app
    .getHttpAdapter()
    .getInstance()
    .removeContentTypeParser(['text/plain', 'application/x-www-form-urlencoded']);
  return app;
}
