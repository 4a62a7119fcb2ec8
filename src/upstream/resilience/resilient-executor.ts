import CircuitBreaker from 'opossum';
import type { Metrics } from '../../metrics/metrics.js';
import type { BreakerRegistry } from '../breaker-registry.js';
import type { ResilienceOptions } from './resilience.options.js';
import {
  UpstreamResponseError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from './upstream.errors.js';
import { DomainException } from '../../common/errors/domain.exception.js';

/** The reason of an UpstreamUnavailableError raised because the breaker is open. */
const CIRCUIT_OPEN = 'circuit open';

type Task<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Runs calls to one upstream through one opossum circuit breaker, with a per-call deadline (the
 * AbortSignal given to the task), metrics per operation, and a fast `UpstreamUnavailableError`
 * while the breaker is open. Domain exceptions a task throws on purpose (404, 401, bad body…) are
 * answers, not outages: they pass through without counting against the breaker.
 */
export class ResilientExecutor {
  private readonly breaker: CircuitBreaker<[Task<unknown>, AbortController], unknown>;

  constructor(
    private readonly options: ResilienceOptions,
    registry: BreakerRegistry,
    private readonly metrics: Metrics,
  ) {
    this.breaker = new CircuitBreaker(
      async (task: Task<unknown>, controller: AbortController) =>
        Promise.race([task(controller.signal), rejectOnAbort(controller.signal)]),
      {
        name: options.upstream,
        timeout: false, // the task's own AbortSignal enforces the deadline and frees the socket
        errorThresholdPercentage: options.errorThresholdPercentage,
        resetTimeout: options.resetTimeoutMs,
        volumeThreshold: options.volumeThreshold,
        rollingCountTimeout: options.rollingCountTimeoutMs,
        rollingCountBuckets: 10,
        allowWarmUp: false,
        errorFilter: (error: unknown) => isAnswer(error),
      },
    );
    registry.register(options.upstream, this.breaker);
  }

  get upstream(): string {
    return this.options.upstream;
  }

  /** True while the breaker is open (calls are refused without reaching the upstream). */
  get open(): boolean {
    return this.breaker.opened;
  }

  async execute<T>(operation: string, task: Task<T>): Promise<T> {
    if (this.breaker.opened) {
      // Refused at once: no deadline timer, no AbortController, none of opossum's error building.
      // Half-open is not `opened`, so the trial call still goes through the breaker.
      const labels = { upstream: this.options.upstream, operation, outcome: 'open' };
      this.metrics.upstreamDuration.observe(labels, 0);
      this.metrics.upstreamRequests.inc(labels);
      throw this.refusedWhileOpen();
    }
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error('upstream deadline exceeded')),
      this.options.timeoutMs,
    );
    const end = this.metrics.upstreamDuration.startTimer({ upstream: this.options.upstream, operation });
    let outcome = 'ok';
    try {
      return (await this.breaker.fire(task, controller)) as T;
    } catch (error) {
      outcome = this.outcomeOf(error, controller);
      throw this.translate(error, controller);
    } finally {
      clearTimeout(timer);
      end({ outcome });
      this.metrics.upstreamRequests.inc({ upstream: this.options.upstream, operation, outcome });
    }
  }

  private outcomeOf(error: unknown, controller: AbortController): string {
    if (isOpenBreaker(error)) return 'open';
    if (controller.signal.aborted) return 'timeout';
    return isAnswer(error) ? 'rejected' : 'failed';
  }

  private refusedWhileOpen(): UpstreamUnavailableError {
    // Every call is refused like this while the breaker is open, from this one place: a stack trace
    // says nothing, and capturing two (the error and its cause) was ~5 % of such a 503's CPU.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new UpstreamUnavailableError(
        this.options.upstream,
        CIRCUIT_OPEN,
        Math.ceil(this.options.resetTimeoutMs / 1000),
        true, // BreakerRegistry logged the opening
      );
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  private translate(error: unknown, controller: AbortController): unknown {
    if (error instanceof DomainException) return error;
    if (isOpenBreaker(error)) return this.refusedWhileOpen();
    if (controller.signal.aborted) return new UpstreamUnavailableError(this.options.upstream, 'timeout', 1);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'failed';
    return new UpstreamUnavailableError(this.options.upstream, reason, 1);
  }
}

function isOpenBreaker(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'EOPENBREAKER';
}

/**
 * An error that is the upstream's considered answer (404, a rejected token or grant), not a sign that
 * it is unwell. 5xx and unparseable bodies (UpstreamResponseError) count against the breaker.
 */
function isAnswer(error: unknown): boolean {
  if (error instanceof UpstreamUnauthorizedError) return true;
  if (error instanceof UpstreamUnavailableError || error instanceof UpstreamResponseError) return false;
  return error instanceof DomainException;
}

/** Settles when the deadline passes even if a task does not honour its signal. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
