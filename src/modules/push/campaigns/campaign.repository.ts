import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CampaignMessage, CampaignRow, CampaignStatus } from './campaign.types.js';

export interface NewCampaign {
  notificationId: string;
  noticeId: string | null;
  todoId: string | null;
  category: string | null;
  ttlSeconds: number;
  message: CampaignMessage;
  audienceType: 'users' | 'all';
  /** provider `sub` values of a `users` audience; the fan-out resolves them (resolveAudience) */
  audienceSubjects: string[] | null;
  sendAt: Date | null;
}

export interface DailyStatsRow {
  day: string;
  category: string;
  notifications: number;
  targeted: number;
  sent: number;
  failed: number;
  invalidTokens: number;
  received: number;
  opened: number;
}

/** push_campaigns and push_daily_stats queries. */
@Injectable()
export class CampaignRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Idempotent on notification_id by the unique constraint (concurrent duplicates included):
   * the loser of the race gets the winner's row with `duplicate: true`.
   */
  async create(c: NewCampaign): Promise<{ id: string; status: CampaignStatus; duplicate: boolean }> {
    const status: CampaignStatus = c.sendAt && c.sendAt.getTime() > Date.now() ? 'scheduled' : 'queued';
    const inserted: { id: string; status: CampaignStatus }[] = await this.dataSource.query(
      `INSERT INTO push_campaigns (notification_id, notice_id, todo_id, category, ttl_seconds, message,
                                   audience_type, audience_subjects, status, send_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
               CASE WHEN $8::jsonb IS NOT NULL THEN ARRAY(
                 SELECT s FROM jsonb_array_elements_text($8::jsonb) WITH ORDINALITY AS a(s, n) ORDER BY n)
               END,
               $9, $10)
       ON CONFLICT (notification_id) DO NOTHING
       RETURNING id, status`,
      [
        c.notificationId,
        c.noticeId,
        c.todoId,
        c.category,
        c.ttlSeconds,
        JSON.stringify(c.message),
        c.audienceType,
        // as JSON, not as a text[] parameter: pg escapes an array element by element in JS, which
        // was 11 % of the webhook's CPU for 10,000 subjects; JSON.stringify is native
        c.audienceSubjects && JSON.stringify(c.audienceSubjects),
        status,
        c.sendAt,
      ],
    );
    if (inserted[0]) return { ...inserted[0], duplicate: false };
    const existing: { id: string; status: CampaignStatus }[] = await this.dataSource.query(
      `SELECT id, status FROM push_campaigns WHERE notification_id = $1`,
      [c.notificationId],
    );
    return { ...existing[0], duplicate: true };
  }

  /**
   * Stores the person ids of a `users` audience once (the first fan-out to get here wins; the
   * subjects, personal identifiers no longer needed, are cleared). Returns the row as it is now.
   */
  async resolveAudience(id: string, personIds: string[]): Promise<CampaignRow | null> {
    await this.dataSource.query(
      `UPDATE push_campaigns SET audience_person_ids = $2, audience_subjects = NULL, updated_at = now()
        WHERE id = $1 AND audience_type = 'users' AND audience_person_ids IS NULL`,
      [id, personIds],
    );
    return this.get(id);
  }

  async get(id: string): Promise<CampaignRow | null> {
    const rows: CampaignRow[] = await this.dataSource.query(`SELECT * FROM push_campaigns WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** Newest first, keyset on (created_at, id). */
  async list(limit: number, after: { createdAt: Date; id: string } | null): Promise<CampaignRow[]> {
    return this.dataSource.query(
      `SELECT * FROM push_campaigns
        WHERE ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit, after?.createdAt ?? null, after?.id ?? null],
    );
  }

  /**
   * Sets the cancel flag of a campaign that has not ended; a scheduled one (nothing sent yet) ends
   * at once. Null when the campaign is unknown; the row as it is when it had already ended.
   */
  async requestCancel(id: string): Promise<{ row: CampaignRow; ended: boolean } | null> {
    const [rows] = await this.dataSource.query<[CampaignRow[], number]>(
      `UPDATE push_campaigns
          SET cancel_requested = true, updated_at = now(),
              status = CASE WHEN status = 'scheduled' OR (status = 'queued' AND batches_total = 0) THEN 'cancelled' ELSE status END,
              completed_at = CASE WHEN status = 'scheduled' OR (status = 'queued' AND batches_total = 0) THEN now() ELSE completed_at END
        WHERE id = $1 AND status IN ('scheduled', 'queued', 'sending')
        RETURNING *`,
      [id],
    );
    if (rows[0]) return { row: rows[0], ended: false };
    const row = await this.get(id);
    return row ? { row, ended: true } : null;
  }

  /** Campaigns that should be moving: due scheduled ones, queued and sending (the sweep re-enqueues them). */
  async unfinished(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM push_campaigns
        WHERE status IN ('queued', 'sending') OR (status = 'scheduled' AND send_at <= now())
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  async daily(from: string, to: string): Promise<DailyStatsRow[]> {
    const rows: Record<string, string>[] = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, category, notifications, targeted, sent, failed,
              invalid_tokens, received, opened
         FROM push_daily_stats WHERE day BETWEEN $1::date AND $2::date ORDER BY day, category`,
      [from, to],
    );
    return rows.map(toDaily);
  }

  /** Per month and category; `from`/`to` are YYYY-MM. */
  async monthly(from: string, to: string): Promise<DailyStatsRow[]> {
    const rows: Record<string, string>[] = await this.dataSource.query(
      `SELECT to_char(date_trunc('month', day), 'YYYY-MM') AS day, category,
              sum(notifications) AS notifications, sum(targeted) AS targeted, sum(sent) AS sent,
              sum(failed) AS failed, sum(invalid_tokens) AS invalid_tokens, sum(received) AS received,
              sum(opened) AS opened
         FROM push_daily_stats
        WHERE day >= ($1 || '-01')::date AND day < (($2 || '-01')::date + interval '1 month')
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to],
    );
    return rows.map(toDaily);
  }
}

function toDaily(r: Record<string, string>): DailyStatsRow {
  return {
    day: r.day,
    category: r.category,
    notifications: Number(r.notifications),
    targeted: Number(r.targeted),
    sent: Number(r.sent),
    failed: Number(r.failed),
    invalidTokens: Number(r.invalid_tokens),
    received: Number(r.received),
    opened: Number(r.opened),
  };
}
