import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { BreakerRegistry } from '../../upstream/breaker-registry.js';

/**
 * Lists each upstream circuit breaker's state. Always "up": an open breaker means an upstream is
 * down, not that this task is unhealthy (ARCHITECTURE.md decision 4), so it never fails readiness.
 */
@Injectable()
export class BreakersHealthIndicator {
  constructor(
    private readonly registry: BreakerRegistry,
    private readonly indicator: HealthIndicatorService,
  ) {}

  report(key: string): HealthIndicatorResult {
    return this.indicator.check(key).up({ breakers: this.registry.states() });
  }
}
