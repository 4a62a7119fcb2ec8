import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openExportCursor, type RowCursor } from '../../../database/export-cursor.js';

/** Operators' days are Japanese calendar days. */
export const STATS_TIME_ZONE = 'Asia/Tokyo';

export interface DailyLinkStats {
  day: string;
  /** People with an active link at the end of the day (one active link per person). */
  linkedPeople: number;
  links: number;
  unlinks: number;
}

/** A row of the devices export: never a token or a token hash. */
export interface DeviceExportRow {
  id: string;
  person_id: string;
  platform: string;
  locale: string;
  linked_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export type { RowCursor };

/**
 * Read-only figures over device links for delivery status management (other modules never read
 * account-link's tables). Grouped queries over the linked_at / revoked_at indexes: no per-day scan.
 */
@Injectable()
export class LinkStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Links, unlinks and linked people per JST day of [from, to]. `linkedBefore` is the number of
   * people linked at the start of `from` when the caller knows it (the figure of the day before,
   * kept once that day ended): then only the range's own links and revocations are grouped, over
   * the indexes. Without it the query also counts every link made and revoked before the range.
   */
  async daily(from: string, to: string, linkedBefore?: number): Promise<DailyLinkStats[]> {
    const base =
      linkedBefore === undefined
        ? `SELECT (SELECT count(*) FROM device_links, bounds WHERE linked_at < bounds.start)
                - (SELECT count(*) FROM device_links, bounds WHERE revoked_at < bounds.start) AS n`
        : `SELECT $4::bigint AS n`;
    const params: unknown[] = [from, to, STATS_TIME_ZONE];
    if (linkedBefore !== undefined) params.push(linkedBefore);
    const rows = await this.dataSource.query<
      { day: string; linked_people: string; links: string; unlinks: string }[]
    >(
      `WITH bounds AS (
         SELECT ($1::date::timestamp AT TIME ZONE $3) AS start, (($2::date + 1)::timestamp AT TIME ZONE $3) AS stop
       ),
       days AS (SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d),
       l AS (
         SELECT (linked_at AT TIME ZONE $3)::date AS day, count(*) AS n
           FROM device_links, bounds WHERE linked_at >= bounds.start AND linked_at < bounds.stop GROUP BY 1
       ),
       r AS (
         SELECT (revoked_at AT TIME ZONE $3)::date AS day, count(*) AS n,
                count(*) FILTER (WHERE revoked_reason = 'unlinked') AS unlinks
           FROM device_links, bounds WHERE revoked_at >= bounds.start AND revoked_at < bounds.stop GROUP BY 1
       ),
       base AS (${base})
       SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
              coalesce(l.n, 0) AS links,
              coalesce(r.unlinks, 0) AS unlinks,
              base.n + sum(coalesce(l.n, 0) - coalesce(r.n, 0)) OVER (ORDER BY days.day) AS linked_people
         FROM days CROSS JOIN base LEFT JOIN l USING (day) LEFT JOIN r USING (day)
        ORDER BY days.day`,
      params,
    );
    return rows.map((r) => ({
      day: r.day,
      linkedPeople: Number(r.linked_people),
      links: Number(r.links),
      unlinks: Number(r.unlinks),
    }));
  }

  /** Every device link as a server-side cursor (batches of 1,000), so an export never holds them all. */
  devices(): Promise<RowCursor<DeviceExportRow>> {
    return openExportCursor(
      this.dataSource,
      `SELECT id, person_id, platform, locale, linked_at, revoked_at, revoked_reason
         FROM device_links ORDER BY linked_at, id`,
    );
  }
}
