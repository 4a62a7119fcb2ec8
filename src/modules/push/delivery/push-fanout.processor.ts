import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppLogger } from '../../../common/logging/app-logger.js';
import type { AppConfig } from '../../../config/app-config.js';
import { Metrics } from '../../../metrics/metrics.js';
import { PUSH_FANOUT_QUEUE, PushFanoutJobName, type PushFanoutJob } from '../../../queue/queues.js';
import { PersonDirectory } from '../../account-link/index.js';
import { CampaignRepository } from '../campaigns/campaign.repository.js';
import { ENDED } from '../campaigns/campaign.types.js';
import { PushQueue, workerErrorsToLog } from '../queue/push.queue.js';
import { PushRegistrationRepository } from '../registrations/push-registration.repository.js';
import { DeliveryRepository } from './delivery.repository.js';

const BACKPRESSURE_POLL_MS = 100;

/**
 * Walks a campaign's audience with a keyset cursor, one page = one batch row committed with the
 * cursor, then its send job. The next page waits while the send queue holds PUSH_SEND_QUEUE_MAX_WAITING
 * jobs (back-pressure: Redis holds a bounded number of jobs whatever the audience). A crash resumes
 * from the committed cursor; unrecorded batches are re-enqueued (idempotent job ids).
 */
@Processor(PUSH_FANOUT_QUEUE, { concurrency: 4 })
@Injectable()
export class PushFanoutProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly settings: AppConfig['push'];
  private readonly log: AppLogger;
  private stopping = false;

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly registrations: PushRegistrationRepository,
    private readonly queue: PushQueue,
    private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
    private readonly people: PersonDirectory,
    config: ConfigService<AppConfig, true>,
    logger: AppLogger,
  ) {
    super();
    this.settings = config.get('push', { infer: true });
    this.log = logger.forContext('PushFanout');
  }

  /** Restarts campaigns whose jobs were lost (Redis restarted, enqueue failed), now, periodically and when Redis returns. */
  async onApplicationBootstrap(): Promise<void> {
    workerErrorsToLog(this.worker, this.log);
    await this.sweep();
    await this.queue.scheduleSweep();
    this.queue.onRedisReturn(async () => {
      await this.queue.scheduleSweep();
      await this.sweep();
    });
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async process(job: Job<PushFanoutJob>): Promise<void> {
    if (job.name === PushFanoutJobName.sweep) return this.sweep();
    try {
      await this.fanout(job.data.campaignId);
    } catch (error) {
      if (this.stopping || job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
      // the last attempt: the audience stops at the committed cursor, the campaign ends failed (ADR 0019)
      this.log.error(
        { campaignId: job.data.campaignId, reason: (error as Error).message },
        'push fan-out failed for good; the campaign ends failed',
      );
      await this.deliveries.failFanout(job.data.campaignId);
      if (await this.deliveries.completeIfDone(job.data.campaignId))
        this.metrics.pushCampaignEvents.inc({ event: 'ended' });
    }
  }

  /** Keeps event partitions ahead and restarts campaigns whose jobs were lost. */
  private async sweep(): Promise<void> {
    await this.dataSource.query(`SELECT push_ensure_event_partitions(3)`);
    for (const id of await this.campaigns.unfinished(1000)) {
      await this.queue
        .enqueueFanout(id, null)
        .catch((error: unknown) =>
          this.log.warn({ campaignId: id, reason: (error as Error).message }, 'sweep could not enqueue'),
        );
    }
  }

  private async fanout(campaignId: string): Promise<void> {
    let c = await this.campaigns.get(campaignId);
    if (!c || ENDED.includes(c.status)) return;
    if (c.status === 'scheduled' && c.send_at && c.send_at.getTime() > Date.now()) return; // its delayed job comes
    if (c.audience_type === 'users' && c.audience_person_ids === null) {
      // people linked by the time of sending are the audience (API.md: unknown subjects are skipped)
      const ids = await this.people.personIdsBySubjects(c.audience_subjects ?? []);
      const resolved = await this.campaigns.resolveAudience(campaignId, ids);
      if (!resolved) return;
      c = resolved;
    }
    await this.deliveries.start(c);
    await this.queue.enqueueSends(campaignId, await this.deliveries.unrecordedBatches(campaignId));

    while (!c.fanout_done) {
      if (this.stopping) throw new Error('worker stopping; the fan-out resumes from its cursor');
      if (c.cancel_requested) {
        await this.deliveries.stopFanout(campaignId);
        break;
      }
      while ((await this.queue.sendWaiting()) >= this.settings.sendQueueMaxWaiting) {
        if (this.stopping) throw new Error('worker stopping; the fan-out resumes from its cursor');
        await new Promise((r) => setTimeout(r, BACKPRESSURE_POLL_MS));
      }
      const ids = await this.registrations.audiencePage(
        c.fanout_cursor,
        this.settings.batchSize,
        c.audience_type === 'users' ? (c.audience_person_ids ?? []) : null,
      );
      const last = ids.length < this.settings.batchSize;
      const ok = await this.deliveries.addBatch(
        c,
        { cursor: c.fanout_cursor, batchesTotal: c.batches_total },
        ids,
        last,
      );
      if (!ok) return; // another fan-out of this campaign is ahead
      if (ids.length > 0) {
        await this.queue.enqueueSends(campaignId, [c.batches_total + 1]);
        this.metrics.pushCampaignEvents.inc({ event: 'batches_enqueued' });
      }
      const next = await this.campaigns.get(campaignId);
      if (!next) return;
      c = next;
    }
    if (await this.deliveries.completeIfDone(campaignId))
      this.metrics.pushCampaignEvents.inc({ event: 'ended' });
  }
}
