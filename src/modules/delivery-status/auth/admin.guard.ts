import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { AdminTokenVerifier } from './admin-token.verifier.js';
import { AdminAudit } from './admin-audit.js';
import { OPERATOR_KEY, type RequestWithOperator } from './operator.js';

/** The token of an `Authorization: Bearer <token>` header (admin tokens are opaque to us). */
export function adminBearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim());
  return match ? match[1] : null;
}

/**
 * Every /admin/v1 route: an operator's bearer admin token or `401 ADMIN_AUTH_REQUIRED`. Cookies are
 * not accepted here (only Bull Board takes the session cookie), so no admin API call can be forged
 * cross-site. Every request is audit-logged, refused ones included.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly audit: AdminAudit;

  constructor(
    private readonly verifier: AdminTokenVerifier,
    logger: AppLogger,
  ) {
    this.audit = new AdminAudit(logger.forContext('AdminAudit'));
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & RequestWithOperator>();
    const token = adminBearer(request.headers.authorization);
    const operator = token ? this.verifier.operatorFor(token) : null;
    if (!operator) {
      this.audit.denied(request, token ? 'unknown' : 'missing');
      throw new DomainException(ErrorCode.ADMIN_AUTH_REQUIRED);
    }
    request[OPERATOR_KEY] = operator;
    this.audit.accepted(request, http.getResponse<FastifyReply>(), operator);
    return true;
  }
}
