import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/config.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter.js';
import { DatabaseModule } from './database/database.module.js';
import { RedisModule } from './redis/redis.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import type { Metrics } from './metrics/metrics.js';
import { UpstreamCoreModule } from './upstream/upstream-core.module.js';
import { HealthModule } from './modules/health/index.js';
import { AccountLinkModule } from './modules/account-link/index.js';
import { NoticesModule } from './modules/notices/index.js';
import { TodosModule } from './modules/todos/index.js';
import { InsuranceModule } from './modules/insurance/index.js';
import { SsoModule } from './modules/sso/index.js';
import { DeliveryStatusModule } from './modules/delivery-status/index.js';
import { PushModule } from './modules/push/index.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  imports?: Type[];
}

/**
 * The modular monolith. Every feature module registers through roleModule(): in `api` it mounts
 * its controllers, in `worker` its BullMQ processors, in `all` both. Health and metrics are always on.
 */
@Module({})
export class AppModule {
  static forRoot({ config, logger, metrics, imports = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        MetricsModule.forRoot(metrics),
        DatabaseModule,
        RedisModule,
        UpstreamCoreModule,
        CryptoModule,
        RateLimitModule,
        QueueModule,
        HealthModule,
        // each feature module decides nothing about roles itself: roleModule() mounts controllers
        // in api/all and processors in worker/all
        ...[AccountLinkModule, PushModule, NoticesModule, TodosModule, InsuranceModule, SsoModule].map((m) =>
          m.register(config.app.role),
        ),
        DeliveryStatusModule.register(config.app.role),
        ...imports,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
