import { HttpException } from '@nestjs/common';
import { DomainException, type FieldError } from './domain.exception.js';
import { ErrorCode } from './error-code.js';
import { isInfrastructureOutage } from './infrastructure-outage.js';

export interface ClassifiedError {
  code: ErrorCode;
  fieldErrors?: FieldError[];
  retryAfterSeconds?: number;
  /** True when the error is ours (a bug or an outage) and must be logged with its stack. */
  unexpected: boolean;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
}

const fastifyCodes: Record<string, ClassifiedError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: ErrorCode.PAYLOAD_TOO_LARGE, unexpected: false },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: ErrorCode.VALIDATION_FAILED,
    fieldErrors: [{ field: 'body', rule: 'json' }],
    unexpected: false,
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: ErrorCode.VALIDATION_FAILED,
    fieldErrors: [{ field: 'body', rule: 'json' }],
    unexpected: false,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: ErrorCode.VALIDATION_FAILED,
    fieldErrors: [{ field: 'Content-Type', rule: 'contentType' }],
    unexpected: false,
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: ErrorCode.VALIDATION_FAILED,
    fieldErrors: [{ field: 'Content-Length', rule: 'invalid' }],
    unexpected: false,
  },
};

const byStatus: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  404: ErrorCode.NOT_FOUND,
  405: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.VALIDATION_FAILED,
  429: ErrorCode.RATE_LIMITED,
};

/** Maps anything thrown (domain, Nest, Fastify, unknown) to one of API.md's codes. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof DomainException) {
    return {
      code: error.code,
      fieldErrors: error.fieldErrors,
      retryAfterSeconds: error.retryAfterSeconds,
      unexpected: error.code === ErrorCode.INTERNAL,
    };
  }
  // Nest wraps Fastify's own 4xx errors (body parsing, limits) in an HttpException with the
  // original as cause; classify by the original's code.
  if (error instanceof HttpException && error.cause && typeof error.cause === 'object') {
    const inner = classifyFastify(error.cause);
    if (inner) return inner;
  }
  const direct = classifyFastify(error as FastifyLikeError | undefined);
  if (direct) return direct;
  const status =
    error instanceof HttpException ? error.getStatus() : (error as FastifyLikeError | undefined)?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { code: byStatus[status] ?? ErrorCode.VALIDATION_FAILED, unexpected: false };
  }
  if (isInfrastructureOutage(error)) {
    return { code: ErrorCode.UPSTREAM_UNAVAILABLE, retryAfterSeconds: 1, unexpected: false };
  }
  return { code: ErrorCode.INTERNAL, unexpected: true };
}

function classifyFastify(error: FastifyLikeError | undefined): ClassifiedError | undefined {
  const code = error?.code;
  if (code && fastifyCodes[code]) return fastifyCodes[code];
  if (error instanceof SyntaxError && error.statusCode === 400)
    return fastifyCodes.FST_ERR_CTP_INVALID_JSON_BODY;
  return undefined;
}
