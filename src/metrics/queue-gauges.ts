import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { ALL_QUEUES } from '../queue/queues.js';
import { Metrics } from './metrics.js';

/** BullMQ job states on-call watches: backlog (wait, prioritized, delayed), in hand, and given up. */
const STATES = ['wait', 'prioritized', 'delayed', 'active', 'failed'] as const;

export interface QueueDepth {
  queue: string;
  counts: Record<(typeof STATES)[number], number>;
  /** seconds the oldest waiting job has waited (0 when none waits) */
  oldestWaitingAgeSeconds: number;
}

/** Depth and oldest-job age of one queue: three Redis reads. */
export async function queueDepth(queue: Queue): Promise<QueueDepth> {
  const [counts, [oldest]] = await Promise.all([
    queue.getJobCounts(...STATES),
    queue.getJobs(['wait'], 0, 0, true),
  ]);
  return {
    queue: queue.name,
    counts: Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0])) as QueueDepth['counts'],
    oldestWaitingAgeSeconds: oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0,
  };
}

/** Every queue of this process's module graph (both roles register them all). */
export function allQueues(moduleRef: ModuleRef): Queue[] {
  return ALL_QUEUES.map((name) => moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
}

/**
 * Queue depth per queue and state (`queue_jobs{queue,state}`) and the oldest waiting job's age
 * (`queue_oldest_waiting_age_seconds{queue}`), read from Redis when /metrics is scraped. A growing
 * push-send backlog with an old head means sending stalled (FCM, the breaker, no worker); the
 * fan-out's back-pressure keeps push-send's `wait` near PUSH_SEND_QUEUE_MAX_WAITING during a broadcast.
 * A queue Redis cannot answer for is left out of that scrape (redis_connected tells why).
 */
@Injectable()
export class QueueGauges {
  constructor(metrics: Metrics, moduleRef: ModuleRef) {
    const read = async (): Promise<QueueDepth[]> => {
      const depths = await Promise.allSettled(allQueues(moduleRef).map(queueDepth));
      return depths.flatMap((d) => (d.status === 'fulfilled' ? [d.value] : []));
    };
    // one Redis read per scrape serves both gauges
    let pending: Promise<QueueDepth[]> | undefined;
    const once = (): Promise<QueueDepth[]> =>
      (pending ??= read().finally(() => setImmediate(() => (pending = undefined))));
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs per queue and state (wait, prioritized, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const d of await once())
          for (const state of STATES) this.set({ queue: d.queue, state }, d.counts[state]);
      },
    });
    new Gauge({
      name: 'queue_oldest_waiting_age_seconds',
      help: 'Seconds the oldest waiting job of each queue has waited (0 when none waits)',
      labelNames: ['queue'],
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const d of await once()) this.set({ queue: d.queue }, d.oldestWaitingAgeSeconds);
      },
    });
  }
}
