import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../../redis/redis.constants.js';
import type { Platform } from './entities/device-link.entity.js';

export const LINK_STATE_TTL_SECONDS = 600;

export interface PendingLink {
  deviceId: string;
  /** Thumbprint of the DPoP key that signed link/start: complete must be signed by the same key. */
  thumbprint: string;
  platform: Platform;
  nonce: string;
  codeVerifier: string;
}

/**
 * Server-side state of a link in progress (state → nonce, PKCE verifier, device), in Redis for
 * 10 minutes. `take` reads and deletes in one command (GETDEL), so a state is usable exactly once
 * even when two completions race.
 */
@Injectable()
export class LinkStateStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async save(state: string, pending: PendingLink): Promise<void> {
    await this.redis.set(this.key(state), JSON.stringify(pending), 'EX', LINK_STATE_TTL_SECONDS);
  }

  async take(state: string): Promise<PendingLink | null> {
    const raw = await this.redis.getdel(this.key(state));
    return raw ? (JSON.parse(raw) as PendingLink) : null;
  }

  private key(state: string): string {
    return `link:state:${state}`;
  }
}
