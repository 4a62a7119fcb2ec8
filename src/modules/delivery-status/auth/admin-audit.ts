import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppLogger } from '../../../common/logging/app-logger.js';

export type AdminOutcome = 'denied' | 'succeeded' | 'failed';

/**
 * One audit line per admin request: who (operator name, never the token), which route (the
 * template, never ids or query strings), what came of it. Accepted requests are logged when their
 * answer has been sent, so the outcome reflects the real status code.
 */
export class AdminAudit {
  constructor(private readonly log: AppLogger) {}

  denied(request: FastifyRequest, reason: 'missing' | 'unknown'): void {
    this.log.warn(
      {
        event: 'admin.request',
        operator: null,
        ...where(request),
        outcome: 'denied',
        reason,
        statusCode: 401,
      },
      'admin request denied',
    );
  }

  accepted(request: FastifyRequest, reply: FastifyReply, operator: string): void {
    const fields = { operator, ...where(request) };
    reply.raw.once('finish', () => {
      const statusCode = reply.statusCode;
      const outcome: AdminOutcome = statusCode < 400 ? 'succeeded' : 'failed';
      this.log.info({ event: 'admin.request', ...fields, outcome, statusCode }, 'admin request');
    });
  }
}

function where(request: FastifyRequest): { method: string; route: string } {
  return { method: request.method, route: request.routeOptions.url ?? 'unmatched' };
}
