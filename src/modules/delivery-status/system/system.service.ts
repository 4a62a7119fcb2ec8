import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ALL_QUEUES } from '../../../queue/queues.js';
import { BreakerRegistry } from '../../../upstream/breaker-registry.js';
import type { SystemStatusDto } from './system-status.dto.js';

/** What the dashboard shows about the machinery: each queue's job counts and each breaker's state. */
@Injectable()
export class SystemService {
  constructor(
    private readonly breakers: BreakerRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  async status(): Promise<SystemStatusDto> {
    const queues = await Promise.all(
      ALL_QUEUES.map(async (name) => {
        const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        return {
          name,
          waiting: counts.waiting ?? 0,
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
        };
      }),
    );
    const breakers = Object.entries(this.breakers.states()).map(([upstream, state]) => ({ upstream, state }));
    return { queues, breakers };
  }
}
