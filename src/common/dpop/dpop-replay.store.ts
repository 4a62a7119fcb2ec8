import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../redis/redis.constants.js';

/**
 * How long a proof's jti is remembered: longer than any proof can be accepted (iat ± 60 s, or a
 * nonce, which lives 5 minutes from before the proof was made).
 */
export const JTI_TTL_SECONDS = 300;

/**
 * The jti of every accepted proof, shared by all API tasks: `SET NX EX` in Redis, so the first task
 * to see a jti wins and a replay to any task is refused. Keyed by the key's thumbprint too, so one
 * device cannot burn another's jti values.
 */
@Injectable()
export class DpopReplayStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** True when this (key, jti) had not been seen within the TTL; it is then recorded. */
  async firstUse(thumbprint: string, jti: string): Promise<boolean> {
    const set = await this.redis.set(`dpop:jti:${thumbprint}:${jti}`, '1', 'EX', JTI_TTL_SECONDS, 'NX');
    return set === 'OK';
  }
}
