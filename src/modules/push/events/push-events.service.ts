import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

export type PushEventType = 'received' | 'opened';

/**
 * received/opened events. Idempotent per (person, notification, type): the delivery row's
 * received_at/opened_at is set once, and only that first time are the event logged (monthly
 * partitioned push_events) and the campaign and daily counters incremented, in one transaction.
 */
@Injectable()
export class PushEventsService {
  private readonly log: AppLogger;

  constructor(
    private readonly dataSource: DataSource,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('PushEvents');
  }

  /** 404 NOT_FOUND when that notification was never sent to this person. */
  async record(personId: string, notificationId: string, type: PushEventType): Promise<void> {
    const known: { campaign_id: string }[] = await this.dataSource.query(
      `SELECT d.campaign_id FROM push_deliveries d JOIN push_campaigns c ON c.id = d.campaign_id
        WHERE c.notification_id = $1 AND d.person_id = $2`,
      [notificationId, personId],
    );
    if (!known[0]) throw new DomainException(ErrorCode.NOT_FOUND);
    await this.mark(known[0].campaign_id, personId, type, 'app');
  }

  /**
   * The notice detail was read through the app: counts as `opened` for the latest push that carried
   * this notice to the person, once. Fire-and-forget for the notices module: never throws.
   */
  noticeRead(personId: string, noticeId: string): void {
    void this.noticeOpened(personId, noticeId).catch((error: unknown) =>
      this.log.warn({ reason: (error as Error).message }, 'notice-open event not recorded'),
    );
  }

  private async noticeOpened(personId: string, noticeId: string): Promise<void> {
    const rows: { campaign_id: string }[] = await this.dataSource.query(
      `SELECT d.campaign_id FROM push_deliveries d JOIN push_campaigns c ON c.id = d.campaign_id
        WHERE d.person_id = $1 AND c.notice_id = $2 ORDER BY d.sent_at DESC LIMIT 1`,
      [personId, noticeId],
    );
    if (rows[0]) await this.mark(rows[0].campaign_id, personId, 'opened', 'notice_detail');
  }

  private async mark(
    campaignId: string,
    personId: string,
    type: PushEventType,
    source: string,
  ): Promise<void> {
    const column = type === 'opened' ? 'opened_at' : 'received_at';
    const counter = type === 'opened' ? 'opened' : 'received';
    await this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[{ campaign_id: string }[], number]>(
        `UPDATE push_deliveries SET ${column} = now()
          WHERE campaign_id = $1 AND person_id = $2 AND ${column} IS NULL RETURNING campaign_id`,
        [campaignId, personId],
      );
      if (rows.length === 0) return; // already recorded: idempotent
      await m.query(
        `INSERT INTO push_events (campaign_id, person_id, type, source) VALUES ($1, $2, $3, $4)`,
        [campaignId, personId, type, source],
      );
      const [c] = await m.query<[{ category: string | null }[], number]>(
        `UPDATE push_campaigns SET ${counter} = ${counter} + 1 WHERE id = $1 RETURNING category`,
        [campaignId],
      );
      await m.query(
        `INSERT INTO push_daily_stats (day, category, ${counter})
         VALUES ((now() AT TIME ZONE 'Asia/Tokyo')::date, $1, 1)
         ON CONFLICT (day, category) DO UPDATE SET ${counter} = push_daily_stats.${counter} + 1`,
        [c[0]?.category ?? 'default'],
      );
    });
  }
}
