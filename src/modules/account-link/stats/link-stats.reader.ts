import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openExportCursor, type RowCursor } from '../../../database/export-cursor.js';

/** Operators' days are Japanese calendar days. */
export const STATS_TIME_ZONE = 'Asia/Tokyo';

/** 00:00 of a JST calendar day (Japan keeps no daylight saving time). */
function jstMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+09:00`);
}

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
    // The bounds are parameters, not computed in SQL, so the planner sees the real range of the
    // indexes: for a day it estimates a few rows (a computed bound is guessed at a ninth of the
    // table, and the estimate of a year then grew past the JIT threshold: 230 ms compiling a
    // query that runs in 0.5 ms). Links and revocations are grouped together, one join to the days.
    const start = jstMidnight(from);
    const stop = new Date(jstMidnight(to).getTime() + 86_400_000);
    const base =
      linkedBefore === undefined
        ? `(SELECT count(*) FROM device_links WHERE linked_at < $4)
           - (SELECT count(*) FROM device_links WHERE revoked_at < $4)`
        : `$6::bigint`;
    const params: unknown[] = [from, to, STATS_TIME_ZONE, start, stop];
    if (linkedBefore !== undefined) params.push(linkedBefore);
    const rows = await this.dataSource.query<
      { day: string; linked_people: string; links: string; unlinks: string }[]
    >(
      `SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
              coalesce(c.links, 0) AS links,
              coalesce(c.unlinks, 0) AS unlinks,
              ${base} + sum(coalesce(c.links, 0) - coalesce(c.revoked, 0)) OVER (ORDER BY days.day)
                AS linked_people
         FROM (SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d) days
         LEFT JOIN (
           SELECT day, sum(links) AS links, sum(revoked) AS revoked, sum(unlinks) AS unlinks
             FROM (
               SELECT (linked_at AT TIME ZONE $3)::date AS day, 1 AS links, 0 AS revoked, 0 AS unlinks
                 FROM device_links WHERE linked_at >= $4 AND linked_at < $5
               UNION ALL
               SELECT (revoked_at AT TIME ZONE $3)::date, 0, 1, (revoked_reason = 'unlinked')::int
                 FROM device_links WHERE revoked_at >= $4 AND revoked_at < $5
             ) e
            GROUP BY day
         ) c USING (day)
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
