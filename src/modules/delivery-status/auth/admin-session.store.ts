import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_SHAPE } from '../../../common/crypto/opaque-token.js';
import { REDIS } from '../../../redis/redis.constants.js';

/** Lifetime of a browser admin session (the Bull Board cookie). Short: operators re-enter the token. */
export const ADMIN_SESSION_TTL_SECONDS = 15 * 60;

/**
 * Short-lived browser sessions for pages the app does not render itself (Bull Board), which cannot
 * send a bearer header. Redis keeps only the SHA-256 of the session id, with the operator's name.
 */
@Injectable()
export class AdminSessionStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async open(operator: string): Promise<string> {
    const id = newOpaqueToken();
    await this.redis.set(this.key(id), operator, 'EX', ADMIN_SESSION_TTL_SECONDS);
    return id;
  }

  async operatorFor(id: string | undefined): Promise<string | null> {
    if (!id || !OPAQUE_TOKEN_SHAPE.test(id)) return null;
    return this.redis.get(this.key(id));
  }

  async close(id: string | undefined): Promise<void> {
    if (id && OPAQUE_TOKEN_SHAPE.test(id)) await this.redis.del(this.key(id));
  }

  private key(id: string): string {
    return `admin-session:${hashOpaqueToken(id).toString('base64url')}`;
  }
}
