import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimitInterceptor, ScopedRateLimits } from './rate-limit.interceptor.js';
import { RateLimiterService } from './rate-limiter.service.js';

/**
 * Shared rate limiting (Redis-backed, see RateLimiterService): services call
 * `RateLimiterService.consume` for limits keyed on their own values; routes declare
 * `@RateLimit('ip' | 'session')` for the common per-IP and per-session limits.
 */
@Global()
@Module({
  providers: [
    RateLimiterService,
    ScopedRateLimits,
    { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
  ],
  exports: [RateLimiterService, ScopedRateLimits],
})
export class RateLimitModule {}
