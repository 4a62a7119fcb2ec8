import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * A lease on one Redis key (SET NX PX + compare-and-delete), the single-instance lock pattern
 * Redis documents. Used where exactly one process across all tasks must do a thing (token refresh).
 * The lease expires by itself if its holder dies.
 */
export class RedisLock {
  constructor(private readonly redis: Redis) {}

  /** Returns a release function, or null when another holder has the lease. */
  async tryAcquire(key: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const owner = randomBytes(16).toString('hex');
    const ok = await this.redis.set(`lock:${key}`, owner, 'PX', ttlMs, 'NX');
    if (ok !== 'OK') return null;
    return async () => {
      await this.redis.eval(RELEASE, 1, `lock:${key}`, owner);
    };
  }
}
