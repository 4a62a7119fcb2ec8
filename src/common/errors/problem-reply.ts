import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateLanguage } from '../i18n/language.js';
import { classifyError } from './classify-error.js';
import { DomainException } from './domain.exception.js';
import { buildProblem, PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * Sends the problem+json answer for any error. Used by the Nest exception filter and by Fastify's
 * own error handler (body parsing happens before Nest sees the request), so both look the same.
 */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const classified = classifyError(error);
  const problem = buildProblem(
    classified.code,
    String(request.id),
    negotiateLanguage(request.headers['accept-language']),
    classified.fieldErrors,
  );
  if (classified.unexpected) {
    request.log.error({ err: error, errorCode: problem.code }, 'request failed');
  } else if (problem.status >= 500 && !(error instanceof DomainException && error.alreadyReported)) {
    request.log.warn({ errorCode: problem.code, reason: describe(error) }, 'request failed upstream');
  } else {
    request.log.debug({ errorCode: problem.code }, 'request rejected');
  }
  if (classified.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(Math.max(1, Math.ceil(classified.retryAfterSeconds))));
  }
  if (error instanceof DomainException && error.headers) void reply.headers(error.headers);
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

function describe(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  // An outage of PostgreSQL or Redis: the driver's message says which and how (no data in it).
  if (error instanceof Error && !(error instanceof DomainException)) return `${error.name}: ${error.message}`;
  return undefined;
}
