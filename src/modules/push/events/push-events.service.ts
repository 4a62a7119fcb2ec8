import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppLogger } from '../../../common/logging/app-logger.js';
import { DomainException } from '../../../common/errors/domain.exception.js';
import { ErrorCode } from '../../../common/errors/error-code.js';

export type PushEventType = 'received' | 'opened';

/** Notice-detail reads are matched to pushes in batches, at most this long after the read. */
export const NOTICE_READ_FLUSH_MS = 1_000;
/** A batch this large is matched at once. */
const NOTICE_READ_BATCH = 1_000;

/**
 * received/opened events. Idempotent per (person, notification, type): the delivery row's
 * received_at/opened_at is set once, and only that first time are the event logged (monthly
 * partitioned push_events) and the campaign and daily counters incremented, in one transaction.
 */
@Injectable()
export class PushEventsService implements OnModuleInit, OnApplicationShutdown {
  private readonly log: AppLogger;
  /** Reads not matched yet, by person and notice (a second read of the same notice adds nothing). */
  private noticeReads = new Map<string, { personId: string; noticeId: string }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    logger: AppLogger,
  ) {
    this.log = logger.forContext('PushEvents');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flushNoticeReads(), NOTICE_READ_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushNoticeReads();
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
   * this notice to the person, once. Never fails or slows the read: reads are collected and matched
   * to pushes with one query a second (NOTICE_READ_FLUSH_MS), not one per detail request — most
   * reads match nothing, or a push already opened. A crash loses at most that second's matches.
   */
  noticeRead(personId: string, noticeId: string): void {
    this.noticeReads.set(`${personId}\n${noticeId}`, { personId, noticeId });
    if (this.noticeReads.size >= NOTICE_READ_BATCH) void this.flushNoticeReads();
  }

  /** Matches the reads collected so far (also called by tests). Never throws. */
  async flushNoticeReads(): Promise<void> {
    if (this.noticeReads.size === 0) return;
    const reads = [...this.noticeReads.values()];
    this.noticeReads = new Map();
    try {
      const unopened: { campaign_id: string; person_id: string }[] = await this.dataSource.query(
        `SELECT latest.campaign_id, latest.person_id FROM (
           SELECT DISTINCT ON (d.person_id, c.notice_id) d.campaign_id, d.person_id, d.opened_at
             FROM unnest($1::uuid[], $2::text[]) AS r(person_id, notice_id)
             JOIN push_deliveries d ON d.person_id = r.person_id
             JOIN push_campaigns c ON c.id = d.campaign_id AND c.notice_id = r.notice_id
            ORDER BY d.person_id, c.notice_id, d.sent_at DESC
         ) latest WHERE latest.opened_at IS NULL`,
        [reads.map((r) => r.personId), reads.map((r) => r.noticeId)],
      );
      for (const row of unopened) await this.mark(row.campaign_id, row.person_id, 'opened', 'notice_detail');
    } catch (error) {
      this.log.warn(
        { reason: (error as Error).message, reads: reads.length },
        'notice-open events not recorded',
      );
    }
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
