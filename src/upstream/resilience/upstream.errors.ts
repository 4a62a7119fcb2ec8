import { DomainException } from '../../common/errors/domain.exception.js';
import { ErrorCode } from '../../common/errors/error-code.js';

/**
 * Errors the upstream clients raise. They are domain exceptions already mapped to API.md codes, so a
 * module that does not handle them gets the right problem+json; modules that can do better (the
 * token service refreshing on a 401) catch them by class.
 */

/** The upstream is down (connection refused/reset), timed out, or its breaker is open. → 503 + Retry-After */
export class UpstreamUnavailableError extends DomainException {
  constructor(
    readonly upstream: string,
    reason: string,
    retryAfterSeconds: number,
    alreadyReported = false,
  ) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, {
      retryAfterSeconds,
      cause: new Error(`${upstream}: ${reason}`),
      alreadyReported,
    });
  }
}

/** The upstream answered, but with an error (5xx, unexpected 4xx) or a body we cannot parse. → 502 */
export class UpstreamResponseError extends DomainException {
  constructor(
    readonly upstream: string,
    reason: string,
  ) {
    super(ErrorCode.UPSTREAM_ERROR, { cause: new Error(`${upstream}: ${reason}`) });
  }
}

/** The upstream rejected the access token (401). The token service refreshes once and retries. */
export class UpstreamUnauthorizedError extends UpstreamResponseError {
  constructor(upstream: string) {
    super(upstream, 'access token rejected (401)');
  }
}

/** The upstream says the thing asked for does not exist. → 404 */
export class UpstreamNotFoundError extends DomainException {
  constructor(readonly upstream: string) {
    super(ErrorCode.NOT_FOUND);
  }
}
