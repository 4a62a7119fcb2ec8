import { SetMetadata } from '@nestjs/common';

/**
 * `ip`: per client IP (public routes; the IP Fastify derives with TRUST_PROXY_HOPS, never a
 * client-written X-Forwarded-For entry). `session`: per app session (routes behind SessionGuard;
 * keyed on the credential of the Authorization header, so it runs after the guard accepted it).
 */
export type RateLimitScope = 'ip' | 'session';

export const RATE_LIMIT_SCOPE = 'rateLimitScope';

/**
 * Counts each request of the route or controller against the limit of its scope
 * (RATE_LIMIT_PER_IP / RATE_LIMIT_PER_SESSION per minute); beyond it, 429 RATE_LIMITED with
 * Retry-After. Pair it with `@ApiProblems('RATE_LIMITED', …)` in the OpenAPI document.
 */
export const RateLimit = (scope: RateLimitScope): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_SCOPE, scope);
