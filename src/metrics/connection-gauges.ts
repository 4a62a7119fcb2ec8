import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.constants.js';
import { Metrics } from './metrics.js';

/**
 * Connection state for on-call, read when /metrics is scraped: the PostgreSQL pool
 * (`db_pool_connections{state="total|idle|waiting"}`: waiting > 0 means requests queue for a
 * connection) and the shared Redis client (`redis_connected` 1/0).
 */
@Injectable()
export class ConnectionGauges {
  constructor(metrics: Metrics, dataSource: DataSource, @Inject(REDIS) redis: Redis) {
    const pool = (): Pool | undefined => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state: total, idle, waiting (requests queued for a connection)',
      labelNames: ['state'],
      registers: [metrics.registry],
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
    new Gauge({
      name: 'redis_connected',
      help: 'Whether the shared Redis client is connected and ready (1) or not (0)',
      registers: [metrics.registry],
      collect() {
        this.set(redis.status === 'ready' ? 1 : 0);
      },
    });
  }
}
