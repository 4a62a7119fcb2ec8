import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config.js';
import { DomainException } from '../../common/errors/domain.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { RateLimiterService } from '../../common/http/rate-limiter.service.js';
import { AppLogger } from '../../common/logging/app-logger.js';
import { MynaportalClient } from '../../upstream/mynaportal/mynaportal.client.js';
import { UpstreamResponseError } from '../../upstream/resilience/upstream.errors.js';
import { ProviderTokenService, SessionRepository, type AppSession } from '../account-link/index.js';
import type { SsoTicketDto } from './dto/create-sso.dto.js';
import { normalizeReturnTo } from './return-to.js';
import { SsoTicketStore, TICKET_SHAPE, TICKET_TTL_SECONDS } from './sso-ticket.store.js';

/** Tickets per person per minute: a person opens Mynaportal by hand, not in a loop. */
const ISSUE_LIMIT = { name: 'sso-issue', points: 30, windowSeconds: 60 };
/**
 * Redirects per client IP per minute. Generous because mobile carriers put many people behind one
 * address (CGNAT); tickets are unguessable, so this only bounds calls into the backend.
 */
const REDIRECT_LIMIT = { name: 'sso-redirect', points: 120, windowSeconds: 60 };

/**
 * SSO into Mynaportal web. The app gets a one-time BFF URL (never a provider token); the browser
 * that opens it is sent on to a login URL the backend issues for the ticket's person.
 */
@Injectable()
export class SsoService {
  private readonly publicBaseUrl: string;
  private readonly webOrigin: string;
  private readonly allowedPrefixes: string[];
  private readonly audit: AppLogger;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly tickets: SsoTicketStore,
    private readonly tokens: ProviderTokenService,
    private readonly portal: MynaportalClient,
    private readonly sessions: SessionRepository,
    private readonly rateLimiter: RateLimiterService,
    logger: AppLogger,
  ) {
    this.publicBaseUrl = config.get('app', { infer: true }).publicBaseUrl;
    const mynaportal = config.get('mynaportal', { infer: true });
    this.webOrigin = mynaportal.webOrigin;
    this.allowedPrefixes = mynaportal.ssoReturnToPrefixes;
    this.audit = logger.forContext('audit');
  }

  async issue(session: AppSession, returnTo: string | undefined): Promise<SsoTicketDto> {
    await this.rateLimiter.consume(ISSUE_LIMIT, session.userId);
    const path = returnTo === undefined ? '/' : normalizeReturnTo(returnTo, this.allowedPrefixes);
    if (path === null) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, {
        fieldErrors: [{ field: 'returnTo', rule: 'pattern' }],
      });
    }
    const ticket = await this.tickets.issue({
      userId: session.userId,
      deviceLinkId: session.deviceLinkId,
      returnTo: path,
    });
    return {
      redirectUrl: `${this.publicBaseUrl}/v1/sso/redirect?ticket=${ticket}`,
      expiresIn: TICKET_TTL_SECONDS,
    };
  }

  /** Uses a ticket up and returns the Mynaportal web login URL to redirect the browser to. */
  async redeem(ticket: unknown, clientIp: string): Promise<string> {
    await this.rateLimiter.consume(REDIRECT_LIMIT, clientIp);
    if (typeof ticket !== 'string' || !TICKET_SHAPE.test(ticket)) {
      throw new DomainException(ErrorCode.SSO_TICKET_INVALID);
    }
    const grant = await this.tickets.take(ticket);
    if (!grant) throw new DomainException(ErrorCode.SSO_TICKET_INVALID);
    // The ticket is worth no more than the device link that asked for it: unlinked, replaced by
    // another device or expired since, it opens nothing.
    if (!(await this.sessions.isLive(grant.deviceLinkId, grant.userId))) {
      throw new DomainException(ErrorCode.LINK_EXPIRED);
    }
    const { loginUrl } = await this.tokens.withAccessToken(grant.userId, (token) =>
      this.portal.createSsoSession(token, grant.returnTo),
    );
    if (!this.trusted(loginUrl)) {
      throw new UpstreamResponseError('mynaportal', 'sso.create: login URL on an unexpected origin');
    }
    this.audit.info({ event: 'sso.redirect', userId: grant.userId }, 'SSO into Mynaportal web');
    return loginUrl;
  }

  /** Only the configured Mynaportal web origin (MYNAPORTAL_WEB_ORIGIN), never just any https: one. */
  private trusted(loginUrl: string): boolean {
    try {
      return new URL(loginUrl).origin === this.webOrigin;
    } catch {
      return false;
    }
  }
}
