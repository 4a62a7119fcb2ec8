import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../redis/redis.constants.js';
import { AppLogger } from '../logging/app-logger.js';

/**
 * How long a proof's jti is remembered: longer than any proof can be accepted (iat ± 60 s, or a
 * nonce, which lives 5 minutes from before the proof was made).
 */
export const JTI_TTL_SECONDS = 300;
/** Bound of the in-process fallback (≈ 100 bytes an entry). */
const LOCAL_MAX_ENTRIES = 200_000;

/**
 * The jti of every accepted proof, shared by all API tasks: `SET NX EX` in Redis, so the first task
 * to see a jti wins and a replay to any task is refused. Keyed by the key's thumbprint too, so one
 * device cannot burn another's jti values.
 *
 * While Redis is unreachable, an in-process store takes over (like the rate limiter's insurance
 * limiter): replays to the same task are still refused, and the app keeps working (API.md: the
 * local unlink never waits on the queue's Redis). ADR 0006 records the trade-off.
 */
@Injectable()
export class DpopReplayStore {
  private readonly local = new Map<string, number>();
  private readonly log: AppLogger;
  private warnedAt = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('DpopReplayStore');
  }

  /** True when this (key, jti) had not been seen within the TTL; it is then recorded. */
  async firstUse(thumbprint: string, jti: string): Promise<boolean> {
    const key = `dpop:jti:${thumbprint}:${jti}`;
    try {
      const set = await this.redis.set(key, '1', 'EX', JTI_TTL_SECONDS, 'NX');
      return set === 'OK';
    } catch (error) {
      this.warnFallback(error);
      return this.firstUseLocally(key);
    }
  }

  private firstUseLocally(key: string, now: number = Date.now()): boolean {
    const until = this.local.get(key);
    if (until !== undefined && until > now) return false;
    if (this.local.size >= LOCAL_MAX_ENTRIES) {
      // Oldest first (insertion order): drop expired ones, or the oldest if none has expired.
      for (const [k, expiry] of this.local) {
        if (expiry <= now || this.local.size >= LOCAL_MAX_ENTRIES) this.local.delete(k);
        else break;
      }
    }
    this.local.set(key, now + JTI_TTL_SECONDS * 1000);
    return true;
  }

  private warnFallback(error: unknown): void {
    const now = Date.now();
    if (now - this.warnedAt < 10_000) return;
    this.warnedAt = now;
    this.log.warn(
      { reason: (error as Error).message },
      'DPoP jti store unreachable: replays checked per task until Redis returns',
    );
  }
}
