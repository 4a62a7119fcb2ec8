import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import { GracefulWorker } from './graceful-worker.js';

// Every @Processor runs on a worker whose shutdown cannot hang after a Redis loss (graceful-worker.ts).
BullModule.workerClass = GracefulWorker;

/**
 * BullMQ on the same Redis. BullMQ manages its own connections (workers need blocking commands
 * and `maxRetriesPerRequest: null`) and namespaces keys with `prefix` (it does not support
 * ioredis' keyPrefix).
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const redis = config.get('redis', { infer: true });
        const url = new URL(redis.url);
        return {
          prefix: `${redis.keyPrefix}:bull`,
          connection: {
            host: url.hostname,
            port: Number(url.port || 6379),
            username: url.username || undefined,
            password: url.password ? decodeURIComponent(url.password) : undefined,
            db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
            tls: url.protocol === 'rediss:' ? {} : undefined,
            maxRetriesPerRequest: null,
          },
        };
      },
    }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
