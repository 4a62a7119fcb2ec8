import { Injectable } from '@nestjs/common';
import type CircuitBreaker from 'opossum';
import { Gauge } from 'prom-client';
import { AppLogger } from '../common/logging/app-logger.js';
import { Metrics } from '../metrics/metrics.js';

export type BreakerState = 'closed' | 'open' | 'halfOpen';

const stateValue: Record<BreakerState, number> = { closed: 0, halfOpen: 1, open: 2 };

/**
 * Every upstream circuit breaker of the process, so readiness can list their states and /metrics
 * can export them (upstream_breaker_state: 0 closed, 1 half-open, 2 open). Each change of state is
 * one log line (warn when a breaker opens), so on-call reads an outage's start and end there, while
 * the calls refused in between are only counted (upstream_requests_total{outcome="open"}).
 */
@Injectable()
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly gauge: Gauge<'upstream'>;

  private readonly log: AppLogger;

  constructor(metrics: Metrics, logger: AppLogger) {
    this.log = logger.forContext('BreakerRegistry');
    const breakers = this.breakers;
    this.gauge = new Gauge({
      name: 'upstream_breaker_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      registers: [metrics.registry],
      collect() {
        for (const [upstream, breaker] of breakers) this.set({ upstream }, stateValue[stateOf(breaker)]);
      },
    });
  }

  register(upstream: string, breaker: CircuitBreaker): void {
    this.breakers.set(upstream, breaker);
    breaker.on('open', () =>
      this.log.warn({ upstream, state: 'open' }, 'circuit breaker opened: calls are refused with 503'),
    );
    breaker.on('halfOpen', () =>
      this.log.info({ upstream, state: 'halfOpen' }, 'circuit breaker half-open: trying one call'),
    );
    breaker.on('close', () => this.log.info({ upstream, state: 'closed' }, 'circuit breaker closed'));
  }

  states(): Record<string, BreakerState> {
    const out: Record<string, BreakerState> = {};
    for (const [upstream, breaker] of this.breakers) out[upstream] = stateOf(breaker);
    return out;
  }
}

export function stateOf(breaker: CircuitBreaker): BreakerState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'halfOpen';
  return 'closed';
}
