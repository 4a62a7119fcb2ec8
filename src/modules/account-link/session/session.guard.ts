import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { DEVICE_KEY } from '../../../common/dpop/device-key.js';
import { dpopRequest } from '../../../common/dpop/dpop-request.js';
import { DpopVerifier, invalidProof } from '../../../common/dpop/dpop-verifier.js';
import { ScopedRateLimits } from '../../../common/rate-limit/rate-limit.interceptor.js';
import { SessionRepository } from './session.repository.js';
import { hashSessionToken, sessionToken } from './session-token.js';
import { SESSION_KEY } from './current-session.decorator.js';
import type { AppSession } from './app-session.js';

/**
 * Every app route that needs a person uses this guard (API.md "Device binding"): an
 * `Authorization: DPoP <session token>` that is known and not revoked, with a DPoP proof (carrying
 * the token's `ath`) by the key the session is bound to. No or an unknown token:
 * `401 SESSION_REQUIRED`; a token without a valid proof by its key, or sent as Bearer:
 * `401 DPOP_PROOF_INVALID`; a session past its expiry or absolute lifetime: `401 LINK_EXPIRED`.
 *
 * The cost is counted (TARGETS.md: every app request pays it): the proof is checked without I/O,
 * the session comes from SessionRepository (this process's cache, else one indexed query), and
 * then one Redis write carries the rest: the proof's jti, the session's `@RateLimit('session')`
 * count, and for a cached session its revocation marker.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly dpop: DpopVerifier,
    private readonly limits: ScopedRateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { [SESSION_KEY]?: AppSession; [DEVICE_KEY]?: string }>();
    const presented = sessionToken(request.headers.authorization);
    if (!presented) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    // A bearer-style use of the token is refused whatever it carries: it is worth nothing alone.
    if (presented.scheme !== 'dpop') throw invalidProof('bearer');
    const proof = await this.dpop.check(dpopRequest(request, presented.token));
    const tokenHash = hashSessionToken(presented.token);
    const found = await this.sessions.findUnrevoked(tokenHash);
    if (!found) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    if (found.thumbprint !== proof.thumbprint) throw invalidProof('key_mismatch');
    if (found.expired) throw new DomainException(ErrorCode.LINK_EXPIRED);

    // Issued together, so ioredis sends them in one write (auto-pipelining).
    const [unrevoked, firstUse, counted] = await Promise.allSettled([
      found.cached ? this.sessions.stillUnrevoked(tokenHash, found) : Promise.resolve(true),
      this.dpop.firstUse(proof),
      this.limits.scopeOf(context) === 'session'
        ? this.limits.consume('session', request)
        : Promise.resolve(),
    ]);
    // In this order: a revoked session is unknown, a replayed proof is invalid, then the limit.
    if (unrevoked.status === 'rejected') throw unrevoked.reason;
    if (!unrevoked.value) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    if (firstUse.status === 'rejected') throw firstUse.reason;
    if (!firstUse.value) throw invalidProof('replay');
    if (counted.status === 'rejected') throw counted.reason;

    if (proof.nextNonce) void http.getResponse<FastifyReply>().header('dpop-nonce', proof.nextNonce);
    request[SESSION_KEY] = found.session;
    request[DEVICE_KEY] = proof.thumbprint;
    return true;
  }
}
