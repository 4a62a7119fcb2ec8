import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config.js';
import { DomainException } from '../../common/errors/domain.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { AppLogger } from '../../common/logging/app-logger.js';
import { RateLimiterService, type RateLimit } from '../../common/rate-limit/rate-limiter.service.js';
import { OidcClient } from '../../upstream/oidc/oidc.client.js';
import type { CompleteLinkDto, CompleteLinkResponseDto } from './dto/complete-link.dto.js';
import type { StartLinkDto, StartLinkResponseDto } from './dto/start-link.dto.js';
import type { LinkStatusDto } from './dto/link-status.dto.js';
import { LINK_STATE_TTL_SECONDS, LinkStateStore } from './link-state.store.js';
import { LinkRepository } from './link.repository.js';
import { TokenRevocationQueue } from './revocation/token-revocation.queue.js';
import type { AppSession } from './session/app-session.js';
import { hashSessionToken, newSessionToken } from './session/session-token.js';

/** マイナポータル連携 / 連携停止: link start and completion, status, unlink. */
@Injectable()
export class LinkService {
  private readonly perIp: RateLimit;
  private readonly perDevice: RateLimit;
  private readonly audit: AppLogger;
  private readonly maxSessionLifetimeMs: number;

  constructor(
    private readonly oidc: OidcClient,
    private readonly states: LinkStateStore,
    private readonly links: LinkRepository,
    private readonly revocations: TokenRevocationQueue,
    private readonly rateLimiter: RateLimiterService,
    config: ConfigService<AppConfig, true>,
    logger: AppLogger,
  ) {
    const limits = config.get('rateLimits', { infer: true });
    this.perIp = { name: 'link:ip', points: limits.linkPerIp, windowSeconds: 60 };
    // Per device key, not per the deviceId label the client chooses (which costs nothing to vary).
    this.perDevice = { name: 'link:key', points: limits.linkPerDevice, windowSeconds: 60 };
    this.maxSessionLifetimeMs = config.get('session', { infer: true }).maxLifetimeSeconds * 1000;
    this.audit = logger.forContext('audit');
  }

  /** `thumbprint`: of the DPoP key that signed the request (the device's identity). */
  async start(dto: StartLinkDto, clientIp: string, thumbprint: string): Promise<StartLinkResponseDto> {
    await this.limit(clientIp, thumbprint);
    const request = this.oidc.newAuthorizationRequest();
    const authorizationUrl = await this.oidc.authorizationUrl(request);
    await this.states.save(request.state, {
      deviceId: dto.deviceId,
      thumbprint,
      platform: dto.platform,
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
    });
    return { authorizationUrl, state: request.state, expiresIn: LINK_STATE_TTL_SECONDS };
  }

  async complete(
    dto: CompleteLinkDto,
    clientIp: string,
    thumbprint: string,
  ): Promise<CompleteLinkResponseDto> {
    await this.limit(clientIp, thumbprint);
    // Taking the state consumes it: a second completion with it fails whatever happens next.
    const pending = await this.states.take(dto.state);
    if (!pending || pending.deviceId !== dto.deviceId || !sameKey(pending.thumbprint, thumbprint)) {
      throw new DomainException(ErrorCode.LINK_STATE_INVALID);
    }
    const exchanged = await this.oidc.exchangeCode(dto.code, {
      state: dto.state,
      nonce: pending.nonce,
      codeVerifier: pending.codeVerifier,
    });
    const sessionToken = newSessionToken();
    const sessionExpiresAt = new Date(
      Math.min(exchanged.refreshExpiresAt.getTime(), Date.now() + this.maxSessionLifetimeMs),
    );
    const bound = await this.links.bindDevice({
      subject: exchanged.subject,
      deviceId: dto.deviceId,
      thumbprint,
      platform: pending.platform,
      locale: dto.locale ?? 'ja',
      pushToken: dto.pushToken ?? null,
      sessionTokenHash: hashSessionToken(sessionToken),
      sessionExpiresAt,
      tokens: exchanged,
    });
    for (const old of bound.revoked) {
      this.audit.info(
        { event: 'link.revoked', reason: old.reason, userId: old.personId, deviceLinkId: old.deviceLinkId },
        'previous device link revoked',
      );
    }
    this.audit.info(
      {
        event: bound.revoked.some((r) => r.personId === bound.personId) ? 'link.relinked' : 'link.created',
        userId: bound.personId,
        deviceLinkId: bound.deviceLinkId,
        platform: pending.platform,
      },
      'device linked',
    );
    // Bounded: the outbox rows are committed, so a slow or absent Redis only delays revocation.
    await this.revocations.enqueue(bound.revocationIds);
    return {
      sessionToken,
      tokenType: 'DPoP',
      sessionExpiresAt: sessionExpiresAt.toISOString(),
      userId: bound.personId,
    };
  }

  async status(session: AppSession): Promise<LinkStatusDto> {
    const row = await this.links.status(session.deviceLinkId);
    if (!row) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    // The tokens are gone once a refresh was refused: the link is dead, whatever the session says.
    if (!row.access_expires_at || !row.refresh_expires_at) throw new DomainException(ErrorCode.LINK_EXPIRED);
    return {
      userId: session.userId,
      deviceId: row.device_id,
      platform: row.platform,
      linkedAt: row.linked_at.toISOString(),
      accessTokenExpiresAt: row.access_expires_at.toISOString(),
      refreshTokenExpiresAt: row.refresh_expires_at.toISOString(),
    };
  }

  /** Local unlink completes at once; revocation at the provider happens in the worker, with retries. */
  async unlink(session: AppSession): Promise<void> {
    const revocationId = await this.links.unlink(session.userId, session.deviceLinkId);
    // The audit line first: the unlink is committed, whatever happens to the enqueue.
    this.audit.info(
      { event: 'link.unlinked', userId: session.userId, deviceLinkId: session.deviceLinkId },
      'device unlinked',
    );
    if (revocationId) await this.revocations.enqueue([revocationId]);
  }

  /** Both limits count every attempt; sent together, they share one Redis write. */
  private async limit(clientIp: string, thumbprint: string): Promise<void> {
    await Promise.all([
      this.rateLimiter.consume(this.perIp, clientIp),
      this.rateLimiter.consume(this.perDevice, thumbprint),
    ]);
  }
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
