import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue, Worker } from 'bullmq';
import { ConfigService } from '@nestjs/config';
import { AppLogger } from '../../../common/logging/app-logger.js';
import type { AppConfig } from '../../../config/app-config.js';
import {
  PUSH_SEND_QUEUE,
  PushSendJobName,
  type PushSendJob,
  PUSH_FANOUT_QUEUE,
  PUSH_SWEEP_EVERY_MS,
  PushFanoutJobName,
  type PushFanoutJob,
} from '../../../queue/queues.js';

const ENQUEUE_TIMEOUT_MS = 2000;
/** Attempts of a fan-out job (exponential from 1 s: about 4.5 hours); then the campaign ends failed. */
export const FANOUT_ATTEMPTS = 15;

/** Enqueues campaign fan-outs (delayed for `sendAt`: a delayed job lives in Redis and survives restarts). */
@Injectable()
export class PushQueue {
  private readonly log: AppLogger;
  private readonly sendAttempts: number;

  constructor(
    @InjectQueue(PUSH_FANOUT_QUEUE) private readonly fanout: Queue<PushFanoutJob>,
    @InjectQueue(PUSH_SEND_QUEUE) private readonly send: Queue<PushSendJob>,
    logger: AppLogger,
    config: ConfigService<AppConfig, true>,
  ) {
    this.log = logger.forContext('PushQueue');
    this.sendAttempts = config.get('push', { infer: true }).sendAttempts;
  }

  /**
   * Send jobs have deterministic ids `<campaignId>-<batchNo>` (BullMQ forbids ':'), so re-enqueueing
   * is a no-op. A job that failed for good is removed (its last attempt records the batch as
   * unrecoverable; if even that could not be written, the sweep enqueues the batch again).
   */
  async enqueueSends(campaignId: string, batchNos: number[]): Promise<void> {
    if (batchNos.length === 0) return;
    await this.send.addBulk(
      batchNos.map((batchNo) => ({
        name: PushSendJobName.send,
        data: { campaignId, batchNo },
        opts: {
          jobId: `${campaignId}-${batchNo}`,
          attempts: this.sendAttempts,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  /** Waiting send jobs (back-pressure of the fan-out). */
  sendWaiting(): Promise<number> {
    return this.send.getWaitingCount();
  }

  /** The global limiter, shared by every worker: jobs per second = messages per second / batch size. */
  async applyRateLimit(messagesPerSecond: number, batchSize: number): Promise<void> {
    await this.send.setGlobalRateLimit(Math.max(1, Math.floor(messagesPerSecond / batchSize)), 1000);
  }

  /** Every worker takes no send job for `ms` (BullMQ's manual rate limit, kept in Redis). */
  async pauseSending(ms: number): Promise<void> {
    if (ms > 0) await this.send.rateLimit(ms);
  }

  /** Bounded: a Redis outage fails this within ENQUEUE_TIMEOUT_MS; the sweep then picks the campaign up. */
  async enqueueFanout(campaignId: string, sendAt: Date | null): Promise<void> {
    const delay = sendAt ? Math.max(0, sendAt.getTime() - Date.now()) : 0;
    const add = this.fanout.add(
      PushFanoutJobName.fanout,
      { campaignId },
      {
        jobId: `fanout-${campaignId}`,
        delay,
        attempts: FANOUT_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
        removeOnComplete: true,
        removeOnFail: true,
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

  /**
   * Calls `onReturn` each time the fan-out queue's Redis connection is ready again after a loss: a
   * Redis restarted without persistence has lost every job, the global limiter and the sweep's
   * schedule, while the campaigns' state is safe in PostgreSQL.
   */
  onRedisReturn(onReturn: () => Promise<void>): void {
    let lost = false;
    const backend = this.fanout.getBackend();
    backend.on('close', () => {
      lost = true;
    });
    backend.on('ready', () => {
      if (!lost) return;
      lost = false;
      onReturn().catch((error: Error) =>
        this.log.warn(
          { reason: error.message },
          'push sweep after Redis returned failed; the schedule retries',
        ),
      );
    });
  }
}

/**
 * A worker's connection errors (Redis gone, a job's key lost with it) are logged: an EventEmitter
 * 'error' without a listener would throw inside BullMQ's job loop.
 */
export function workerErrorsToLog(worker: Worker, log: AppLogger): void {
  worker.on('error', (error: Error) => log.warn({ reason: error.message }, 'queue worker error'));
}
