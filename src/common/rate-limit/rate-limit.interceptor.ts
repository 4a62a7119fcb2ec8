import { hash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../../config/app-config.js';
import { RATE_LIMIT_SCOPE, type RateLimitScope } from './rate-limit.decorator.js';
import { RateLimiterService, type RateLimit } from './rate-limiter.service.js';

/** Set on a request whose `@RateLimit('session')` SessionGuard already counted. */
export const RATE_LIMIT_COUNTED = Symbol('rateLimitCounted');

type CountedRequest = FastifyRequest & { [RATE_LIMIT_COUNTED]?: boolean };

/**
 * The common limits of `@RateLimit(scope)`, shared by RateLimitInterceptor and SessionGuard: the
 * scope a route declares, and one count of a request against it.
 */
@Injectable()
export class ScopedRateLimits {
  private readonly limits: Record<RateLimitScope, RateLimit>;

  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimiter: RateLimiterService,
    config: ConfigService<AppConfig, true>,
  ) {
    const limits = config.get('rateLimits', { infer: true });
    this.limits = {
      ip: { name: 'public-ip', points: limits.perIp, windowSeconds: 60 },
      session: { name: 'session', points: limits.perSession, windowSeconds: 60 },
    };
  }

  scopeOf(context: ExecutionContext): RateLimitScope | undefined {
    return this.reflector.getAllAndOverride<RateLimitScope | undefined>(RATE_LIMIT_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
  }

  /** Counts the request; 429 RATE_LIMITED beyond the limit. The Redis command is sent at once. */
  async consume(scope: RateLimitScope, request: CountedRequest): Promise<void> {
    await this.rateLimiter.consume(this.limits[scope], keyOf(scope, request));
    if (scope === 'session') request[RATE_LIMIT_COUNTED] = true;
  }
}

/**
 * Applies `@RateLimit(scope)`. An interceptor, not a guard: interceptors run after every guard, so a
 * session limit only counts sessions SessionGuard accepted (a stranger cannot use up someone's).
 * SessionGuard counts the session limit itself, in the same Redis write as the proof's jti; this
 * counts it only where no SessionGuard did.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(private readonly limits: ScopedRateLimits) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const scope = this.limits.scopeOf(context);
    if (scope) {
      const request = context.switchToHttp().getRequest<CountedRequest>();
      if (!(scope === 'session' && request[RATE_LIMIT_COUNTED])) await this.limits.consume(scope, request);
    }
    return next.handle();
  }
}

/** The session's key is a hash of its credential: no token in Redis keys. */
function keyOf(scope: RateLimitScope, request: FastifyRequest): string {
  if (scope === 'ip') return request.ip;
  return hash('sha256', request.headers.authorization ?? '', 'base64url');
}
