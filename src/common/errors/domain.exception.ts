import type { ErrorCode } from './error-code.js';

export interface FieldError {
  field: string;
  /** A message key of src/common/i18n/messages.ts (`field.*`), rendered in the caller's language. */
  rule: string;
  /** Values substituted into the message (e.g. `{ min: 8 }`). */
  params?: Record<string, string | number>;
}

export interface DomainExceptionOptions {
  /** Seconds the client should wait before retrying (Retry-After), for 429/503. */
  retryAfterSeconds?: number;
  fieldErrors?: FieldError[];
  /** Response headers the answer must carry (e.g. `WWW-Authenticate`, `DPoP-Nonce`). */
  headers?: Record<string, string>;
  /** Not shown to clients; logged. */
  cause?: unknown;
  /**
   * A 5xx that something else already reported once (a refusal while a circuit breaker is open:
   * the breaker logged its opening): logged at debug, not at warn for every request.
   */
  alreadyReported?: boolean;
}

/**
 * What services throw. It carries a code of API.md and nothing HTTP-specific; the global
 * ProblemDetailsFilter turns it into problem+json with the status and texts for that code.
 */
export class DomainException extends Error {
  readonly retryAfterSeconds?: number;
  readonly fieldErrors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly alreadyReported: boolean;

  constructor(
    readonly code: ErrorCode,
    options: DomainExceptionOptions = {},
  ) {
    super(code, { cause: options.cause });
    this.name = 'DomainException';
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.fieldErrors = options.fieldErrors;
    this.headers = options.headers;
    this.alreadyReported = options.alreadyReported ?? false;
  }
}
