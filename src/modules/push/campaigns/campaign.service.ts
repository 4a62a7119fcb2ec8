import { Injectable } from '@nestjs/common';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { UpstreamUnavailableError } from '../../../upstream/resilience/upstream.errors.js';
import { PushQueue } from '../queue/push.queue.js';
import { DEFAULT_TTL_SECONDS, type PushWebhookBody } from '../webhook/webhook.schema.js';
import { CampaignRepository } from './campaign.repository.js';
import type { CampaignStatus } from './campaign.types.js';

export interface AcceptedCampaign {
  campaignId: string;
  notificationId: string;
  status: 'queued' | 'scheduled';
  duplicate: boolean;
}

/** Turns a verified webhook into a durable campaign and its fan-out job. */
@Injectable()
export class CampaignService {
  private readonly log: AppLogger;

  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly queue: PushQueue,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('CampaignService');
  }

  /**
   * The campaign row is committed first (idempotent on notificationId), then its fan-out job is
   * enqueued (idempotent job id). If the enqueue fails the caller gets 503 and the campaign stays:
   * the worker's sweep starts it, and a retried webhook answers `duplicate: true`.
   */
  async accept(body: PushWebhookBody): Promise<AcceptedCampaign> {
    const sendAt = body.sendAt ? new Date(body.sendAt) : null;
    const created = await this.campaigns.create({
      notificationId: body.notificationId,
      noticeId: body.noticeId,
      todoId: body.todoId ?? null,
      category: body.category ?? null,
      ttlSeconds: body.ttlSeconds ?? DEFAULT_TTL_SECONDS,
      message: body.message,
      audienceType: body.audience.type,
      // resolved to people by the fan-out, so the webhook answers without looking up 10,000 subjects
      audienceSubjects: body.audience.type === 'users' ? body.audience.subjects : null,
      sendAt,
    });
    if (!isEnded(created.status)) {
      try {
        await this.queue.enqueueFanout(created.id, created.status === 'scheduled' ? sendAt : null);
      } catch (error) {
        this.log.warn(
          { campaignId: created.id, reason: (error as Error).message },
          'fan-out not enqueued; the sweep will start the campaign',
        );
        throw new UpstreamUnavailableError('queue', 'enqueue failed', 5);
      }
    }
    return {
      campaignId: created.id,
      notificationId: body.notificationId,
      status: created.status === 'scheduled' ? 'scheduled' : 'queued',
      duplicate: created.duplicate,
    };
  }
}

function isEnded(status: CampaignStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}
