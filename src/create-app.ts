import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { AppModule } from './app.module.js';
import { createLogger } from './common/logging/create-logger.js';
import { NestPinoLogger } from './common/logging/app-logger.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import { registerHttpHooks } from './common/http/http-hooks.js';
import { requestIdFor } from './common/http/request-id.js';
import { Metrics } from './metrics/metrics.js';
import { setupSwagger } from './swagger.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateAppOptions {
  /** A logger to use instead of stdout (tests capture log lines with it). */
  logger?: Logger;
}

/** Builds the Nest application on Fastify for a validated configuration (used by main.ts and tests). */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createLogger(config.app);
  const metrics = new Metrics();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    disableRequestLogging: true,
    genReqId: requestIdFor,
    requestIdLogLabel: 'requestId',
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.app.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Keep-alive slightly above the ALB's 60 s idle timeout so the ALB closes first.
    keepAliveTimeout: 65_000,
    connectionTimeout: 10_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  registerHttpHooks(adapter.getInstance(), metrics);

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger, metrics }),
    adapter,
    { logger: new NestPinoLogger(logger), abortOnError: false },
  );
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupSwagger(app);
  return app;
}
