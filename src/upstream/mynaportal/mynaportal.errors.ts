import { DomainException } from '../../common/errors/domain.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { UpstreamResponseError } from '../resilience/upstream.errors.js';

/** The backend answered 5xx. → 502; counts against the breaker and may be retried (GET only). */
export class MynaportalServerError extends UpstreamResponseError {
  constructor(
    operation: string,
    readonly status: number,
  ) {
    super('mynaportal', `${operation}: HTTP ${status}`);
  }
}

/**
 * The backend refused the request itself (400, 403, 409, 422…): a considered answer, not an outage,
 * so it does not count against the breaker. → 502 unless a service knows better (an invalid cursor).
 */
export class MynaportalRejectedError extends DomainException {
  constructor(
    readonly operation: string,
    readonly status: number,
  ) {
    super(ErrorCode.UPSTREAM_ERROR, { cause: new Error(`mynaportal ${operation}: HTTP ${status}`) });
  }
}
