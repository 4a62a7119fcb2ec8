import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  PUSH_FANOUT_QUEUE,
  PUSH_SWEEP_EVERY_MS,
  PushFanoutJobName,
  type PushFanoutJob,
} from '../../../queue/queues.js';

const ENQUEUE_TIMEOUT_MS = 2000;

/** Enqueues campaign fan-outs (delayed for `sendAt`: a delayed job lives in Redis and survives restarts). */
@Injectable()
export class PushQueue {
  constructor(@InjectQueue(PUSH_FANOUT_QUEUE) private readonly fanout: Queue<PushFanoutJob>) {}

  /** Bounded: a Redis outage fails this within ENQUEUE_TIMEOUT_MS; the sweep then picks the campaign up. */
  async enqueueFanout(campaignId: string, sendAt: Date | null): Promise<void> {
    const delay = sendAt ? Math.max(0, sendAt.getTime() - Date.now()) : 0;
    const add = this.fanout.add(
      PushFanoutJobName.fanout,
      { campaignId },
      {
        jobId: `fanout-${campaignId}`,
        delay,
        attempts: 50,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    );
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        add,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One schedule for all workers (idempotent upsert). */
  async scheduleSweep(): Promise<void> {
    await this.fanout.upsertJobScheduler(
      'push-campaign-sweep',
      { every: PUSH_SWEEP_EVERY_MS },
      { name: PushFanoutJobName.sweep, data: { campaignId: '' } },
    );
  }
}
