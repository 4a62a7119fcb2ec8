import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../../config/app-config.js';

/** Longest admin token we hash; anything longer is refused without work proportional to its size. */
const MAX_TOKEN_LENGTH = 512;

/**
 * Knows the operators' admin tokens by their SHA-256 only. The presented token is hashed and
 * compared with every configured hash in constant time (no early exit), so neither timing nor the
 * position of a match tells anything about a token.
 */
@Injectable()
export class AdminTokenVerifier {
  private readonly tokens: AppConfig['admin']['tokens'];

  constructor(config: ConfigService<AppConfig, true>) {
    this.tokens = config.get('admin', { infer: true }).tokens;
  }

  /** The operator a token belongs to, or null. */
  operatorFor(token: string): string | null {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const presented = createHash('sha256').update(token, 'utf8').digest();
    let operator: string | null = null;
    for (const entry of this.tokens) {
      if (
        presented.length === entry.sha256.length &&
        timingSafeEqual(presented, entry.sha256) &&
        operator === null
      )
        operator = entry.operator;
    }
    return operator;
  }
}
