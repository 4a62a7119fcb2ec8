import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/app-config.js';
import { AppLogger } from '../common/logging/app-logger.js';
import { REDIS } from './redis.constants.js';

/**
 * One ioredis client per process for short-lived state (link state, locks, rate limits, tickets).
 * No offline queue: while Redis is down, commands fail at once instead of piling up, so callers
 * answer 503 quickly; ioredis reconnects by itself. BullMQ keeps its own connections (it needs
 * blocking commands and no key prefix) built from the same settings.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService, AppLogger],
      useFactory: (config: ConfigService<AppConfig, true>, logger: AppLogger): Redis => {
        const { url, keyPrefix } = config.get('redis', { infer: true });
        const log = logger.forContext('Redis');
        const client = new Redis(url, {
          keyPrefix: `${keyPrefix}:`,
          enableOfflineQueue: false,
          // commands issued in the same tick (a proof's jti, a rate-limit count, from many requests) share one write
          enableAutoPipelining: true,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          commandTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        });
        client.on('error', (err: Error) => log.warn({ reason: err.message }, 'redis connection error'));
        client.on('ready', () => log.info({}, 'redis ready'));
        return client;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}
