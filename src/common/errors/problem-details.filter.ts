import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from '../../metrics/metrics.js';
import { DpopRejected } from '../dpop/dpop-rejection.js';
import { sendProblem } from './problem-reply.js';

/**
 * The one global filter: every exception becomes RFC 9457 problem+json with an API.md code. Refused
 * DPoP proofs are counted here by reason (`dpop_rejections_total`), whichever guard refused them.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly metrics: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof Error && exception.cause instanceof DpopRejected) {
      this.metrics.dpopRejections.inc({ reason: exception.cause.reason });
    }
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    sendProblem(exception, http.getRequest<FastifyRequest>(), reply);
  }
}
