import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { Metrics } from '../../../metrics/metrics.js';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { REDIS } from '../../../redis/redis.constants.js';
import { RedisLock } from '../../../redis/redis-lock.js';
import { OidcClient, RefreshRejectedError } from '../../../upstream/oidc/oidc.client.js';
import {
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../../upstream/resilience/upstream.errors.js';
import {
  ProviderTokenRepository,
  UndecryptableTokenError,
  type StoredTokens,
} from './provider-token.repository.js';
import { SessionRepository } from '../session/session.repository.js';

/**
 * An access token this close to expiry is refreshed before use: a tenth of its lifetime, at most
 * 5 s (so a token cannot expire during the upstream call it is sent with), never so much that a
 * just-refreshed short-lived token already counts as expired.
 */
const MAX_EXPIRY_SKEW_MS = 5_000;

function stillFresh(tokens: StoredTokens): boolean {
  const lifetime = tokens.accessExpiresAt.getTime() - tokens.storedAt.getTime();
  const skew = Math.min(MAX_EXPIRY_SKEW_MS, Math.max(0, lifetime / 10));
  return tokens.accessExpiresAt.getTime() - skew > Date.now();
}
/** The refresh lease outlives the provider call's deadline, so it never lapses mid-refresh. */
const LOCK_TTL_MS = 15_000;
const WAIT_POLL_MS = 50;
const MAX_WAIT_MS = 8_000;

/**
 * Hands modules a valid provider access token. When it has expired it refreshes, exactly once
 * across all processes (ARCHITECTURE.md decision 2): in-process callers share one promise, and
 * across processes a Redis lease picks the one that calls the provider while the others wait for
 * the stored token's version to change. A rejected refresh (invalid_grant, expired) deletes the
 * tokens and answers LINK_EXPIRED.
 */
@Injectable()
export class ProviderTokenService {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly lock: RedisLock;
  private readonly audit: AppLogger;

  constructor(
    private readonly tokens: ProviderTokenRepository,
    private readonly oidc: OidcClient,
    private readonly sessions: SessionRepository,
    @Inject(REDIS) redis: Redis,
    logger: AppLogger,
    private readonly metrics: Metrics,
  ) {
    this.lock = new RedisLock(redis);
    this.audit = logger.forContext('audit');
  }

  /**
   * Runs `call` with the person's access token. If the upstream rejects a token we believed valid
   * (UpstreamUnauthorizedError), refreshes once and retries once; a second rejection propagates.
   */
  async withAccessToken<T>(userId: string, call: (accessToken: string) => Promise<T>): Promise<T> {
    try {
      return await this.withAccessTokenOnce(userId, call);
    } catch (error) {
      if (!(error instanceof UndecryptableTokenError)) throw error;
      // The key of the stored tokens was retired (runbook): the link cannot be used or refreshed,
      // nor its refresh token revoked. The person links again.
      this.tokens.recordSkippedRevocation(userId, 'use');
      await this.tokens.delete(userId);
      throw new DomainException(ErrorCode.LINK_EXPIRED);
    }
  }

  private async withAccessTokenOnce<T>(
    userId: string,
    call: (accessToken: string) => Promise<T>,
  ): Promise<T> {
    const stored = await this.tokens.findRecent(userId);
    if (!stored) throw new DomainException(ErrorCode.LINK_EXPIRED);
    const token = await this.usable(userId, stored);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof UpstreamUnauthorizedError)) throw error;
      // Another task may have refreshed already; if the stored token is the one just rejected
      // (or has expired meanwhile), refresh it.
      const current = await this.load(userId);
      const storedNow = current.accessToken();
      const fresh =
        storedNow !== token && stillFresh(current)
          ? storedNow
          : await this.refreshOnce(userId, current.version);
      return call(fresh);
    }
  }

  private async load(userId: string): Promise<StoredTokens> {
    const stored = await this.tokens.find(userId);
    if (!stored) throw new DomainException(ErrorCode.LINK_EXPIRED);
    return stored;
  }

  private async usable(userId: string, stored: StoredTokens): Promise<string> {
    if (stillFresh(stored)) return stored.accessToken();
    return this.refreshOnce(userId, stored.version);
  }

  /** One refresh per (person, version seen) in this process; callers share its result. */
  private refreshOnce(userId: string, seenVersion: number): Promise<string> {
    const key = `${userId}:${seenVersion}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.refreshAcrossProcesses(userId, seenVersion).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async refreshAcrossProcesses(userId: string, seenVersion: number): Promise<string> {
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const release = await this.lock.tryAcquire(`refresh:${userId}`, LOCK_TTL_MS);
      if (release) {
        try {
          const current = await this.load(userId);
          // Someone refreshed (or re-linked) between our read and the lease: use their token.
          if (current.version !== seenVersion) return current.accessToken();
          return await this.refresh(userId, current);
        } finally {
          await release();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      const current = await this.load(userId);
      if (current.version !== seenVersion) return current.accessToken();
      if (Date.now() > deadline)
        throw new UpstreamUnavailableError('digital-auth', 'refresh still in progress', 1);
    }
  }

  private async refresh(userId: string, current: StoredTokens): Promise<string> {
    const refreshToken = current.refreshToken();
    if (!refreshToken || current.refreshExpiresAt.getTime() <= Date.now()) {
      await this.expire(userId, 'refresh token expired');
    }
    try {
      const rotated = await this.oidc.refresh(refreshToken!);
      if (rotated.subject !== undefined && rotated.subject !== (await this.tokens.subjectOf(userId))) {
        // An ID token for somebody else: never store another person's tokens under this one.
        await this.expire(userId, 'refresh returned an ID token for another subject');
      }
      const stored = await this.tokens.rotate(userId, current.version, rotated);
      if (stored) await this.sessions.extendTo(userId, rotated.refreshExpiresAt);
      this.audit.info({ event: 'token.refreshed', userId, stored }, 'provider tokens refreshed');
      this.metrics.tokenRefreshes.inc({ outcome: 'refreshed' });
      return rotated.accessToken;
    } catch (error) {
      if (error instanceof RefreshRejectedError) await this.expire(userId, error.oauthError);
      if (!(error instanceof DomainException)) this.metrics.tokenRefreshes.inc({ outcome: 'failed' });
      throw error;
    }
  }

  private async expire(userId: string, reason: string): Promise<never> {
    this.metrics.tokenRefreshes.inc({ outcome: 'rejected' });
    await this.tokens.delete(userId);
    this.audit.warn({ event: 'token.refresh_failed', userId, reason }, 'link expired: tokens deleted');
    throw new DomainException(ErrorCode.LINK_EXPIRED);
  }
}
