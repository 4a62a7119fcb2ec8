import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { SessionRepository } from './session.repository.js';
import { bearerToken, hashSessionToken } from './session-token.js';
import { SESSION_KEY } from './current-session.decorator.js';
import type { AppSession } from './app-session.js';

/**
 * Every app route that needs a person uses this guard: a bearer session token that is known and not
 * revoked, or `401 SESSION_REQUIRED`; one that expired with its link, `401 LINK_EXPIRED`.
 * The resolved AppSession is on the request.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { [SESSION_KEY]?: AppSession }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    const found = await this.sessions.findUnrevoked(hashSessionToken(token));
    if (!found) throw new DomainException(ErrorCode.SESSION_REQUIRED);
    if (found.expired) throw new DomainException(ErrorCode.LINK_EXPIRED);
    request[SESSION_KEY] = found.session;
    return true;
  }
}
