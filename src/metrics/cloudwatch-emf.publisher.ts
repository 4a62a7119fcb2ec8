import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { AppLogger } from '../common/logging/app-logger.js';
import { BreakerRegistry } from '../upstream/breaker-registry.js';
import { emfLine } from './emf.js';
import { allQueues, queueDepth } from './queue-gauges.js';

/**
 * Publishes what the CloudWatch alarms and the worker autoscaling read (terraform/modules/monitoring,
 * terraform/modules/app/autoscaling.tf) as EMF log lines: `CircuitBreakerOpen{Upstream}` (1 open,
 * 0.5 half-open, 0 closed), `QueueWaiting{Queue}` and `QueueOldestWaitingAgeSeconds{Queue}`.
 * Every task publishes; the alarms read the Maximum. Off when the interval is 0 (development).
 */
@Injectable()
export class CloudWatchEmfPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly settings: AppConfig['cloudwatch'];
  private readonly log: AppLogger;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly breakers: BreakerRegistry,
    private readonly moduleRef: ModuleRef,
    logger: AppLogger,
  ) {
    this.settings = config.get('cloudwatch', { infer: true });
    this.log = logger.forContext('metrics');
  }

  onApplicationBootstrap(): void {
    if (this.settings.emfIntervalMs <= 0) return;
    this.timer = setInterval(() => void this.publish().catch(() => undefined), this.settings.emfIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One EMF line per upstream and per queue. Returns the lines (for tests). */
  async publish(): Promise<Record<string, unknown>[]> {
    const { namespace } = this.settings;
    const lines: Record<string, unknown>[] = [];
    for (const [upstream, state] of Object.entries(this.breakers.states())) {
      const open = state === 'open' ? 1 : state === 'halfOpen' ? 0.5 : 0;
      lines.push(
        emfLine(namespace, { Upstream: upstream }, [
          { name: 'CircuitBreakerOpen', value: open, unit: 'None' },
        ]),
      );
    }
    for (const queue of allQueues(this.moduleRef)) {
      try {
        const { counts, oldestWaitingAgeSeconds } = await queueDepth(queue);
        lines.push(
          emfLine(namespace, { Queue: queue.name }, [
            { name: 'QueueWaiting', value: counts.wait, unit: 'Count' },
            { name: 'QueueOldestWaitingAgeSeconds', value: oldestWaitingAgeSeconds, unit: 'Seconds' },
          ]),
        );
      } catch (error) {
        this.log.warn({ queue: queue.name, reason: (error as Error).message }, 'queue metrics unavailable');
      }
    }
    for (const line of lines) this.log.info(line, 'cloudwatch metrics');
    return lines;
  }
}
