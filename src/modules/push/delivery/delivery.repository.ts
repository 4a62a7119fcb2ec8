import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CampaignRow } from '../campaigns/campaign.types.js';

export interface BatchOutcome {
  sent: { deviceLinkId: string; personId: string }[];
  failed: number;
  /** device links whose tokens FCM declared dead: their registrations are deleted */
  dead: string[];
  cancelled: number;
  /** the batch's send job spent every attempt: its tokens are counted failed (ADR 0019) */
  unrecoverable?: boolean;
}

/** The fan-out's and sender's writes: batches with the cursor, outcomes once, completion. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Moves a queued (or due scheduled) campaign to sending; counts the notification in the day's stats once. */
  async start(c: CampaignRow): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[{ id: string }[], number]>(
        `UPDATE push_campaigns SET status = 'sending', started_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ('scheduled', 'queued') RETURNING id`,
        [c.id],
      );
      if (rows.length > 0) await bumpDaily(m, c.category, { notifications: 1 });
    });
  }

  /**
   * Commits one page of the audience as batch `batchNo` together with the advanced cursor and the
   * targeted count. Conditional on the cursor the caller read, so two fan-outs of one campaign never
   * both write a page. False when another fan-out got there first.
   */
  async addBatch(
    c: { id: string; category: string | null },
    expected: { cursor: string | null; batchesTotal: number },
    deviceLinkIds: string[],
    last: boolean,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[{ id: string }[], number]>(
        `UPDATE push_campaigns
            SET fanout_cursor = COALESCE($2::uuid, fanout_cursor), batches_total = batches_total + $3,
                targeted = targeted + $4, fanout_done = $5, updated_at = now()
          WHERE id = $1 AND fanout_cursor IS NOT DISTINCT FROM $6::uuid AND batches_total = $7 AND NOT fanout_done
          RETURNING id`,
        [
          c.id,
          deviceLinkIds[deviceLinkIds.length - 1] ?? null,
          deviceLinkIds.length > 0 ? 1 : 0,
          deviceLinkIds.length,
          last,
          expected.cursor,
          expected.batchesTotal,
        ],
      );
      if (rows.length === 0) return false;
      if (deviceLinkIds.length > 0) {
        await m.query(
          `INSERT INTO push_batches (campaign_id, batch_no, device_link_ids) VALUES ($1, $2, $3)`,
          [c.id, expected.batchesTotal + 1, deviceLinkIds],
        );
        await bumpDaily(m, c.category, { targeted: deviceLinkIds.length });
      }
      return true;
    });
  }

  /** Stops the fan-out of a cancelled campaign (tokens never enumerated were never targeted). */
  async stopFanout(campaignId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE push_campaigns SET fanout_done = true, updated_at = now() WHERE id = $1`,
      [campaignId],
    );
  }

  async unrecordedBatches(campaignId: string): Promise<number[]> {
    const rows: { batch_no: number }[] = await this.dataSource.query(
      `SELECT batch_no FROM push_batches WHERE campaign_id = $1 AND recorded_at IS NULL ORDER BY batch_no`,
      [campaignId],
    );
    return rows.map((r) => r.batch_no);
  }

  async batch(
    campaignId: string,
    batchNo: number,
  ): Promise<{ deviceLinkIds: string[]; recorded: boolean } | null> {
    const rows: { device_link_ids: string[]; recorded_at: Date | null }[] = await this.dataSource.query(
      `SELECT device_link_ids, recorded_at FROM push_batches WHERE campaign_id = $1 AND batch_no = $2`,
      [campaignId, batchNo],
    );
    const r = rows[0];
    return r ? { deviceLinkIds: r.device_link_ids, recorded: r.recorded_at !== null } : null;
  }

  /**
   * Records a batch's outcome exactly once (the batch row's recorded_at is the guard) in one
   * transaction with the campaign counters, deliveries, dead-token deletion and daily stats, so
   * sent + failed + invalidTokens + cancelledTokens = targeted holds exactly. False if already recorded.
   */
  async record(
    c: { id: string; category: string | null },
    batchNo: number,
    o: BatchOutcome,
    deleteDead: (m: EntityManager, ids: string[]) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[{ batch_no: number }[], number]>(
        `UPDATE push_batches SET recorded_at = now(), sent = $3, failed = $4, invalid_tokens = $5, cancelled_tokens = $6,
                unrecoverable = $7
          WHERE campaign_id = $1 AND batch_no = $2 AND recorded_at IS NULL RETURNING batch_no`,
        [c.id, batchNo, o.sent.length, o.failed, o.dead.length, o.cancelled, o.unrecoverable === true],
      );
      if (rows.length === 0) return false;
      await m.query(
        `UPDATE push_campaigns
            SET sent = sent + $2, failed = failed + $3, invalid_tokens = invalid_tokens + $4,
                cancelled_tokens = cancelled_tokens + $5, batches_recorded = batches_recorded + 1,
                failed_batches = failed_batches + $6, updated_at = now()
          WHERE id = $1`,
        [c.id, o.sent.length, o.failed, o.dead.length, o.cancelled, o.unrecoverable ? 1 : 0],
      );
      if (o.sent.length > 0)
        await m.query(
          `INSERT INTO push_deliveries (campaign_id, person_id, device_link_id)
           SELECT $1, p, d FROM unnest($2::uuid[], $3::uuid[]) AS t(p, d)
           ON CONFLICT DO NOTHING`,
          [c.id, o.sent.map((s) => s.personId), o.sent.map((s) => s.deviceLinkId)],
        );
      await deleteDead(m, o.dead);
      await bumpDaily(m, c.category, {
        sent: o.sent.length,
        failed: o.failed,
        invalid_tokens: o.dead.length,
      });
      return true;
    });
  }

  /**
   * Stops the fan-out of a campaign whose fan-out job spent every attempt: the audience ends where
   * the committed cursor is (tokens never enumerated were never targeted), the batches already made
   * still go out, and the campaign ends `failed`.
   */
  async failFanout(campaignId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE push_campaigns SET fanout_done = true, fanout_failed = true, updated_at = now()
        WHERE id = $1 AND NOT fanout_done`,
      [campaignId],
    );
  }

  /**
   * Ends a campaign whose fan-out is done and every batch recorded. True when this call ended it.
   * Cancelled when cancellation was asked; failed when a batch was unrecoverable or the fan-out
   * failed for good (ADR 0019); completed otherwise. The totals add up in every case.
   */
  async completeIfDone(campaignId: string): Promise<boolean> {
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE push_campaigns
          SET status = CASE WHEN cancel_requested THEN 'cancelled'
                            WHEN failed_batches > 0 OR fanout_failed THEN 'failed'
                            ELSE 'completed' END,
              completed_at = now(), updated_at = now()
        WHERE id = $1 AND fanout_done AND batches_recorded = batches_total
          AND status IN ('queued', 'sending')
        RETURNING id`,
      [campaignId],
    );
    return rows.length > 0;
  }
}

async function bumpDaily(
  m: EntityManager,
  category: string | null,
  add: Partial<Record<'notifications' | 'targeted' | 'sent' | 'failed' | 'invalid_tokens', number>>,
): Promise<void> {
  const cols = Object.keys(add) as (keyof typeof add)[];
  if (cols.every((k) => !add[k])) return;
  await m.query(
    `INSERT INTO push_daily_stats (day, category, ${cols.join(', ')})
     VALUES ((now() AT TIME ZONE 'Asia/Tokyo')::date, $1, ${cols.map((_, i) => `$${i + 2}`).join(', ')})
     ON CONFLICT (day, category) DO UPDATE SET ${cols.map((k) => `${k} = push_daily_stats.${k} + EXCLUDED.${k}`).join(', ')}`,
    [category ?? 'default', ...cols.map((k) => add[k] ?? 0)],
  );
}
