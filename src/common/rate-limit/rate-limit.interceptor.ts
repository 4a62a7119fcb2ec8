import { hash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, type Observable, switchMap } from 'rxjs';
import type { AppConfig } from '../../config/app-config.js';
import { RATE_LIMIT_SCOPE, type RateLimitScope } from './rate-limit.decorator.js';
import { RateLimiterService, type RateLimit } from './rate-limiter.service.js';

/**
 * Applies `@RateLimit(scope)`. An interceptor, not a guard: interceptors run after every guard, so a
 * session limit only counts sessions SessionGuard accepted (a stranger cannot use up someone's).
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
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

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = this.reflector.getAllAndOverride<RateLimitScope | undefined>(RATE_LIMIT_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return from(this.rateLimiter.consume(this.limits[scope], keyOf(scope, request))).pipe(
      switchMap(() => next.handle()),
    );
  }
}

/** The session's key is a hash of its credential: no token in Redis keys. */
function keyOf(scope: RateLimitScope, request: FastifyRequest): string {
  if (scope === 'ip') return request.ip;
  return hash('sha256', request.headers.authorization ?? '', 'base64url');
}
