import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppLogger } from '../../../common/logging/app-logger.js';
import {
  REVOCATION_SWEEP_EVERY_MS,
  TOKEN_REVOCATION_QUEUE,
  TokenRevocationJobName,
  type TokenRevocationJob,
} from '../../../queue/queues.js';

/**
 * How long a request waits for an enqueue. BullMQ queues commands while Redis is down (it needs
 * `maxRetriesPerRequest: null`), so an unbounded `add` would hold the unlink until Redis returns.
 */
const ENQUEUE_WAIT_MS = 500;

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
   * Best effort: the row in token_revocations is the durable record, so a failed enqueue (Redis
   * down) is logged and picked up by the worker's sweep instead of failing the request.
   */
  async enqueue(revocationIds: string[]): Promise<void> {
    for (const revocationId of revocationIds) {
      try {
        // Not awaited past the bound: a queued add still runs when Redis returns (same jobId, so at most one job).
        const added = this.queue.add(
          TokenRevocationJobName.revoke,
          { revocationId },
          {
            jobId: `revoke-${revocationId}`,
            attempts: 30,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        );
        added.catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          added,
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error('queue unavailable')), ENQUEUE_WAIT_MS);
          }),
        ]).finally(() => clearTimeout(timer));
      } catch (error) {
        this.log.warn(
          { revocationId, reason: (error as Error).message },
          'revocation not enqueued; sweep will retry',
        );
      }
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
