import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { enqueueWithin } from '../../../queue/bounded-enqueue.js';
import {
  REVOCATION_SWEEP_EVERY_MS,
  TOKEN_REVOCATION_QUEUE,
  TokenRevocationJobName,
  type TokenRevocationJob,
} from '../../../queue/queues.js';

/** Enqueues revocations of refresh tokens at the provider, retried with backoff while it is down. */
@Injectable()
export class TokenRevocationQueue {
  private readonly log: AppLogger;

  constructor(
    @InjectQueue(TOKEN_REVOCATION_QUEUE) private readonly queue: Queue<TokenRevocationJob>,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('TokenRevocationQueue');
  }

  /**
   * Best effort, bounded: the rows in token_revocations are the durable record, so a failed or
   * slow enqueue (Redis down) is logged and picked up by the worker's sweep instead of failing or
   * holding up the request.
   */
  async enqueue(revocationIds: string[]): Promise<void> {
    if (revocationIds.length === 0) return;
    try {
      await enqueueWithin(
        this.queue.addBulk(
          revocationIds.map((revocationId) => ({
            name: TokenRevocationJobName.revoke,
            data: { revocationId },
            opts: {
              jobId: `revoke-${revocationId}`,
              attempts: 30,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: true,
              removeOnFail: 1000,
            },
          })),
        ),
      );
    } catch (error) {
      this.log.warn(
        { revocationIds, reason: (error as Error).message },
        'revocation not enqueued; sweep will retry',
      );
    }
  }

  /** One schedule for all workers (BullMQ job scheduler, idempotent upsert). */
  async scheduleSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'token-revocation-sweep',
      { every: REVOCATION_SWEEP_EVERY_MS },
      { name: TokenRevocationJobName.sweep, data: { revocationId: '' } },
    );
  }

  /**
   * Calls `onReturn` each time the queue's Redis connection is ready again after a loss: a Redis
   * restarted without persistence has lost the sweep's schedule and every queued job.
   */
  onRedisReturn(onReturn: () => Promise<void>): void {
    this.queue.getBackend().on('ready', () => {
      onReturn().catch((error: Error) =>
        this.log.warn({ reason: error.message }, 'sweep after Redis returned failed; the schedule retries'),
      );
    });
  }
}
