import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../../redis/redis.constants.js';

/** Counters are kept a little over a year (the requirements' reporting horizon). */
const RETENTION_SECONDS = 400 * 86_400;

/** Fields of one day's hash: `api:<feature>`, `upstream:<name>:calls|errors`, `activePushDevices`. */
export type DayCounters = Record<string, number>;

/**
 * Per-day usage counters in Redis: one hash per JST day (`usage:YYYY-MM-DD`). Writes are batched
 * by the caller and sent as one pipeline; reads fetch a range of days in one pipeline.
 */
@Injectable()
export class UsageCounterStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async add(
    increments: Map<string, Map<string, number>>,
    snapshots: Map<string, Map<string, number>>,
  ): Promise<void> {
    if (increments.size === 0 && snapshots.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [day, fields] of increments) {
      for (const [field, n] of fields) pipeline.hincrby(this.key(day), field, n);
      pipeline.expire(this.key(day), RETENTION_SECONDS);
    }
    for (const [day, fields] of snapshots) {
      for (const [field, n] of fields) pipeline.hset(this.key(day), field, n);
      pipeline.expire(this.key(day), RETENTION_SECONDS);
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async read(days: string[]): Promise<Map<string, DayCounters>> {
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.key(day));
    const results = (await pipeline.exec()) ?? [];
    const out = new Map<string, DayCounters>();
    days.forEach((day, i) => {
      const [error, value] = results[i] ?? [];
      if (error) throw error;
      const counters: DayCounters = {};
      for (const [field, n] of Object.entries((value ?? {}) as Record<string, string>))
        counters[field] = Number(n);
      out.set(day, counters);
    });
    return out;
  }

  private key(day: string): string {
    return `usage:${day}`;
  }
}
