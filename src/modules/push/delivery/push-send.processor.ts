import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Worker, type Job } from 'bullmq';
import { AppLogger } from '../../../common/logging/app-logger.js';
import type { AppConfig } from '../../../config/app-config.js';
import { Metrics } from '../../../metrics/metrics.js';
import { PUSH_SEND_QUEUE, type PushSendJob } from '../../../queue/queues.js';
import { FcmClient } from '../../../upstream/fcm/fcm.client.js';
import { UpstreamUnavailableError } from '../../../upstream/resilience/upstream.errors.js';
import { CampaignRepository } from '../campaigns/campaign.repository.js';
import { PushQueue, workerErrorsToLog } from '../queue/push.queue.js';
import { PushRegistrationRepository } from '../registrations/push-registration.repository.js';
import { sendBatch } from './batch-sender.js';
import { DeliveryRepository } from './delivery.repository.js';
import { buildMessage } from './push-message.js';

/** Rounds a throttled (429) token is tried within one job before it counts as failed. */
const MAX_THROTTLED_ATTEMPTS = 30;

/**
 * Sends one batch and records its outcome once. A cancelled campaign's batch is recorded as
 * cancelled without sending; registrations gone since the fan-out (unlinked, disabled) are
 * cancelled too (never tried). A crash between sending and recording re-sends at most this batch.
 */
@Processor(PUSH_SEND_QUEUE, { concurrency: 16 })
@Injectable()
export class PushSendProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly settings: AppConfig['push'];
  private readonly fcmSettings: AppConfig['fcm'];
  private readonly log: AppLogger;

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly registrations: PushRegistrationRepository,
    private readonly queue: PushQueue,
    private readonly fcm: FcmClient,
    private readonly metrics: Metrics,
    config: ConfigService<AppConfig, true>,
    logger: AppLogger,
  ) {
    super();
    this.log = logger.forContext('PushSend');
    this.settings = config.get('push', { infer: true });
    this.fcmSettings = config.get('fcm', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    workerErrorsToLog(this.worker, this.log);
    this.worker.concurrency = this.settings.sendConcurrency;
    await this.queue.applyRateLimit(this.fcmSettings.rateLimitPerSecond, this.settings.batchSize);
    // the limiter lives in Redis: a Redis restarted empty has forgotten it
    this.queue.onRedisReturn(() =>
      this.queue.applyRateLimit(this.fcmSettings.rateLimitPerSecond, this.settings.batchSize),
    );
  }

  async process(job: Job<PushSendJob>): Promise<void> {
    try {
      await this.sendAndRecord(job);
    } catch (error) {
      if ((error as Error).message === Worker.RateLimitError().message) throw error;
      if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
      await this.recordUnrecoverable(job.data, error as Error);
    }
  }

  /**
   * The last attempt of a batch failed (ADR 0019): its tokens are counted failed, once, so the
   * totals add up, and the campaign will end `failed`. FCM outages and throttling never get here
   * (they spend no attempt); this is for faults that do not pass (a token that cannot be decrypted,
   * a bug).
   */
  private async recordUnrecoverable({ campaignId, batchNo }: PushSendJob, error: Error): Promise<void> {
    const campaign = await this.campaigns.get(campaignId);
    const batch = await this.deliveries.batch(campaignId, batchNo);
    if (!campaign || !batch || batch.recorded) return;
    this.log.error(
      { campaignId, batchNo, tokens: batch.deviceLinkIds.length, reason: error.message },
      'push batch unrecoverable; its tokens are counted failed',
    );
    const outcome = {
      sent: [],
      failed: batch.deviceLinkIds.length,
      dead: [],
      cancelled: 0,
      unrecoverable: true,
    };
    if (!(await this.deliveries.record(campaign, batchNo, outcome, async () => undefined))) return;
    this.metrics.pushMessages.inc({ outcome: 'failed' }, outcome.failed);
    this.metrics.pushCampaignEvents.inc({ event: 'batches_unrecoverable' });
    if (await this.deliveries.completeIfDone(campaignId))
      this.metrics.pushCampaignEvents.inc({ event: 'ended' });
  }

  private async sendAndRecord(job: Job<PushSendJob>): Promise<void> {
    const { campaignId, batchNo } = job.data;
    const campaign = await this.campaigns.get(campaignId);
    const batch = await this.deliveries.batch(campaignId, batchNo);
    if (!campaign || !batch || batch.recorded) return;
    const end = this.metrics.pushBatchDuration.startTimer();

    let outcome = {
      sent: [] as { deviceLinkId: string; personId: string }[],
      failed: 0,
      dead: [] as string[],
      cancelled: 0,
    };
    if (campaign.cancel_requested) {
      outcome.cancelled = batch.deviceLinkIds.length;
    } else {
      const regs = await this.registrations.sendable(batch.deviceLinkIds);
      const result = await this.send(regs, (r) => buildMessage(campaign, r.token, r.locale));
      outcome = {
        sent: result.sent.map((r) => ({ deviceLinkId: r.deviceLinkId, personId: r.personId })),
        failed: result.failed.length,
        dead: result.dead.map((r) => r.deviceLinkId),
        cancelled: batch.deviceLinkIds.length - regs.length,
      };
      this.metrics.pushMessages.inc({ outcome: 'retried' }, result.retries);
      this.metrics.pushMessages.inc({ outcome: 'throttled' }, result.throttled);
    }
    const recorded = await this.deliveries.record(campaign, batchNo, outcome, (m, ids) =>
      this.registrations.deleteDead(m, ids),
    );
    end({ outcome: recorded ? 'recorded' : 'duplicate' });
    if (!recorded) return;
    this.metrics.pushMessages.inc({ outcome: 'sent' }, outcome.sent.length);
    this.metrics.pushMessages.inc({ outcome: 'failed' }, outcome.failed);
    this.metrics.pushMessages.inc({ outcome: 'invalid_token' }, outcome.dead.length);
    this.metrics.pushMessages.inc({ outcome: 'cancelled' }, outcome.cancelled);
    this.metrics.pushCampaignEvents.inc({ event: 'batches_recorded' });
    if (await this.deliveries.completeIfDone(campaignId))
      this.metrics.pushCampaignEvents.inc({ event: 'ended' });
  }

  /**
   * FCM down or the breaker open: nothing of this batch was delivered in this attempt. Every worker
   * stops taking send jobs for the breaker's reset time (the queue's limiter lives in Redis) and
   * this job goes back to waiting without spending an attempt, so an outage of any length pauses
   * sending and it resumes by itself (the breaker's half-open probe) when FCM returns. Throttling
   * (429) slows every worker down by FCM's Retry-After the same way.
   */
  private async send(
    regs: Awaited<ReturnType<PushRegistrationRepository['sendable']>>,
    build: Parameters<typeof sendBatch>[2],
  ): Promise<Awaited<ReturnType<typeof sendBatch>>> {
    try {
      return await sendBatch(this.fcm, regs, build, {
        maxAttempts: 5,
        maxThrottledAttempts: MAX_THROTTLED_ATTEMPTS,
        baseDelayMs: 500,
        maxDelayMs: 8000,
        onThrottle: async (ms) => {
          this.log.warn({ retryAfterMs: ms }, 'FCM throttled; sending slowed');
          await this.queue.pauseSending(ms);
        },
      });
    } catch (error) {
      if (!(error instanceof UpstreamUnavailableError)) throw error;
      const pauseMs = (error.retryAfterSeconds ?? 1) * 1000;
      this.log.warn(
        { reason: (error.cause as Error | undefined)?.message, pauseMs },
        'FCM unavailable; sending paused',
      );
      this.metrics.pushCampaignEvents.inc({ event: 'paused' });
      await this.queue.pauseSending(pauseMs);
      throw Worker.RateLimitError();
    }
  }
}
