import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { REDIS } from '../../redis/redis.constants.js';
import { DomainException } from '../errors/domain.exception.js';
import { ErrorCode } from '../errors/error-code.js';

export interface RateLimit {
  /** Name of the limit; part of the Redis key. */
  name: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

/**
 * Rate limits shared by all API tasks (rate-limiter-flexible on Redis). If Redis is unreachable an
 * in-process limiter with the same figures takes over, so a Redis outage neither opens the gate
 * wide nor turns every request into an error.
 */
@Injectable()
export class RateLimiterService {
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    // A RateLimiterRedis defines its Lua command on the client when it is built. Built lazily, in
    // the tick of a request whose other commands already opened an auto-pipeline, that pipeline
    // lacks the command and ioredis misaligns the replies (ioredis#1931, fixed after 6.0.0). So the
    // command is defined once here, before any request.
    new RateLimiterRedis({ storeClient: redis, keyPrefix: 'rl:define', points: 1, duration: 1 });
  }

  /** Counts one request for `key`; throws RATE_LIMITED (429 + Retry-After) beyond the limit. */
  async consume(limit: RateLimit, key: string): Promise<void> {
    try {
      await this.limiter(limit).consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new DomainException(ErrorCode.RATE_LIMITED, { retryAfterSeconds: error.msBeforeNext / 1000 });
      }
      throw error;
    }
  }

  private limiter(limit: RateLimit): RateLimiterRedis {
    let limiter = this.limiters.get(limit.name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `rl:${limit.name}`,
        points: limit.points,
        duration: limit.windowSeconds,
        insuranceLimiter: new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds }),
      });
      this.limiters.set(limit.name, limiter);
    }
    return limiter;
  }
}
