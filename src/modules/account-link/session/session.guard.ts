import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { DEVICE_KEY } from '../../../common/dpop/device-key.js';
import { dpopRequest } from '../../../common/dpop/dpop-request.js';
import { DpopVerifier, invalidProof } from '../../../common/dpop/dpop-verifier.js';
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
 * The proof check and the session lookup run side by side (one Redis SET, one indexed query).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly dpop: DpopVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { [SESSION_KEY]?: AppSession; [DEVICE_KEY]?: string }>();
    const presented = sessionToken(request.headers.authorization);
    if (!presented) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    // A bearer-style use of the token is refused whatever it carries: it is worth nothing alone.
    if (presented.scheme !== 'dpop') throw invalidProof();
    const [proof, found] = await Promise.all([
      this.dpop.verify(dpopRequest(request, presented.token)),
      this.sessions.findUnrevoked(hashSessionToken(presented.token)),
    ]);
    if (!found) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    if (found.thumbprint !== proof.thumbprint) throw invalidProof();
    if (found.expired) throw new DomainException(ErrorCode.LINK_EXPIRED);
    if (proof.nextNonce) void http.getResponse<FastifyReply>().header('dpop-nonce', proof.nextNonce);
    request[SESSION_KEY] = found.session;
    request[DEVICE_KEY] = proof.thumbprint;
    return true;
  }
}
